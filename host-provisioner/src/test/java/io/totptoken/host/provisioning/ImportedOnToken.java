package io.totptoken.host.provisioning;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For the import tests of other packages: puts imported credentials on a simulated token through
 * {@link Accounts}, as {@code accounts add} does, and reads back every account's code as tokenctl
 * shows it (Steam codes in Steam's alphabet, HOTP codes by calculating that one account).
 */
public final class ImportedOnToken {
    private ImportedOnToken() {
    }

    /** Account name ({@code issuer:account}) to its code at {@code at}, HOTP accounts at their stored counter. */
    public static Map<String, String> addAndCode(Path tokenFile, List<CredentialSpec> specs, Instant at) {
        try (TokenConnection token = TokenConnection.open(TokenTarget.simulated(tokenFile), line -> { })) {
            Accounts accounts = new Accounts(token);
            accounts.add(accounts.plan(specs, false), at);
            Map<String, String> codes = new LinkedHashMap<>();
            for (AccountCode c : accounts.codes(null, at, false)) {
                codes.put(c.account().name(), c.code());
            }
            for (CredentialSpec s : specs) {
                if (s.type() == OathType.HOTP) {
                    String name = s.issuer() == null ? s.account() : s.issuer() + ":" + s.account();
                    codes.put(name, accounts.codes(name, at, false, true, true).get(0).code());
                }
            }
            return codes;
        }
    }
}
