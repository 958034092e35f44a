package io.totptoken.host.cli;

import io.totptoken.host.session.ApduException;
import java.util.concurrent.Callable;

/**
 * The one place where a failed command becomes a line on stderr ({@code tokenctl: <message>}) and
 * an exit code, both from the exception's row in the {@link ExitCodes} table; the stack trace only
 * with -v. Free of picocli, so the fast path does not load it.
 */
final class Failures {
    private Failures() {
    }

    /** Runs a parsed command; an exception becomes its message and exit code. */
    static int call(Invocation run, Callable<Integer> command) {
        try {
            return command.call();
        } catch (Exception e) {
            return report(run, e);
        }
    }

    static int report(Invocation run, Throwable e) {
        run.err().println("tokenctl: " + message(e) + status(run, e));
        trace(run, e);
        return ExitCodes.of(e);
    }

    /** With -v, the token's status word after the sentence: " (status 6982)"; otherwise nothing. */
    static String status(Invocation run, Throwable e) {
        return run.verbose && e instanceof ApduException a ? " (" + a.status() + ")" : "";
    }

    static void trace(Invocation run, Throwable e) {
        if (run.verbose) {
            e.printStackTrace(run.err());
        }
    }

    /** One line for the user, worded by the exception's row in {@link ExitCodes}; never a secret. */
    static String message(Throwable e) {
        String m = ExitCodes.failure(e).message(e);
        return oneLine(m == null ? e.getClass().getSimpleName() : m);
    }

    static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ").strip();
    }
}
