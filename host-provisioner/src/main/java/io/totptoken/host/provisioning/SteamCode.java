package io.totptoken.host.provisioning;

/**
 * Steam Guard codes, as ykman and Yubico Authenticator show them for TOTP accounts whose issuer
 * is {@code Steam}: the RFC 4226 31-bit truncated value written as five characters of Steam's
 * alphabet, least significant first (yubikey-manager {@code ykman/oath.py}, {@code calculate_steam}).
 */
public final class SteamCode {
    /** The issuer ykman recognises, compared exactly as ykman does. */
    public static final String ISSUER = "Steam";
    private static final String ALPHABET = "23456789BCDFGHJKMNPQRTVWXY";
    private static final int LENGTH = 5;

    private SteamCode() {
    }

    /** The code written from a truncated value (RFC 4226 dynamic truncation, top bit cleared). */
    public static String format(int truncated) {
        int value = truncated & 0x7FFFFFFF;
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET.charAt(value % ALPHABET.length());
            value /= ALPHABET.length();
        }
        return new String(code);
    }
}
