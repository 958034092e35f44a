package io.totptoken.host.cli;

import io.totptoken.host.apdu.MalformedResponseException;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.TokenOperationException;
import io.totptoken.host.session.ApduException;
import io.totptoken.host.transport.TransportException;
import java.util.LinkedHashMap;
import java.util.Map;

/** tokenctl's exit codes, and the one place where an exception becomes one. */
final class ExitCodes {
    static final int OK = 0;
    /** The token refused, or the operation cannot be done on it as it is; the token is unchanged. */
    static final int FAILED = 1;
    /** Bad input or usage: a malformed URI, image or secret, an unknown option; the token was not touched. */
    static final int USAGE = 2;
    /** Several tokens were named and some of them failed; the others were changed. */
    static final int PARTIAL = 3;
    /** No token, no reader, no PC/SC service, or the token stopped answering. */
    static final int NO_TOKEN = 4;

    private ExitCodes() {
    }

    /** The table shown under "Exit codes:" in every --help. */
    static Map<String, String> table() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(" 0", "success");
        t.put(" 1", "the token refused, or the operation cannot be done (name taken, no such account, wrong password,"
                + " no screen capture or clipboard tool)");
        t.put(" 2", "bad input or usage (malformed URI, unreadable image, bad base32, unknown option, "
                + "no terminal to confirm on and no --force)");
        t.put(" 3", "some of several tokens failed (the others were written)");
        t.put(" 4", "no token, no reader, serial port, PC/SC service or --sim file, or the token stopped answering");
        return t;
    }

    /** The code for an exception from a command (picocli's own usage errors are mapped where they are caught). */
    static int of(Throwable e) {
        if (e instanceof UsageException || e instanceof InvalidCredentialException) {
            return USAGE;
        }
        if (e instanceof PartialFailureException) {
            return PARTIAL;
        }
        if (e instanceof TransportException || e instanceof MalformedResponseException) {
            return NO_TOKEN;
        }
        if (e instanceof ApduException || e instanceof TokenOperationException) {
            return FAILED;
        }
        return FAILED;
    }
}
