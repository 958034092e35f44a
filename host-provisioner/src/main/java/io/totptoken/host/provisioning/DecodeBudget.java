package io.totptoken.host.provisioning;

import com.google.zxing.ResultPoint;
import com.google.zxing.ResultPointCallback;
import com.google.zxing.qrcode.detector.FinderPattern;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * What reading one image may cost: a time budget for the whole search, and a cap on the QR finder
 * pattern candidates of one decode attempt.
 *
 * <p>ZXing's finder-pattern selection tries every triple of candidates, and the multi-code
 * detector keeps each plausible triple, so a small PNG tiled with finder patterns (30 x 30 of
 * them, under 2 KB) runs for minutes and takes gigabytes. ZXing reports each new candidate to a
 * {@link ResultPointCallback} (the documented NEED_RESULT_POINT_CALLBACK hint) before it selects
 * among them: this callback counts them and ends the attempt past {@link #MAX_FINDER_CANDIDATES},
 * and ends the whole search when the budget is spent. Time is the reading thread's CPU time where
 * the JVM measures it (it does on Linux, macOS and Windows), so a busy machine does not cut a
 * search short; wall-clock time otherwise.
 */
final class DecodeBudget implements ResultPointCallback {
    static final Duration DEFAULT = Duration.ofSeconds(10);
    /**
     * Three codes on a screenshot have 9 finder patterns, and ZXing's multi-code reader rescans
     * parts of the picture, finding some again; 100 leaves room for that and for noise while
     * keeping the cubic selection to some 160,000 triples.
     */
    static final int MAX_FINDER_CANDIDATES = 100;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Duration limit;
    private final boolean cpuTime;
    private final long start;
    private int candidates;

    /** The budget is spent: the search stops, keeping what it found. */
    static final class Spent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Spent() {
            super("decode budget spent", null, false, false);
        }
    }

    /** One attempt met more finder-pattern candidates than any picture of a few codes has. */
    static final class TooManyCandidates extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyCandidates() {
            super("too many finder pattern candidates", null, false, false);
        }
    }

    DecodeBudget(Duration limit) {
        this.limit = limit;
        this.cpuTime = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
        this.start = now();
    }

    private long now() {
        return cpuTime ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** The limit for messages: "10 s", or "5 ms" below a second. */
    String describe() {
        return limit.toSeconds() >= 1 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
    }

    /** @throws Spent when the budget is used up */
    void check() {
        if (now() - start > limit.toNanos()) {
            throw new Spent();
        }
    }

    /** A new decode attempt: its candidates are counted afresh. */
    void startAttempt() {
        check();
        candidates = 0;
    }

    @Override
    public void foundPossibleResultPoint(ResultPoint point) {
        if (point instanceof FinderPattern && ++candidates > MAX_FINDER_CANDIDATES) {
            throw new TooManyCandidates();
        }
        check();
    }
}
