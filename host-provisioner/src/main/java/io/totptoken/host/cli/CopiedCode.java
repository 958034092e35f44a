package io.totptoken.host.cli;

import io.totptoken.host.provisioning.AccountCode;
import io.totptoken.host.provisioning.TokenOperationException;
import java.time.Instant;
import java.util.List;

/** {@code accounts code --copy}: the one account's code put on the clipboard. */
final class CopiedCode {
    private CopiedCode() {
    }

    static void copy(Invocation run, List<AccountCode> codes, String query, Instant at) {
        if (codes.size() != 1) {
            String found = query != null ? codes.size() + " match '" + query + "'"
                    : codes.isEmpty() ? "the token has none" : "the token has " + codes.size();
            throw new TokenOperationException("--copy needs exactly one account, and " + found + "; name one with QUERY");
        }
        AccountCode code = codes.get(0);
        if (code.code() == null) {
            throw new TokenOperationException("no code to copy for " + code.account().name());
        }
        String tool = Clipboard.copy(run.env, code.code());
        run.note("Copied the code of " + code.account().name() + " to the clipboard (with " + tool + ")"
                + (code.validTo() == null ? "." : "; " + code.secondsLeft(at) + " s left."));
    }
}
