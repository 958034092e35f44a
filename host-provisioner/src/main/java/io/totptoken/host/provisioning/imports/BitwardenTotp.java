package io.totptoken.host.provisioning.imports;

import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.provisioning.OtpauthUri;
import java.util.Arrays;
import java.util.Locale;

/**
 * Bitwarden's {@code login.totp} field, in its JSON and its CSV alike: an otpauth:// URI, a bare
 * base32 secret (TOTP SHA-1, 6 digits, 30 s, as Bitwarden computes it), or {@code steam://SECRET}.
 * A bare secret is named after the item (the issuer) and its user name (the account).
 */
final class BitwardenTotp {
    private static final String STEAM = "steam://";

    private BitwardenTotp() {
    }

    /** Adds the item's TOTP to {@code entries}, or skips it with the reason; {@code totp} is not blank. */
    static void add(ImportEntries entries, String itemName, String userName, String totp) {
        String field = totp.strip();
        String issuer = blankToNull(itemName);
        String user = blankToNull(userName);
        String account = user != null ? user : issuer;
        String accountIssuer = user != null ? issuer : null;
        String lower = field.toLowerCase(Locale.ROOT);
        if (lower.startsWith("otpauth:")) {
            entries.add(ImportEntries.displayName(accountIssuer, account), () -> OtpauthUri.parse(field));
        } else if (lower.startsWith(STEAM)) {
            String name = user != null ? user : account;
            entries.add(ImportEntries.displayName("Steam", name),
                    () -> ImportEntries.steam(name, Base32.decode(field.substring(STEAM.length()))));
        } else {
            entries.add(ImportEntries.displayName(accountIssuer, account), () -> bare(accountIssuer, account, field));
        }
    }

    private static CredentialSpec bare(String issuer, String account, String secret) {
        String i = issuer;
        String a = account;
        int colon = a == null ? -1 : a.indexOf(':');
        if (i == null && colon > 0) {
            // An item named "GitHub:alice" without a user name reads as a Key URI label does.
            i = a.substring(0, colon);
            a = a.substring(colon + 1);
        }
        byte[] key = Base32.decode(secret);
        try {
            return new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, CredentialSpec.DEFAULT_PERIOD, 0, i, a,
                    key, false);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
