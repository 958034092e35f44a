package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.provisioning.InvalidCredentialException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A seed written as text in a manifest: hex or base32. A {@code hex:} or {@code base32:} prefix
 * says which; without one, text made only of hex digits and of even length is hex (a 20-byte
 * seed is 40 hex digits but 32 base32 characters, and base32 seeds nearly always hold letters
 * past F), anything else base32. Messages never repeat the seed.
 */
final class SeedText {
    /** RFC 4226 section 4 asks for 128 bits and recommends 160; 80 bits is what many apps still issue. */
    static final int MIN_BYTES = 10;
    static final int MAX_BYTES = 128;

    private SeedText() {
    }

    static byte[] decode(String text) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        byte[] seed;
        if (lower.startsWith("hex:")) {
            seed = hex(t.substring(4).strip());
        } else if (lower.startsWith("base32:")) {
            seed = base32(t.substring(7));
        } else if (!t.isEmpty() && t.length() % 2 == 0 && t.chars().allMatch(SeedText::isHex)) {
            seed = hex(t);
        } else {
            seed = base32(t);
        }
        if (seed.length < MIN_BYTES || seed.length > MAX_BYTES) {
            int n = seed.length;
            java.util.Arrays.fill(seed, (byte) 0);
            throw new InvalidCredentialException("seed is " + n + " bytes; it must be " + MIN_BYTES + " to "
                    + MAX_BYTES + " bytes (hex, or base32)");
        }
        return seed;
    }

    private static byte[] hex(String t) {
        if (t.length() % 2 != 0 || !t.chars().allMatch(SeedText::isHex)) {
            throw new InvalidCredentialException("hex seed has an odd length or a character that is not 0-9 or a-f");
        }
        return HexFormat.of().parseHex(t);
    }

    private static byte[] base32(String t) {
        try {
            return Base32.decode(t);
        } catch (InvalidCredentialException e) {
            throw new InvalidCredentialException("seed is neither hex nor base32: " + e.getMessage());
        }
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
