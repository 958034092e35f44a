package io.totptoken.host.fleet;

import java.util.List;

/**
 * The end of a run: what happened to each token this time, and the state of the whole manifest.
 *
 * @param outcomes  every token seen in this run, in the order they finished
 * @param verified  rows verified, over all runs of this journal
 * @param rows      rows in the manifest
 * @param pending   rows bound to a token that is not verified yet (it must be seen again, or --force-new-seed)
 * @param stopped   why the run stopped early (the journal could not be written), or null
 * @param notNeeded tokens the source still had and the run did not take, as every row was on a token
 */
public record FleetResult(List<TokenOutcome> outcomes, int verified, int rows, List<Assignment> pending,
                          String stopped, int notNeeded) {
    public long failures() {
        return outcomes.stream().filter(o -> o.result().isFailure()).count();
    }

    /** Whether every row is on a verified token and nothing failed. */
    public boolean complete() {
        return verified == rows && failures() == 0 && stopped == null;
    }
}
