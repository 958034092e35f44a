package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Account;
import io.totptoken.host.provisioning.TokenTarget;
import java.nio.file.Path;

/**
 * The command that gets one account's code from the same token, printed for HOTP and touch
 * accounts whose code was not computed: it names the account by its stored name (which matches it
 * alone), the token option that was used, and the password file, so it works as printed.
 */
final class CodeHint {
    private CodeHint() {
    }

    static String command(TokenTarget target, Account account, Path passwordFile) {
        StringBuilder b = new StringBuilder("tokenctl accounts code ").append(shellWord(account.idText()));
        if (account.hidden()) {
            b.append(" -H");
        }
        if (target instanceof TokenTarget.Reader r) {
            b.append(" --reader ").append(shellWord(r.name()));
        } else if (target instanceof TokenTarget.Serial s) {
            b.append(" --port ").append(shellWord(s.path()));
        } else if (target instanceof TokenTarget.Simulated s && !s.embedded()) {
            b.append(" --sim ").append(shellWord(s.file().toString()));
        }
        if (passwordFile != null) {
            b.append(" --password-file ").append(shellWord(passwordFile.toString()));
        }
        return b.toString();
    }

    /** The word as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
    static String shellWord(String word) {
        boolean plain = !word.isEmpty() && word.charAt(0) != '-';
        for (int i = 0; i < word.length() && plain; i++) {
            char c = word.charAt(i);
            plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "@%+=:,./_-".indexOf(c) >= 0;
        }
        return plain ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
