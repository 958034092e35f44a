package io.totptoken.host.fleet;

import io.totptoken.host.fleet.JournalRecord.Assigned;
import java.util.List;

/**
 * A journal that several stations write at once ({@link PgJournal}). Which row a token gets is
 * decided by the store, under its own locks and constraints, not by this process's
 * {@link Ledger}; the ledger learns what the other stations did from {@link #others}.
 */
interface SharedJournalStore extends JournalStore {
    /** Builds the record for the row the store picked, after applying what the other stations did meanwhile. */
    interface Binder {
        Assigned bind(int line, List<JournalRecord> others);
    }

    /** This station's name, recorded with each of its records. */
    String station();

    /** The records other stations made durable since the last call (or since opening), in an order that keeps cause before effect. */
    List<JournalRecord> others();

    /**
     * In one transaction: locks the free row pinned to {@code serial}, else the first free unpinned
     * one (rows other stations are binding are skipped), asks {@code binder} for its record, and
     * stores it with the row bound to the serial; durable on return. Null when no row is free.
     */
    Assigned bind(long serial, Binder binder);

    /** Serials this station bound (in this or an earlier run of it) that are not verified yet. */
    java.util.Set<Long> unfinishedHere();

    /** Whether the row bound to {@code serial} belongs to no running station (so that --force-new-seed may release it). */
    boolean abandoned(long serial);
}
