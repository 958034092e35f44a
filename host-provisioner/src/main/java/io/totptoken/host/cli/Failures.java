package io.totptoken.host.cli;

import io.totptoken.host.apdu.MalformedResponseException;
import io.totptoken.host.provisioning.DesktopUnavailableException;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.NameTakenException;
import io.totptoken.host.provisioning.PasswordRequiredException;
import io.totptoken.host.provisioning.TokenOperationException;
import io.totptoken.host.session.ApduException;
import io.totptoken.host.transport.TransportException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * The one place where a failed command becomes a line on stderr ({@code tokenctl: <message>}) and
 * an exit code ({@link ExitCodes}); the stack trace only with -v. Free of picocli, so the fast
 * path does not load it.
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

    /** One line for the user; never a secret (no exception type below carries one). */
    static String message(Throwable e) {
        String m;
        if (e instanceof PasswordRequiredException) {
            m = e.getMessage() + "; give it with --password-file FILE or " + CliEnvironment.ENV_PASSWORD
                    + ", or run on a terminal to be asked";
        } else if (e instanceof NameTakenException) {
            m = e.getMessage() + "; add --force to replace";
        } else if (e instanceof UncheckedIOException u) {
            m = u.getCause() != null && u.getCause().getMessage() != null ? u.getCause().getMessage() : u.getMessage();
        } else if (e instanceof ApduException || e instanceof TransportException || e instanceof UsageException
                || e instanceof InvalidCredentialException || e instanceof TokenOperationException
                || e instanceof PartialFailureException || e instanceof MalformedResponseException
                || e instanceof DesktopUnavailableException) {
            m = e.getMessage();
        } else {
            m = "internal error: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + " (run with -v for the stack trace)";
        }
        return oneLine(m == null ? e.getClass().getSimpleName() : m);
    }

    static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ").strip();
    }
}
