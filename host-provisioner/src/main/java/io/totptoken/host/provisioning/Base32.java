package io.totptoken.host.provisioning;

/**
 * RFC 4648 section 6 base32, the alphabet of OTP secrets.
 *
 * <p>Decoding is lenient the way authenticator apps are: any case, white space anywhere (secrets
 * are often shown in groups of four), trailing '=' padding optional. It is strict about the rest:
 * characters outside A-Z/2-7 and data lengths that no byte string encodes to (1, 3 or 6 characters
 * after the last full group of 8) are refused. Errors name positions, never characters, so a
 * mistyped secret is not echoed.
 *
 * <p>Not commons-codec's {@code Base32}, measured: its lenient decoder skips characters outside
 * the alphabet without a word ("MZXW1" reads as "fo"), its strict one refuses lower case, spaces
 * and missing padding, so every check here would stay; only the bit loop would go, and in its
 * place it decodes through a buffer of its own that no caller can clear (a heap dump after
 * decoding and zeroing the result still holds the raw key, none with this class), plus 13 more
 * classes on the {@code accounts add} path.
 */
public final class Base32 {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private Base32() {
    }

    public static byte[] decode(CharSequence text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '=' || Character.isWhitespace(text.charAt(end - 1)))) {
            end--;
        }
        int symbols = 0;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (valueOf(c) < 0) {
                throw new InvalidCredentialException(c == '='
                        ? "base32 secret has '=' padding before its end (position " + (i + 1) + ")"
                        : "base32 secret has a character that is not A-Z or 2-7 at position " + (i + 1));
            }
            symbols++;
        }
        int tail = symbols % 8;
        if (tail == 1 || tail == 3 || tail == 6) {
            throw new InvalidCredentialException("base32 secret has " + symbols
                    + " characters, a length no byte string encodes to; a character is missing or extra");
        }
        // Sized up front and written in place: no growing buffer leaves stray copies of the key.
        byte[] out = new byte[(int) ((long) symbols * 5 / 8)];
        int buffer = 0;
        int bits = 0;
        int written = 0;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            buffer = (buffer << 5) | valueOf(c);
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[written++] = (byte) (buffer >>> bits);
            }
        }
        return out;
    }

    /** Upper-case base32 without padding, as Key URIs carry it. */
    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out.append(ALPHABET[(buffer >>> bits) & 0x1F]);
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 0x1F]);
        }
        return out.toString();
    }

    private static int valueOf(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
    }
}
