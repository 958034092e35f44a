package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtpauthUriTest {
    /** Base32 of "Hello!" DE AD BE EF. */
    private static final String SECRET = "JBSWY3DPEHPK3PXP";
    private static final byte[] SECRET_BYTES = Base32.decode(SECRET);

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        // uri | type | algorithm | digits | period | counter | issuer | account
        "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
            + " | TOTP | SHA1 | 6 | 30 | 0 | Example | alice@google.com",
        "otpauth://totp/alice@google.com?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | null | alice@google.com",
        "OTPAUTH://TOTP/Example:alice?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | Example | alice",
        "otpauth://totp/Example%3Aalice?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | Example | alice",
        "otpauth://totp/Example%3aalice?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | Example | alice",
        "otpauth://totp/Example:%20%20alice?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | Example | alice",
        "otpauth://totp/Example: alice?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | Example | alice",
        "otpauth://totp/ACME%20Co:john.doe%40email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co"
            + "&algorithm=SHA1&digits=6&period=30 | TOTP | SHA1 | 6 | 30 | 0 | ACME Co | john.doe@email.com",
        "otpauth://totp/Big+Corp:a+b?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | Big+Corp | a+b",
        "otpauth://totp/x:alice?secret=JBSWY3DPEHPK3PXP&issuer=Big+Corp | TOTP | SHA1 | 6 | 30 | 0 | Big Corp | alice",
        "otpauth://totp/Old%20Name:alice?secret=JBSWY3DPEHPK3PXP&issuer=NewName"
            + " | TOTP | SHA1 | 6 | 30 | 0 | NewName | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&issuer=Example | TOTP | SHA1 | 6 | 30 | 0 | Example | alice",
        "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer= | TOTP | SHA1 | 6 | 30 | 0 | Example | alice",
        "otpauth://totp/:alice?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/Ex:a:b?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | Ex | a:b",
        "otpauth://totp/alice?secret=jbswy3dpehpk3pxp | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP%3D%3D%3D%3D | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP==== | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSW%20Y3DP%20EHPK%203PXP | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSW+Y3DP+EHPK+3PXP | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256 | TOTP | SHA256 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&algorithm=sha512 | TOTP | SHA512 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&algorithm=Sha1 | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits=8 | TOTP | SHA1 | 8 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits=7 | TOTP | SHA1 | 7 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&period=60 | TOTP | SHA1 | 6 | 60 | 0 | null | alice",
        "otpauth://totp/alice?period=15&digits=8&algorithm=SHA256&secret=JBSWY3DPEHPK3PXP"
            + " | TOTP | SHA256 | 8 | 15 | 0 | null | alice",
        "otpauth://totp/alice?SECRET=JBSWY3DPEHPK3PXP&Digits=8 | TOTP | SHA1 | 8 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&image=https%3A%2F%2Fexample.com%2Flogo.png&lock=true"
            + " | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&image=%ZZbad&&=x&foo | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP#fragment | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "'  otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP  ' | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&counter=abc | TOTP | SHA1 | 6 | 30 | 0 | null | alice",
        "otpauth://totp/Caf%C3%A9:j%C3%BCrgen?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | Caf\u00e9 | j\u00fcrgen",
        "otpauth://totp/Caf\u00e9:j\u00fcrgen?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | Caf\u00e9 | j\u00fcrgen",
        "otpauth://totp/a%2Fb?secret=JBSWY3DPEHPK3PXP | TOTP | SHA1 | 6 | 30 | 0 | null | a/b",
        "otpauth://hotp/Example:alice?secret=JBSWY3DPEHPK3PXP&counter=0 | HOTP | SHA1 | 6 | 30 | 0 | Example | alice",
        "otpauth://hotp/alice?secret=JBSWY3DPEHPK3PXP&counter=4294967295&period=0"
            + " | HOTP | SHA1 | 6 | 30 | 4294967295 | null | alice",
        "otpauth://HOTP/alice?counter=42&digits=8&secret=JBSWY3DPEHPK3PXP | HOTP | SHA1 | 8 | 30 | 42 | null | alice",
    })
    void parsesValidUris(String uri, OathType type, HashAlgorithm algorithm, int digits, int period, long counter,
                         String issuer, String account) {
        CredentialSpec spec = OtpauthUri.parse(uri);
        assertEquals(type, spec.type());
        assertEquals(algorithm, spec.algorithm());
        assertEquals(digits, spec.digits());
        assertEquals(period, spec.period());
        assertEquals(counter, spec.counter());
        assertEquals(issuer, spec.issuer());
        assertEquals(account, spec.account());
        assertFalse(spec.touch());
        if (uri.contains("JBSWY3DPEHPK3PXP") || uri.contains("jbswy3dpehpk3pxp") || uri.contains("JBSW")) {
            assertArrayEquals(SECRET_BYTES, spec.secret());
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "otpauth://totp/alice | otpauth URI has no secret= parameter",
        "otpauth://totp/alice?issuer=Example | otpauth URI has no secret= parameter",
        "otpauth://totp/alice?secret= | otpauth URI has an empty secret= parameter",
        "otpauth://totp/alice?secret=%3D%3D | otpauth URI has an empty secret= parameter",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PX1 | base32 secret has a character that is not A-Z or 2-7 at position 16",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3P | base32 secret has 14 characters, a length no byte string encodes to",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP | the secret= parameter more than once",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits=5 | digits must be 6, 7 or 8, not 5",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits=10 | digits must be 6, 7 or 8, not 10",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits=six | digits= parameter must be digits only (at most 9), not 'six'",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits= | digits= parameter must be digits only",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&period=0 | period must be a positive number of seconds, not 0",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&period=-30 | period= parameter must be digits only (at most 9), not '-30'",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&period=30s | period= parameter must be digits only",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&period=99999999999 | period= parameter must be digits only",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&algorithm=MD5 | unsupported algorithm 'MD5' (expected SHA1, SHA256 or SHA512)",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&algorithm= | unsupported algorithm ''",
        "otpauth://hotp/alice?secret=JBSWY3DPEHPK3PXP | hotp URI has no counter= parameter",
        "otpauth://hotp/alice?secret=JBSWY3DPEHPK3PXP&counter=-1 | counter= parameter must be digits only (at most 18), not '-1'",
        "otpauth://hotp/alice?secret=JBSWY3DPEHPK3PXP&counter=x | counter= parameter must be digits only",
        "otpauth://hotp/alice?secret=JBSWY3DPEHPK3PXP&counter=4294967296 | HOTP counter must be between 0 and 4294967295",
        "otpauth://motp/alice?secret=JBSWY3DPEHPK3PXP | unknown OTP type 'motp' (expected totp or hotp)",
        "otpauth://totpsecret=JBSWY3DPEHPK3PXP | unknown OTP type a value of 27 characters (expected totp or hotp)",
        "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1secret=JBSWY3DP"
            + " | unsupported algorithm a value of 19 characters",
        "otpauth:///alice?secret=JBSWY3DPEHPK3PXP | otpauth URI has no type",
        "otpauth://?secret=JBSWY3DPEHPK3PXP | otpauth URI has no type",
        "otpauth://totp?secret=JBSWY3DPEHPK3PXP | otpauth URI has no account name in its label",
        "otpauth://totp/?secret=JBSWY3DPEHPK3PXP | otpauth URI has no account name in its label",
        "otpauth://totp/%20?secret=JBSWY3DPEHPK3PXP | otpauth URI has no account name in its label",
        "otpauth://totp/Example:?secret=JBSWY3DPEHPK3PXP | label has an issuer but no account name after the ':'",
        "otpauth://totp/Example%3A%20?secret=JBSWY3DPEHPK3PXP | label has an issuer but no account name after the ':'",
        "otpauth://totp/a%ZZb?secret=JBSWY3DPEHPK3PXP | label has a '%' that is not followed by two hex digits",
        "otpauth://totp/a%?secret=JBSWY3DPEHPK3PXP | label has a '%' that is not followed by two hex digits",
        "otpauth://totp/a%FFb?secret=JBSWY3DPEHPK3PXP | label is not UTF-8 text after percent-decoding",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&issuer=%C3 | issuer= parameter is not UTF-8 text after percent-decoding",
        "otpauth://totp/alice?secret=JBSW%ZZ | secret= parameter has a '%' that is not followed by two hex digits",
        "otpauth://totp/a%0Ab?secret=JBSWY3DPEHPK3PXP | account name contains a control character at position 2",
        "otpauth://totp/Ex:alice?secret=JBSWY3DPEHPK3PXP&issuer=E%3Ax | issuer 'E:x' must not contain ':'",
        "otpauth://totp/:a:b?secret=JBSWY3DPEHPK3PXP | account name 'a:b' contains ':' but no issuer is given",
        "https://example.com/totp/alice?secret=JBSWY3DPEHPK3PXP | not an otpauth:// URI",
        "otpauth:totp/alice?secret=JBSWY3DPEHPK3PXP | not an otpauth:// URI",
        "JBSWY3DPEHPK3PXP | not an otpauth:// URI",
        "'' | no otpauth:// URI given",
        "otpauth-migration://offline?data=CgA | this is a Google Authenticator export (otpauth-migration://)",
    })
    void rejectsMalformedUrisWithAnActionableMessage(String uri, String expected) {
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class, () -> OtpauthUri.parse(uri));
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
        assertFalse(e.getMessage().contains("JBSW"), "message must not echo the secret: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
    }

    @Test
    void keepsASecretLongerThanTheBlockSizeRaw() {
        byte[] longKey = new byte[200];
        new Random(1).nextBytes(longKey);
        CredentialSpec spec = OtpauthUri.parse("otpauth://totp/a?secret=" + Base32.encode(longKey));
        assertArrayEquals(longKey, spec.secret());
    }

    @Test
    void formatsTheKeyUriFormat() {
        CredentialSpec spec = new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA256, 8, 60, 0, "ACME Co",
                "john+doe@example.com", SECRET_BYTES, false);
        assertEquals("otpauth://totp/ACME%20Co:john%2Bdoe%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co"
                + "&algorithm=SHA256&digits=8&period=60", OtpauthUri.format(spec));
        CredentialSpec hotp = new CredentialSpec(OathType.HOTP, HashAlgorithm.SHA1, 6, 30, 7, null, "bob",
                SECRET_BYTES, false);
        assertEquals("otpauth://hotp/bob?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&counter=7",
                OtpauthUri.format(hotp));
    }

    @Test
    void formatThenParseRoundTripsRandomSpecs() {
        Random random = new Random(6238);
        String alphabet = "aZ09 .-_~+&?#=%/:@\u00e9\u00df\u4e2d\ud83d\ude00";
        int checked = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] secret = new byte[1 + random.nextInt(80)];
            random.nextBytes(secret);
            OathType type = random.nextBoolean() ? OathType.TOTP : OathType.HOTP;
            String issuer = random.nextInt(4) == 0 ? null : randomText(random, alphabet.replace(":", ""));
            String account = randomText(random, alphabet);
            CredentialSpec spec;
            try {
                spec = new CredentialSpec(type, HashAlgorithm.values()[random.nextInt(3)], 6 + random.nextInt(3),
                        1 + random.nextInt(random.nextBoolean() ? 100 : 100_000), random.nextLong() & 0xFFFF_FFFFL,
                        issuer, account, secret, false);
            } catch (InvalidCredentialException e) {
                continue; // e.g. ':' in an account without an issuer
            }
            String uri = OtpauthUri.format(spec);
            assertEquals(spec, OtpauthUri.parse(uri), uri);
            checked++;
        }
        assertTrue(checked > 2000, "too few random specs were valid: " + checked);
    }

    @Test
    void errorsFromASecretAreTheSameForEverySecret() {
        String first = assertThrows(InvalidCredentialException.class,
                () -> OtpauthUri.parse("otpauth://totp/a?secret=AAAAAAA1")).getMessage();
        String second = assertThrows(InvalidCredentialException.class,
                () -> OtpauthUri.parse("otpauth://totp/a?secret=BBBBBBB1")).getMessage();
        assertEquals(first, second, "the message must depend on the position only, not on the secret");
    }

    private static String randomText(Random random, String alphabet) {
        int[] codePoints = alphabet.codePoints().toArray();
        StringBuilder out = new StringBuilder();
        int length = 1 + random.nextInt(10);
        for (int i = 0; i < length; i++) {
            out.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return new String(out.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
