package io.totptoken.host.fleet;

import java.util.Arrays;

/**
 * How a PSKC file's secrets are protected (RFC 6030 section 6): not at all (PlainValue), with a
 * pre-shared 16-byte AES key (section 6.1), or with a key derived from a password by PBKDF2
 * (section 6.2). Encrypted values are AES-128-CBC with the IV in front and carry a ValueMAC.
 */
public sealed interface PskcProtection {
    /** RFC 6030's example uses 1000; a file that travels by mail deserves more. */
    int DEFAULT_ITERATIONS = 100_000;

    record None() implements PskcProtection {
    }

    /** A pre-shared AES-128 key, named in the file by {@code keyName} (RFC 6030 section 6.1: ds:KeyName). */
    record PreSharedKey(byte[] key, String keyName) implements PskcProtection {
        public PreSharedKey {
            if (key.length != 16) {
                throw new FleetException("the PSKC key must be 16 bytes (AES-128), not " + key.length);
            }
            key = key.clone();
        }

        @Override
        public String toString() {
            return "PreSharedKey[<hidden>, " + keyName + "]";
        }
    }

    /** A password; PBKDF2-HMAC-SHA1 with a random salt and {@code iterations} derives the AES key. */
    record Password(char[] password, int iterations) implements PskcProtection {
        public Password {
            password = password.clone();
        }

        @Override
        public String toString() {
            return "Password[<hidden>, " + iterations + " iterations]";
        }
    }

    static PskcProtection none() {
        return new None();
    }

    /** Reads a key file: 16 raw bytes, or 32 hex digits (with white space around). */
    static byte[] keyFromFile(byte[] content) {
        if (content.length == 16) {
            return content.clone();
        }
        String text = new String(content, java.nio.charset.StandardCharsets.US_ASCII).strip();
        if (text.length() == 32 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return java.util.HexFormat.of().parseHex(text);
        }
        throw new FleetException("a PSKC key file holds 16 bytes, or 32 hex digits; this one has "
                + content.length + " bytes");
    }

    static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
