package io.totptoken.host.provisioning.imports;

import io.totptoken.host.provisioning.CredentialSpec;
import java.util.List;

/**
 * What a file holds: the credentials the token can take, and, never dropped silently, each entry it
 * cannot, with the reason.
 *
 * @param credentials entries as they will be put on a token (HOTP counters kept, Steam entries as
 *                    TOTP SHA-1 under issuer "Steam")
 * @param skipped     entries the token cannot hold (MD5, Yandex, mOTP, a secret longer than the
 *                    hash block, ...), in file order
 */
public record ImportResult(List<CredentialSpec> credentials, List<Skipped> skipped) {
    public ImportResult {
        credentials = List.copyOf(credentials);
        skipped = List.copyOf(skipped);
    }

    /**
     * One entry left out.
     *
     * @param name   the entry as the file names it ("GitHub:alice"), never its secret
     * @param reason why, as a sentence fragment ("MD5 is not an algorithm YKOATH has")
     */
    public record Skipped(String name, String reason) {
    }
}
