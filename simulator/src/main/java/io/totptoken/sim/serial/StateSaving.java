package io.totptoken.sim.serial;

import io.totptoken.sim.CommittingToken;
import io.totptoken.sim.SimulatedToken;
import java.util.function.Consumer;

/**
 * Where the device stores its token's state after a change, before the answer goes out; without
 * a saver nothing is stored and every change counts as stored. See {@link CommittingToken}.
 */
final class StateSaving {
    private volatile CommittingToken committing;

    void saver(SimulatedToken token, Consumer<byte[]> saver) {
        this.committing = saver == null ? null : new CommittingToken(token, saver);
    }

    /** The answer to a command that ran: as it is once its change is stored, else 6581 (memory failure). */
    byte[] settle(byte[] header, byte[] response) {
        CommittingToken c = committing;
        return c == null ? response : c.settle(header, response);
    }

    /** Hands the state to the saver when it changed; false when it could not be stored (and was undone). */
    boolean save(String what) {
        CommittingToken c = committing;
        return c == null || c.commit(what);
    }
}
