package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoogleMigrationTest {
    /** "Hello!" DE AD BE EF, base32 JBSWY3DPEHPK3PXP. */
    private static final byte[] SECRET = HexFormat.of().parseHex("48656c6c6f21deadbeef");

    /**
     * A MigrationPayload written out by hand from the field numbers in REFERENCE.md section 4:
     * a TOTP entry with issuer and "issuer:account" name, a HOTP entry with SHA256, 8 digits and
     * a two-byte counter varint, then version 1, batch size 1, index 0, batch id 150.
     */
    static byte[] fixedVector() {
        ByteArrayOutputStream totp = new ByteArrayOutputStream();
        totp.write(0x0A); // field 1 secret, wire type 2
        totp.write(SECRET.length);
        totp.writeBytes(SECRET);
        byte[] name = "Example:alice@google.com".getBytes(StandardCharsets.US_ASCII);
        totp.write(0x12); // field 2 name, wire type 2
        totp.write(name.length); // 24
        totp.writeBytes(name);
        totp.write(0x1A); // field 3 issuer
        totp.write(7);
        totp.writeBytes("Example".getBytes(StandardCharsets.US_ASCII));
        totp.writeBytes(new byte[] {0x20, 0x01}); // field 4 algorithm = SHA1
        totp.writeBytes(new byte[] {0x28, 0x01}); // field 5 digits = SIX
        totp.writeBytes(new byte[] {0x30, 0x02}); // field 6 type = TOTP
        assertEquals(53, totp.size());

        ByteArrayOutputStream hotp = new ByteArrayOutputStream();
        hotp.writeBytes(new byte[] {0x0A, 0x03, 'a', 'b', 'c'});
        hotp.writeBytes(new byte[] {0x12, 0x03, 'b', 'o', 'b'});
        hotp.writeBytes(new byte[] {0x20, 0x02}); // SHA256
        hotp.writeBytes(new byte[] {0x28, 0x02}); // EIGHT
        hotp.writeBytes(new byte[] {0x30, 0x01}); // HOTP
        hotp.writeBytes(new byte[] {0x38, (byte) 0xAC, 0x02}); // field 7 counter = 300

        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(new byte[] {0x0A, 0x35});
        payload.writeBytes(totp.toByteArray());
        payload.writeBytes(new byte[] {0x0A, (byte) hotp.size()});
        payload.writeBytes(hotp.toByteArray());
        payload.writeBytes(new byte[] {0x10, 0x01}); // version 1
        payload.writeBytes(new byte[] {0x18, 0x01}); // batch_size 1
        payload.writeBytes(new byte[] {0x20, 0x00}); // batch_index 0
        payload.writeBytes(new byte[] {0x28, (byte) 0x96, 0x01}); // batch_id 150
        return payload.toByteArray();
    }

    static String uriOf(byte[] payload) {
        String base64 = Base64.getEncoder().encodeToString(payload);
        return "otpauth-migration://offline?data="
                + base64.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D");
    }

    @Test
    void decodesTheHandWrittenVector() {
        MigrationBatch batch = GoogleMigration.decode(uriOf(fixedVector()));
        assertEquals(150, batch.batchId());
        assertEquals(0, batch.index());
        assertEquals(1, batch.size());
        assertEquals(2, batch.credentials().size());

        CredentialSpec totp = batch.credentials().get(0);
        assertEquals(OathType.TOTP, totp.type());
        assertEquals(HashAlgorithm.SHA1, totp.algorithm());
        assertEquals(6, totp.digits());
        assertEquals(30, totp.period());
        assertEquals("Example", totp.issuer());
        assertEquals("alice@google.com", totp.account());
        assertArrayEquals(SECRET, totp.secret());

        CredentialSpec hotp = batch.credentials().get(1);
        assertEquals(OathType.HOTP, hotp.type());
        assertEquals(HashAlgorithm.SHA256, hotp.algorithm());
        assertEquals(8, hotp.digits());
        assertEquals(300, hotp.counter());
        assertNull(hotp.issuer());
        assertEquals("bob", hotp.account());
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), hotp.secret());
    }

    @Test
    void encoderWritesTheSameBytesAsTheHandWrittenVector() {
        MigrationBatch batch = GoogleMigration.decode(uriOf(fixedVector()));
        assertEquals(HexFormat.of().formatHex(fixedVector()), HexFormat.of().formatHex(GoogleMigration.encodePayload(batch)));
        assertEquals(batch, GoogleMigration.decode(GoogleMigration.encode(batch)));
    }

    @Test
    void acceptsUrlSafeAndUnpaddedBase64AndAnyCaseScheme() {
        String base64 = Base64.getUrlEncoder().withoutPadding().encodeToString(fixedVector());
        MigrationBatch batch = GoogleMigration.decode("OTPAUTH-MIGRATION://offline?data=" + base64);
        assertEquals(2, batch.credentials().size());
        String raw = Base64.getEncoder().encodeToString(fixedVector()); // '+' and '/' left unescaped
        assertEquals(batch, GoogleMigration.decode("otpauth-migration://offline?data=" + raw));
    }

    @Test
    void roundTripsRandomExportsThroughTheEncoder() {
        Random random = new Random(20);
        for (int round = 0; round < 300; round++) {
            List<CredentialSpec> specs = new ArrayList<>();
            int count = random.nextInt(12);
            for (int i = 0; i < count; i++) {
                byte[] secret = new byte[1 + random.nextInt(64)];
                random.nextBytes(secret);
                OathType type = random.nextBoolean() ? OathType.TOTP : OathType.HOTP;
                String issuer = random.nextInt(3) == 0 ? null : "Issuer " + random.nextInt(1000);
                String account = random.nextBoolean() ? "user" + i + "@example.com" : "x:" + i + "\u00e9";
                specs.add(new CredentialSpec(type, HashAlgorithm.values()[random.nextInt(3)], random.nextBoolean() ? 6 : 8,
                        30, random.nextLong() & 0xFFFF_FFFFL, issuer == null && account.contains(":") ? "I" : issuer,
                        account, secret, false));
            }
            int size = 1 + random.nextInt(5);
            MigrationBatch batch = new MigrationBatch(random.nextInt(), random.nextInt(size), size, specs);
            assertEquals(batch, GoogleMigration.decode(GoogleMigration.encode(batch)));
        }
    }

    @Test
    void stripsTheIssuerPrefixFromTheNameOnlyWhenItMatches() {
        assertEquals(List.of("Example", "alice"), namesOf(entry("Example:alice", "Example")));
        assertEquals(List.of("Example", "Other:alice"), namesOf(entry("Other:alice", "Example")));
        assertEquals(List.of("Example", "alice"), namesOf(entry("alice", "Example")));
        assertEquals(List.of("Example", "alice"), namesOf(entry("Example: alice", "Example")));
        assertEquals(List.of("Example", "alice"), namesOf(entry("Example:alice", null)));
        assertEquals(List.of("", "alice"), namesOf(entry(":alice", null)));
    }

    @ParameterizedTest
    @CsvSource({"0, SHA1", "1, SHA1", "2, SHA256", "3, SHA512"})
    void mapsAlgorithmCodes(int code, HashAlgorithm expected) {
        byte[] payload = message(1, otp(SECRET, "a", null, code, 1, 2, -1));
        assertEquals(expected, GoogleMigration.decodePayload(payload).credentials().get(0).algorithm());
    }

    @ParameterizedTest
    @CsvSource({"0, 6", "1, 6", "2, 8"})
    void mapsDigitCodes(int code, int expected) {
        byte[] payload = message(1, otp(SECRET, "a", null, 1, code, 2, -1));
        assertEquals(expected, GoogleMigration.decodePayload(payload).credentials().get(0).digits());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "4 | 1 | 2 | export entry 1 ('a'): HMAC-MD5 is not supported by the token; keep this account in another app",
        "5 | 1 | 2 | export entry 1 ('a'): unknown algorithm code 5",
        "1 | 3 | 2 | export entry 1 ('a'): unknown digit count code 3",
        "1 | 1 | 0 | export entry 1 ('a'): no OTP type (neither HOTP nor TOTP)",
        "1 | 1 | 3 | export entry 1 ('a'): unknown OTP type code 3",
    })
    void refusesWhatTheTokenCannotDo(int algorithm, int digits, int type, String message) {
        byte[] payload = message(1, otp(SECRET, "a", null, algorithm, digits, type, -1));
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> GoogleMigration.decodePayload(payload));
        assertEquals(message, e.getMessage());
    }

    @Test
    void refusesAnEntryWithoutSecret() {
        byte[] payload = message(1, otp(new byte[0], "a", null, 1, 1, 2, -1));
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> GoogleMigration.decodePayload(payload));
        assertEquals("export entry 1 ('a'): no secret", e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "0a                   | export data is corrupt: a number is cut off",
        "0a05 0a01            | export data is corrupt: a field's length runs past the end of the data",
        "0aff                 | export data is corrupt: a number is cut off",
        "0affffffffffffffffff7f | export data is corrupt: a number is longer than 64 bits",
        "0affffffffffffffffff01 | export data is corrupt: a field's length runs past the end of the data",
        "0affffffff0f         | export data is corrupt: a field's length runs past the end of the data",
        "0a80808080808080808002 | export data is corrupt: a number is longer than 64 bits",
        "08 01                | export data is corrupt: otp_parameters has wire type 0, expected 2",
        "12 00                | export data is corrupt: batch information has wire type 2, expected 0",
        "0b                   | export data is corrupt: wire type 3 is not supported",
        "00                   | export data is corrupt: field number 0 is out of range",
        "0a02 0801            | export entry 1: export data is corrupt: secret has wire type 0, expected 2",
        "0a03 2a0101          | export entry 1: export data is corrupt: digits has wire type 2, expected 0",
        "0a02 1201            | export entry 1: export data is corrupt: a field's length runs past the end",
        "0a03 1201ff          | export entry 1: export data is corrupt: name is not UTF-8 text",
        "4d 010203            | export data is corrupt: a field runs past the end of the data",
        "49 01020304050607    | export data is corrupt: a field runs past the end of the data",
        "18 05 20 05          | export batch index 5 is outside its 5 batches",
        "18 02 20 ffffffffffffffffff01 | export batch index -1 is outside its 2 batches",
        "18 e907              | export claims 1001 batches; expected 1 to 1000",
        "18 8080808010        | export data is corrupt: batch size or index does not fit 32 bits",
    })
    void refusesCorruptProtobuf(String hex, String message) {
        byte[] payload = HexFormat.of().parseHex(hex.replace(" ", ""));
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> GoogleMigration.decodePayload(payload));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void skipsUnknownFieldsOfEveryWireType() {
        byte[] unknown = HexFormat.of().parseHex("4801" + "510102030405060708" + "5a026869" + "6501020304");
        byte[] withUnknown = concat(fixedVector(), unknown);
        assertEquals(2, GoogleMigration.decodePayload(withUnknown).credentials().size());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "otpauth-migration://offline | export URI has no data= parameter",
        "otpauth-migration://offline?data= | export URI has no data= parameter",
        "otpauth-migration://offline?data=CgA&data=CgA | export URI has the data= parameter more than once",
        "otpauth-migration://offline?data=*** | export data= parameter is not valid base64",
        "otpauth-migration://offline?data=Cg%ZZ | export data= parameter has a '%' that is not followed by two hex digits",
        "otpauth-migration://online?data=CgA | not a Google Authenticator export",
        "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP | not a Google Authenticator export",
        "otpauth-migration://offline?data=Cg | export data is corrupt: a number is cut off",
        "otpauth-migration://offline?data=CgA | export entry 1: no OTP type (neither HOTP nor TOTP)",
    })
    void refusesMalformedExportUris(String uri, String message) {
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class, () -> GoogleMigration.decode(uri));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void encoderRefusesWhatTheFormatCannotCarry() {
        CredentialSpec period60 = new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, 60, 0, null, "a", SECRET, false);
        CredentialSpec digits7 = new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 7, 30, 0, null, "a", SECRET, false);
        assertThrows(InvalidCredentialException.class,
                () -> GoogleMigration.encode(new MigrationBatch(1, 0, 1, List.of(period60))));
        assertThrows(InvalidCredentialException.class,
                () -> GoogleMigration.encode(new MigrationBatch(1, 0, 1, List.of(digits7))));
    }

    @Test
    void errorMessagesNeverContainTheSecret() {
        byte[] md5 = message(1, otp(SECRET, "Example:alice", "Example", 4, 1, 2, -1));
        String text = assertThrows(InvalidCredentialException.class, () -> GoogleMigration.decodePayload(md5)).getMessage();
        assertFalse(text.contains(Base32.encode(SECRET)), text);
        assertFalse(text.contains(HexFormat.of().formatHex(SECRET)), text);
        assertFalse(text.contains(Base64.getEncoder().encodeToString(SECRET)), text);
    }

    private static List<String> namesOf(byte[] otpParameters) {
        CredentialSpec spec = GoogleMigration.decodePayload(message(1, otpParameters)).credentials().get(0);
        return List.of(spec.issuer() == null ? "" : spec.issuer(), spec.account());
    }

    private static byte[] entry(String name, String issuer) {
        return otp(SECRET, name, issuer, 1, 1, 2, -1);
    }

    /** OtpParameters, fields in order; issuer null and counter negative mean absent. */
    static byte[] otp(byte[] secret, String name, String issuer, int algorithm, int digits, int type, long counter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(message(1, secret));
        out.writeBytes(message(2, name.getBytes(StandardCharsets.UTF_8)));
        if (issuer != null) {
            out.writeBytes(message(3, issuer.getBytes(StandardCharsets.UTF_8)));
        }
        out.writeBytes(new byte[] {0x20, (byte) algorithm, 0x28, (byte) digits, 0x30, (byte) type});
        if (counter >= 0) {
            out.write(0x38);
            out.write((int) counter); // small values only
        }
        return out.toByteArray();
    }

    /** A length-delimited field with a one-byte key and a one-byte length. */
    static byte[] message(int field, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(field << 3 | 2);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
