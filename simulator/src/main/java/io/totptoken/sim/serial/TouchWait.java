package io.totptoken.sim.serial;

import java.util.concurrent.TimeUnit;

/**
 * The command running on the device's command thread and its wait for a press of the button.
 * Guarded by the {@link DeviceLink}'s lock: every method is called holding it.
 */
final class TouchWait {
    private Thread execThread;
    /** The session of the command running now: a command of an ended session never waits for a touch. */
    private int execEpoch;
    private boolean waiting;
    private boolean pressed;
    private long deadline;

    /** A command of session {@code epoch} starts on the calling thread. */
    void commandStarted(int epoch) {
        execThread = Thread.currentThread();
        execEpoch = epoch;
    }

    /** The command ended: no wait goes on. */
    void commandEnded() {
        waiting = false;
        execThread = null;
    }

    /** Whether the running command belongs to a session other than {@code epoch}. */
    boolean commandOfEndedSession(int epoch) {
        return execEpoch != epoch;
    }

    /** The running command waits for a press, at most {@code timeoutMillis}. */
    void begin(long timeoutMillis) {
        waiting = true;
        pressed = false;
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** Takes a press for the waiting command; false when none waits (or it has its press already). */
    boolean take() {
        if (!waiting || pressed) {
            return false;
        }
        pressed = true;
        return true;
    }

    /** Ends a wait as if it timed out (a new session, or the device stops). */
    void cancel() {
        if (waiting && !pressed && execThread != null) {
            execThread.interrupt();
        }
    }

    boolean waiting() {
        return waiting;
    }

    /** Milliseconds before the wait gives up, 0 when none goes on. */
    long millisLeft() {
        return waiting ? Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) : 0;
    }
}
