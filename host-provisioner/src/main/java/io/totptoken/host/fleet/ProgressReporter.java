package io.totptoken.host.fleet;

import java.io.PrintStream;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Shows a run's progress: on a terminal, one line redrawn in place with a bar, the rate and the
 * time left; otherwise a plain line per token (for logs). Failures are always printed on a line
 * of their own, with their reason; never a seed.
 */
public final class ProgressReporter implements FleetListener {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanos;
    private long start;
    private int startDone;
    private int seen;
    private boolean barShown;

    public ProgressReporter(PrintStream out, boolean terminal) {
        this(out, terminal, System::nanoTime);
    }

    ProgressReporter(PrintStream out, boolean terminal, LongSupplier nanos) {
        this.out = out;
        this.terminal = terminal;
        this.nanos = nanos;
    }

    @Override
    public synchronized void started(int rows, int done, int lanes) {
        start = nanos.getAsLong();
        startDone = done;
        out.println("Provisioning " + (rows - done) + " of " + rows + " rows" + (done > 0 ? " (" + done + " done before)" : "")
                + " with " + lanes + " worker" + (lanes == 1 ? "" : "s") + ".");
    }

    @Override
    public synchronized void token(TokenOutcome o, int done, int rows) {
        seen++;
        String line = describe(o);
        if (terminal) {
            if (o.result().isFailure() || o.result() == TokenOutcome.Result.ALREADY_DONE) {
                clearBar();
                out.println(line);
            }
            bar(done, rows);
        } else {
            out.println("[" + done + "/" + rows + "] " + line);
        }
    }

    static String describe(TokenOutcome o) {
        String who = o.serial() == null ? o.lane() : "token " + o.serial();
        return switch (o.result()) {
            case PROVISIONED -> who + ": " + o.account() + " verified";
            case ALREADY_DONE -> who + ": " + o.reason();
            case REFUSED -> who + ": refused: " + o.reason();
            case FAILED -> who + ": FAILED" + (o.account() == null ? "" : " (" + o.account() + ")") + ": " + o.reason();
        };
    }

    private void bar(int done, int rows) {
        double elapsed = (nanos.getAsLong() - start) / 1e9;
        int now = done - startDone;
        double rate = elapsed > 0 ? now / elapsed : 0;
        int filled = rows == 0 ? WIDTH : (int) ((long) WIDTH * done / rows);
        String eta = rate > 0 ? duration((rows - done) / rate) : "--:--";
        out.print("\r[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + rows
                + String.format(" %.1f tokens/s, %s left ", rate, eta));
        out.flush();
        barShown = true;
    }

    private void clearBar() {
        if (barShown) {
            out.print("\r" + " ".repeat(WIDTH + 50) + "\r");
            barShown = false;
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    /** The closing lines: counts, every failure with its reason, what is still pending. */
    public synchronized void summary(FleetResult r) {
        if (terminal) {
            clearBar();
            out.println();
        }
        long provisioned = r.outcomes().stream().filter(o -> o.result() == TokenOutcome.Result.PROVISIONED).count();
        long again = r.outcomes().stream().filter(o -> o.result() == TokenOutcome.Result.ALREADY_DONE).count();
        double elapsed = (nanos.getAsLong() - start) / 1e9;
        out.println(String.format("%d of %d rows verified; this run: %d tokens provisioned, %d seen again, %d failed "
                        + "(%.1f s)", r.verified(), r.rows(), provisioned, again, r.failures(), elapsed));
        List<TokenOutcome> failed = r.outcomes().stream().filter(o -> o.result().isFailure()).toList();
        for (TokenOutcome o : failed) {
            out.println("  " + describe(o));
        }
        if (!r.pending().isEmpty()) {
            out.println(r.pending().size() + " row(s) are bound to tokens not verified yet; insert those tokens and "
                    + "--resume (or --resume --force-new-seed if a token is lost):");
            for (Assignment a : r.pending()) {
                out.println("  token " + a.serial() + ": " + a.row().account()
                        + (a.failure() == null ? "" : " (" + a.failure() + ")"));
            }
        }
        if (r.stopped() != null) {
            out.println("Stopped: " + r.stopped());
        }
        if (r.complete() && r.notNeeded() > 0) {
            out.println("All " + r.rows() + (r.rows() == 1 ? " row" : " rows") + " done, " + r.notNeeded()
                    + (r.notNeeded() == 1 ? " token" : " tokens") + " not needed (left untouched).");
        }
    }
}
