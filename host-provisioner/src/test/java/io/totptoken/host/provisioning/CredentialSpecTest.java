package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CredentialSpecTest {
    private static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    static CredentialSpec totp(int period, String issuer, String account) {
        return new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, period, 0, issuer, account, SECRET, false);
    }

    static CredentialSpec hotp(String issuer, String account) {
        return new CredentialSpec(OathType.HOTP, HashAlgorithm.SHA1, 6, 30, 0, issuer, account, SECRET, false);
    }

    @Test
    void toStringHidesTheSecret() {
        byte[] secret = {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, 0x11, 0x22};
        CredentialSpec spec = new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA256, 8, 60, 0, "Example", "alice",
                secret, true);
        String text = spec.toString();
        assertTrue(text.contains("secret=<6 bytes hidden>"), text);
        assertFalse(text.toLowerCase().contains("deadbeef"), text);
        assertFalse(text.contains(Base32.encode(secret)), text);
        assertFalse(text.contains(java.util.Arrays.toString(secret)), text);
    }

    @Test
    void wipeZeroesTheSecretAndCopiesTheInput() {
        byte[] input = SECRET.clone();
        CredentialSpec spec = totp(30, "Example", "alice");
        CredentialSpec other = new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "Example", "alice",
                input, false);
        input[0] = 0;
        assertEquals(spec, other, "the spec owns a copy of the secret");
        other.wipe();
        assertArrayEquals(new byte[SECRET.length], other.secret());
    }

    @Test
    void normalisesFieldsThatDoNotApply() {
        CredentialSpec hotp = new CredentialSpec(OathType.HOTP, HashAlgorithm.SHA1, 6, 0, 5, "  ", " bob ", SECRET,
                false);
        assertEquals(30, hotp.period());
        assertNull(hotp.issuer());
        assertEquals("bob", hotp.account());
        CredentialSpec totp = new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 99, null, "bob", SECRET,
                false);
        assertEquals(0, totp.counter());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TOTP | 5  | 30 | 0  | Ex  | a   | digits must be 6, 7 or 8, not 5",
        "TOTP | 9  | 30 | 0  | Ex  | a   | digits must be 6, 7 or 8, not 9",
        "TOTP | 6  | 0  | 0  | Ex  | a   | period must be a positive number of seconds, not 0",
        "TOTP | 6  | -1 | 0  | Ex  | a   | period must be a positive number of seconds, not -1",
        "HOTP | 6  | 30 | -1 | Ex  | a   | HOTP counter must be between 0 and 4294967295, not -1",
        "HOTP | 6  | 30 | 4294967296 | Ex | a | HOTP counter must be between 0 and 4294967295",
        "TOTP | 6  | 30 | 0  | Ex  | ''  | account name is missing",
        "TOTP | 6  | 30 | 0  | E:x | a   | issuer 'E:x' must not contain ':'",
        "TOTP | 6  | 30 | 0  | ''  | a:b | contains ':' but no issuer is given",
        "HOTP | 6  | 30 | 0  | ''  | :ab | contains ':' but no issuer is given",
    })
    void rejectsInvalidFields(OathType type, int digits, int period, long counter, String issuer, String account,
                              String message) {
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class, () -> new CredentialSpec(
                type, HashAlgorithm.SHA1, digits, period, counter, issuer, account, SECRET, false));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void rejectsEmptySecretAndControlCharacters() {
        assertThrows(InvalidCredentialException.class, () -> new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1,
                6, 30, 0, null, "a", new byte[0], false));
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class, () -> totp(30, "Ex", "a\nb"));
        assertEquals("account name contains a control character at position 2", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TOTP | 30 | Example | alice    | Example:alice",
        "TOTP | 30 | ''      | alice    | alice",
        "TOTP | 60 | Example | alice    | 60/Example:alice",
        "TOTP | 15 | ''      | alice    | 15/alice",
        "TOTP | 30 | ''      | 2024/a   | 30/2024/a",
        "TOTP | 30 | 12/x    | a        | 30/12/x:a",
        "TOTP | 30 | Ex      | a:b      | Ex:a:b",
        "HOTP | 60 | Example | alice    | Example:alice",
        "HOTP | 30 | ''      | 2024/a   | 2024/a",
        "HOTP | 30 | Ex      | a:b      | Ex:a:b",
    })
    void cardNameRoundTrips(OathType type, int period, String issuer, String account, String expected) {
        CredentialSpec spec = type == OathType.TOTP ? totp(period, issuer, account) : hotp(issuer, account);
        byte[] name = spec.cardName();
        assertEquals(expected, new String(name, StandardCharsets.UTF_8));
        CardName parsed = CredentialSpec.fromCardName(name, type);
        assertEquals(spec.period(), parsed.period());
        assertEquals(spec.issuer(), parsed.issuer());
        assertEquals(spec.account(), parsed.account());
    }

    /** Names as other YKOATH clients write them, read with the same rules. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "TOTP | Example:alice      | 30 | Example | alice",
        "TOTP | 60/Example:alice   | 60 | Example | alice",
        "TOTP | 30/alice           | 30 | null    | alice",
        "TOTP | 45/a:b:c           | 45 | a       | b:c",
        "TOTP | :alice             | 30 | null    | :alice",
        "TOTP | 0/alice            | 30 | null    | 0/alice",
        "TOTP | 99999999999/x:y    | 30 | 99999999999/x | y",
        "TOTP | 60/                | 30 | null    | 60/",
        "HOTP | Example:alice      | 30 | Example | alice",
        "HOTP | :Example:alice     | 30 | null    | :Example:alice",
        "HOTP | 60/Example:alice   | 30 | 60/Example | alice",
        "HOTP | alice              | 30 | null    | alice",
    })
    void parsesForeignCardNames(OathType type, String name, int period, String issuer, String account) {
        CardName parsed = CardName.parse(name.getBytes(StandardCharsets.UTF_8), type);
        assertEquals(new CardName(period, issuer, account), parsed);
    }

    @Test
    void cardNameLongerThan64BytesIsRefused() {
        String account = "a".repeat(56);
        assertEquals(64, totp(30, "Example", account).cardName().length);
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> totp(30, "Example", account + "b"));
        assertTrue(e.getMessage().contains("65 bytes in UTF-8 but the token stores at most 64"), e.getMessage());
        // multi-byte characters count as their UTF-8 length
        assertThrows(InvalidCredentialException.class, () -> totp(30, null, "\u00e9".repeat(33)));
        assertEquals(64, totp(30, null, "\u00e9".repeat(32)).cardName().length);
    }

    @Test
    void randomNamesRoundTripThroughTheCard() {
        Random random = new Random(64);
        String alphabet = "ab:/0123456789 \u00e9\u4e2dX";
        for (int i = 0; i < 5000; i++) {
            OathType type = random.nextBoolean() ? OathType.TOTP : OathType.HOTP;
            String issuer = random.nextInt(3) == 0 ? null : text(random, alphabet.replace(":", ""), 1 + random.nextInt(8));
            String account = text(random, alphabet, 1 + random.nextInt(12));
            int period = random.nextBoolean() ? 30 : 1 + random.nextInt(300);
            CredentialSpec spec;
            try {
                spec = new CredentialSpec(type, HashAlgorithm.SHA1, 6, period, 0, issuer, account, SECRET, false);
            } catch (InvalidCredentialException e) {
                continue; // e.g. a ':' in an account without an issuer
            }
            CardName parsed = CredentialSpec.fromCardName(spec.cardName(), type);
            String context = HexFormat.of().formatHex(spec.cardName());
            assertEquals(spec.issuer(), parsed.issuer(), context);
            assertEquals(spec.account(), parsed.account(), context);
            assertEquals(spec.period(), parsed.period(), context);
        }
    }

    @Test
    void algorithmCodesAndSizesFollowYkoath() {
        assertEquals(1, HashAlgorithm.SHA1.code());
        assertEquals(2, HashAlgorithm.SHA256.code());
        assertEquals(3, HashAlgorithm.SHA512.code());
        assertEquals(128, HashAlgorithm.SHA512.blockSize());
        assertEquals(32, HashAlgorithm.SHA256.outputLength());
        assertEquals(HashAlgorithm.SHA256, HashAlgorithm.fromCode(2));
        assertEquals(HashAlgorithm.SHA512, HashAlgorithm.fromName("sha-512"));
        assertEquals(0x20, OathType.TOTP.code());
        assertEquals(0x10, OathType.HOTP.code());
    }

    private static String text(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
