package io.totptoken.sim;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The token's button. A press is either queued ahead ({@link #press()}, as a test or a user
 * who touched before the card asked) or made while the card waits, within the timeout.
 */
public final class SimulatedButton {
    private final Semaphore presses = new Semaphore(0);
    private final long timeoutMillis;
    private volatile Runnable onWait = () -> { };

    /** @param timeoutMillis how long the card waits for a press before it gives up */
    public SimulatedButton(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Presses the button once. */
    public void press() {
        presses.release();
    }

    /** Forgets presses nobody asked for. */
    public void clear() {
        presses.drainPermits();
    }

    /** Called when the card starts waiting, e.g. to tell the user to touch the token. */
    public void onWait(Runnable prompt) {
        this.onWait = prompt == null ? () -> { } : prompt;
    }

    boolean awaitPress() {
        if (presses.tryAcquire()) {
            return true;
        }
        onWait.run();
        try {
            return presses.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
