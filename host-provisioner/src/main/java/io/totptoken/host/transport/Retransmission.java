package io.totptoken.host.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The resend bookkeeping of one request (docs/serial-protocol.md section 5): when to resend,
 * when to give up, and whether what came back was only damage. Since the last sign of life it
 * counts retransmission timeouts that passed in silence (only these end the exchange), resends
 * for NAKs, and NAKs sent. A NAK may be about noise rather than this request, so it buys a
 * quick resend but cannot use up the tries. One thread (the exchange's) uses it.
 */
final class Retransmission {
    private final int tries;
    private final long rto;
    private final long start;
    private long deadline;
    private long lastSend;
    private int silences;
    private int nakResends;
    private int naks;
    private int damage;
    private boolean heard;
    private boolean touchSeen;

    /** @param workMillis the longest the device may take for the request beyond the resends */
    Retransmission(int tries, Duration retransmit, long workMillis) {
        this.tries = tries;
        this.rto = TimeUnit.MILLISECONDS.toNanos(retransmit.toMillis());
        this.start = System.nanoTime();
        this.deadline = start + tries * rto + TimeUnit.MILLISECONDS.toNanos(workMillis);
    }

    /** The request went (again) on the line at {@code now}. */
    void sent(long now) {
        lastSend = now;
    }

    /** When to stop waiting for the next frame: the resend time or the deadline. */
    long wakeUp() {
        return Math.min(lastSend + rto, deadline);
    }

    boolean expired(long now) {
        return now >= deadline;
    }

    long elapsedNanos(long now) {
        return now - start;
    }

    /** A damaged frame came in; true when it is still worth a NAK ("say that again"). */
    boolean damaged() {
        damage++;
        return naks++ < tries;
    }

    /** A NAK came in; true when it is still worth a resend. */
    boolean nakResend() {
        return nakResends++ < 2 * tries;
    }

    /** A retransmission timeout passed in silence; false when the tries are used up. */
    boolean silenceLeavesTries() {
        return ++silences < tries;
    }

    /** Only damage came back, never a good frame about this request. */
    boolean garbled() {
        return damage > 0 && !heard;
    }

    int damage() {
        return damage;
    }

    /** A frame about this request arrived. */
    void heard() {
        heard = true;
    }

    /** An ACK, KEEPALIVE or EVENT: the device works on it, so the resend timer and the counts start over. */
    void alive(long now) {
        silences = 0;
        nakResends = 0;
        naks = 0;
        lastSend = now;
    }

    /**
     * The device reports it waits for a press for {@code waitMillis}: the first time, the deadline
     * moves to leave room for it (and the tries after it), and this returns true.
     */
    boolean touchWanted(long now, long waitMillis) {
        if (touchSeen) {
            return false;
        }
        touchSeen = true;
        deadline = Math.max(deadline, now + TimeUnit.MILLISECONDS.toNanos(waitMillis) + tries * rto);
        return true;
    }
}
