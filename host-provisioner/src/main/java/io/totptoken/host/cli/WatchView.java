package io.totptoken.host.cli;

import io.totptoken.host.provisioning.AccountCode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code accounts code --watch}: the codes kept up to date until Ctrl-C.
 *
 * <p>On a terminal, a full-screen view in the terminal's alternate screen, redrawn at each second
 * with the seconds each code has left; the codes are asked of the token again only when one of
 * them rolls over. Ctrl-C ends the JVM through its shutdown hooks, so a hook stops the loop and
 * waits for it to give the terminal back (main screen, cursor shown) before the JVM goes.
 *
 * <p>Without a terminal (a pipe, a file, TERM=dumb) it prints the codes as {@code accounts code}
 * does, a new block each time a code rolls over, with a blank line between blocks: a log a script
 * can follow.
 */
final class WatchView {
    /** The codes at an instant, from the open token. */
    interface Codes {
        List<AccountCode> at(Instant now);
    }

    private static final String ESC = "\u001b[";
    private static final String ENTER = ESC + "?1049h" + ESC + "?25l"; // alternate screen, cursor hidden
    private static final String LEAVE = ESC + "?25h" + ESC + "?1049l"; // cursor shown, main screen back
    private static final int BAR = 30;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Invocation run;
    private final String label;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch restored = new CountDownLatch(1);

    WatchView(Invocation run, String label) {
        this.run = run;
        this.label = label;
    }

    /** Whether the live view can be drawn: a terminal that understands cursor movement. */
    static boolean drawable(CliEnvironment env) {
        String term = env.getenv("TERM");
        return env.terminal() != null && term != null && !term.equals("dumb");
    }

    /** Shows the codes until Ctrl-C (or, without a terminal, until output fails); returns the exit code. */
    int show(Codes source, boolean live) throws InterruptedException {
        Instant now = run.env.clock().instant();
        List<AccountCode> codes = source.at(now); // a bad query fails here, before the screen is taken over
        return live ? live(source, codes) : plain(source, codes, now);
    }

    private int plain(Codes source, List<AccountCode> codes, Instant now) throws InterruptedException {
        PrintStream out = run.out();
        while (true) {
            for (String line : lines(codes, now, false)) {
                out.println(line);
            }
            out.flush();
            Instant refresh = refresh(codes);
            if (out.checkError() || refresh == null) {
                return ExitCodes.OK;
            }
            // One millisecond over: toMillis() rounds down, and waking before the step would print it again.
            Thread.sleep(Math.max(0, Duration.between(run.env.clock().instant(), refresh).toMillis()) + 1);
            now = run.env.clock().instant();
            codes = source.at(now);
            out.println();
        }
    }

    private int live(Codes source, List<AccountCode> codes) throws InterruptedException {
        PrintStream out = run.out();
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                if (!restored.await(2, TimeUnit.SECONDS)) {
                    out.print(LEAVE); // the loop is stuck (a touch prompt, a token that hangs): restore anyway
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tokenctl-watch-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        out.print(ENTER);
        try {
            while (true) {
                Instant now = run.env.clock().instant();
                Instant refresh = refresh(codes);
                if (refresh != null && !now.isBefore(refresh)) {
                    codes = source.at(now);
                }
                draw(out, codes, now);
                if (out.checkError()) {
                    return ExitCodes.OK;
                }
                long toNextSecond = 1000 - Math.floorMod(run.env.clock().millis(), 1000L);
                if (stop.await(toNextSecond, TimeUnit.MILLISECONDS)) {
                    return ExitCodes.OK;
                }
            }
        } finally {
            out.print(LEAVE);
            out.flush();
            restored.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the hook is running
            }
        }
    }

    private void draw(PrintStream out, List<AccountCode> codes, Instant now) {
        StringBuilder screen = new StringBuilder(ESC + "H");
        String time = TIME.format(now.atZone(ZoneId.systemDefault()));
        screen.append("Codes on ").append(label).append(" at ").append(time).append("; Ctrl-C to stop")
                .append(ESC + "K\n" + ESC + "K\n");
        for (String line : lines(codes, now, true)) {
            screen.append(line).append(ESC + "K\n");
        }
        out.print(screen.append(ESC + "J"));
        out.flush();
    }

    /** The earliest instant one of the codes rolls over, or null when none does (HOTP, touch). */
    private static Instant refresh(List<AccountCode> codes) {
        Instant first = null;
        for (AccountCode c : codes) {
            if (c.code() != null && c.validTo() != null && (first == null || c.validTo().isBefore(first))) {
                first = c.validTo();
            }
        }
        return first;
    }

    private static String[] lines(List<AccountCode> codes, Instant now, boolean bar) {
        int width = 0;
        for (AccountCode code : codes) {
            width = Math.max(width, code.account().name().length());
        }
        String[] lines = new String[codes.size()];
        for (int i = 0; i < lines.length; i++) {
            AccountCode code = codes.get(i);
            String name = code.account().name();
            StringBuilder line = new StringBuilder(name).append(" ".repeat(width - name.length())).append("  ");
            if (code.code() == null) {
                line.append(code.missing() == AccountCode.Missing.HOTP ? "[HOTP: ask for this account alone]"
                        : "[touch: ask for this account alone]");
            } else if (code.validTo() == null) {
                line.append(code.code());
            } else {
                long left = code.secondsLeft(now);
                line.append(code.code()).append("  (").append(left).append(" s left)");
                if (bar) {
                    int period = code.account().period();
                    int filled = (int) Math.min(BAR, Math.round((double) BAR * left / period));
                    line.append("  [").append("#".repeat(filled)).append(".".repeat(BAR - filled)).append(']');
                }
            }
            lines[i] = line.toString();
        }
        return lines;
    }
}
