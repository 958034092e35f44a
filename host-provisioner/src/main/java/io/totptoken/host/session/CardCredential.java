package io.totptoken.host.session;

import java.nio.charset.StandardCharsets;

/**
 * A credential as a token lists it: its YKOATH name (bytes, usually UTF-8
 * {@code [period/][issuer:]account}), type code (0x10 HOTP, 0x20 TOTP) and algorithm code
 * (1 SHA-1, 2 SHA-256, 3 SHA-512; 0 when the token did not say, as in CALCULATE ALL).
 */
public record CardCredential(byte[] name, int type, int algorithm) {
    public static final int HOTP = Ykoath.TYPE_HOTP;
    public static final int TOTP = Ykoath.TYPE_TOTP;

    public String nameText() {
        return new String(name, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CardCredential c && java.util.Arrays.equals(name, c.name) && type == c.type;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(name) * 31 + type;
    }

    @Override
    public String toString() {
        return "CardCredential[" + nameText() + ", type=" + type + ", algorithm=" + algorithm + "]";
    }
}
