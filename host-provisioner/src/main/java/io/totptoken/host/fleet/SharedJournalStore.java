package io.totptoken.host.fleet;

import io.totptoken.host.fleet.JournalRecord.Assigned;
import java.util.List;

/**
 * A journal that several stations write at once ({@link PgJournal}). Which row a token gets is
 * decided by the store, under its own locks and constraints, not by this process's
 * {@link Ledger}; the ledger learns what the other stations did from {@link #others}.
 */
interface SharedJournalStore extends JournalStore {
    /**
     * The ledger that keeps in step with the store. The store calls it under its own lock, so in
     * order: with what the other stations did, and for the record of a row it picked for a token.
     */
    interface Follower {
        /** Applies records other stations made durable, in an order that keeps cause before effect. */
        void apply(List<JournalRecord> others);

        /** Whether the run has a row on token {@code serial} already. */
        boolean knows(long serial);

        /** The record binding {@code line} to token {@code serial} (its seed chosen now). */
        Assigned bind(long serial, int line);
    }

    /** The token's serial is on a row already (another station bound it): look it up and resume it. */
    final class BoundElsewhereException extends FleetException {
        BoundElsewhereException(long serial) {
            super("serial " + serial + " is bound to a row already");
        }
    }

    /** Sets the ledger to keep in step (once, before any other call). */
    void follow(Follower follower);

    /** This station's name, recorded with each of its records. */
    String station();

    /** Hands the follower what the other stations made durable since the last time. */
    void catchUp();

    /**
     * Durably binds a row to {@code serial}, in a transaction that may bind other workers' tokens
     * too: the free row pinned to the serial, else the first free unpinned one (rows other
     * stations are binding are skipped). Null when no row is free; {@link BoundElsewhereException}
     * when the serial is on a row already.
     */
    Assigned bind(long serial);

    /** Serials this station bound (in this or an earlier run of it) that are not verified yet. */
    java.util.Set<Long> unfinishedHere();

    /** Whether the row bound to {@code serial} belongs to no running station (so that --force-new-seed may release it). */
    boolean abandoned(long serial);
}
