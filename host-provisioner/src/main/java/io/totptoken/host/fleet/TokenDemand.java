package io.totptoken.host.fleet;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether a lane should take another token. A token is taken only while a free row could still
 * go to it, counting the tokens other lanes hold and have not bound yet; so once every row is on
 * a token, spare tokens are left alone: a simulated one is never created, an attached one never
 * opened, no operator asked for one. A lane that finds every free row spoken for waits for the
 * other lanes (a token they hold may be refused, freeing its row) and stops when none holds one.
 * Two cases need every token looked at, as only its serial tells: a row pinned to a serial, and
 * a resumed run's row bound to a token not verified yet.
 */
final class TokenDemand {
    private final Ledger ledger;
    private final Set<Long> waitingAtStart;
    private final AtomicReference<String> stopped;
    private int held;

    /**
     * @param waitingAtStart serials bound to rows but not verified when the run started
     * @param stopped        set when the run stops early; no token is taken after that
     */
    TokenDemand(Ledger ledger, Set<Long> waitingAtStart, AtomicReference<String> stopped) {
        this.ledger = ledger;
        this.waitingAtStart = waitingAtStart;
        this.stopped = stopped;
    }

    /** True when the caller should take a token (and later call {@link #done}); false when the lane is done. */
    synchronized boolean take() {
        while (stopped.get() == null && !ledger.complete()) {
            if (mustSeeEveryToken() || ledger.freeUnpinnedRows() > held) {
                held++;
                return true;
            }
            if (held == 0) {
                return false;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The token taken is finished with (bound, refused, or there was none). */
    synchronized void done() {
        held--;
        notifyAll();
    }

    private boolean mustSeeEveryToken() {
        if (ledger.freePinnedRows() > 0) {
            return true;
        }
        for (long serial : waitingAtStart) {
            Assignment a = ledger.known(serial);
            if (a != null && a.state() != Assignment.State.VERIFIED) {
                return true;
            }
        }
        return false;
    }
}
