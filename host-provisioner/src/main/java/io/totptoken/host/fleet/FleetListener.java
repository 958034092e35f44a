package io.totptoken.host.fleet;

/** Progress of a run, called from the workers' threads (implementations synchronise themselves). */
public interface FleetListener {
    FleetListener NONE = new FleetListener() {
    };

    /** @param rows rows in the manifest; @param done of those already verified (a resumed run) */
    default void started(int rows, int done, int lanes) {
    }

    /** @param done rows verified so far */
    default void token(TokenOutcome outcome, int done, int rows) {
    }

    /**
     * A new seed took {@code nanos} to generate (for measurements such as FleetBench); called on a
     * worker's thread while the run's ledger is locked, so it must return at once.
     */
    default void seedGenerated(long nanos) {
    }
}
