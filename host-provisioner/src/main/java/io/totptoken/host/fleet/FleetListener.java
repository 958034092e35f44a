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
}
