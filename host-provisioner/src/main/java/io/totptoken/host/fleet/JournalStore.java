package io.totptoken.host.fleet;

import java.util.List;

/**
 * Where a run's journal records are kept: what the {@link Ledger} needs of its journal: the file
 * journal ({@link Journal}, the default) or a PostgreSQL one that stations share
 * ({@link PgJournal}, a {@link SharedJournalStore}). A store hands back the records it held when it was
 * opened, appends records in order, and makes them durable on {@link #sync}; after its first failure
 * it refuses everything with a {@link JournalFailedException} (no token is written without its
 * record kept).
 */
public interface JournalStore extends AutoCloseable {
    /** Records appended and syncs done since the store was opened, and the time those took (for FleetBench). */
    record JournalStats(long records, long syncs, long syncNanos) {
    }

    /** The records found when the store was opened, in order. */
    List<JournalRecord> replayed();

    /** Appends one record; returns the position to pass to {@link #sync} to make it durable. */
    long append(JournalRecord record);

    /** Returns once everything up to {@code position} is durable. */
    void sync(long position);

    /** Appends and syncs. */
    default void write(JournalRecord record) {
        sync(append(record));
    }

    /** Where the records are (a file), for messages. */
    String location();

    /** A snapshot; waits for a sync under way. */
    JournalStats stats();

    /** Releases the store; what was not synced may be lost, which a resume tolerates. */
    @Override
    void close();
}
