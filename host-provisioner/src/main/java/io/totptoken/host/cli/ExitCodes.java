package io.totptoken.host.cli;

import io.totptoken.host.apdu.MalformedResponseException;
import io.totptoken.host.fleet.FleetException;
import io.totptoken.host.provisioning.DesktopUnavailableException;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.NameTakenException;
import io.totptoken.host.provisioning.PasswordRequiredException;
import io.totptoken.host.provisioning.TokenOperationException;
import io.totptoken.host.session.ApduException;
import io.totptoken.host.transport.TransportException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tokenctl's exit codes, what each means (the list in every --help), and the one table that
 * turns an exception into an exit code and a line for the user, as ykman's {@code _cli/__main__.py}
 * and picocli's {@code IExitCodeExceptionMapper} do. {@link Failures} prints with it; this class
 * stays free of picocli so the fast path does not load it.
 */
final class ExitCodes {
    static final int OK = 0;
    /** The token refused, or the operation cannot be done on it as it is; the token is unchanged. */
    static final int FAILED = 1;
    /** Bad input or usage: a malformed URI, image or secret, an unknown option; the token was not touched. */
    static final int USAGE = 2;
    /** Several tokens were named and some of them failed, or an import skipped entries; the rest was changed. */
    static final int PARTIAL = 3;
    /** No token, no reader, no PC/SC service, or the token stopped answering. */
    static final int NO_TOKEN = 4;

    private ExitCodes() {
    }

    /** How a failure's line reads. */
    enum Wording {
        /** The exception's own sentence, then the row's hint. */
        MESSAGE,
        /** The sentence of the I/O error inside (an {@link UncheckedIOException} says nothing itself). */
        CAUSE,
        /** Not a failure we expect: its type, so that a bug report says where it came from. */
        INTERNAL
    }

    /** One row of the table: an exception type, its exit code, and how its line reads. */
    record Failure(Class<? extends Throwable> type, int code, Wording wording, String hint) {
        /** The line for the user, before it is made one line; never a secret (no type in the table carries one). */
        String message(Throwable e) {
            return switch (wording) {
                case MESSAGE -> hint.isEmpty() ? e.getMessage() : e.getMessage() + hint;
                case CAUSE -> e.getCause() != null && e.getCause().getMessage() != null
                        ? e.getCause().getMessage() : e.getMessage();
                case INTERNAL -> "internal error: " + e.getClass().getName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " (run with -v for the stack trace)";
            };
        }
    }

    /** The table; the first row whose type the exception is wins, so a subtype comes before its parent. */
    static final List<Failure> FAILURES = List.of(
            new Failure(UsageException.class, USAGE, Wording.MESSAGE, ""),
            new Failure(InvalidCredentialException.class, USAGE, Wording.MESSAGE, ""),
            new Failure(PartialFailureException.class, PARTIAL, Wording.MESSAGE, ""),
            new Failure(TransportException.class, NO_TOKEN, Wording.MESSAGE, ""),
            new Failure(MalformedResponseException.class, NO_TOKEN, Wording.MESSAGE, ""),
            new Failure(PasswordRequiredException.class, FAILED, Wording.MESSAGE, "; give it with --password-file FILE or "
                    + CliEnvironment.ENV_PASSWORD + ", or run on a terminal to be asked"),
            new Failure(NameTakenException.class, FAILED, Wording.MESSAGE, "; add --force to replace"),
            new Failure(TokenOperationException.class, FAILED, Wording.MESSAGE, ""),
            new Failure(ApduException.class, FAILED, Wording.MESSAGE, ""),
            new Failure(DesktopUnavailableException.class, FAILED, Wording.MESSAGE, ""),
            // bulk provision: the journal or an output could not be written; --resume continues
            new Failure(FleetException.class, FAILED, Wording.MESSAGE, ""),
            new Failure(UncheckedIOException.class, FAILED, Wording.CAUSE, ""));

    private static final Failure UNEXPECTED = new Failure(Throwable.class, FAILED, Wording.INTERNAL, "");

    /** The row for an exception from a command (picocli's own usage errors are mapped where they are caught). */
    static Failure failure(Throwable e) {
        for (Failure f : FAILURES) {
            if (f.type().isInstance(e)) {
                return f;
            }
        }
        return UNEXPECTED;
    }

    /** The exit code for an exception from a command. */
    static int of(Throwable e) {
        return failure(e).code();
    }

    /** The list shown under "Exit codes:" in every --help. */
    static Map<String, String> table() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(" 0", "success");
        t.put(" 1", "the token refused, or the operation cannot be done (name taken, no such account, wrong password,"
                + " no screen capture or clipboard tool)");
        t.put(" 2", "bad input or usage (malformed URI, unreadable image, bad base32, unknown option, "
                + "no terminal to confirm on and no --force)");
        t.put(" 3", "some of several tokens failed (the others were written), or an import skipped entries the token "
                + "cannot hold (listed; the others were added)");
        t.put(" 4", "no token, no reader, serial port, PC/SC service or --sim file, or the token stopped answering");
        return t;
    }
}
