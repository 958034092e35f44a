package io.totptoken.host.provisioning.imports;

import static io.totptoken.host.provisioning.imports.AppBackupFixtures.ALICE;
import static io.totptoken.host.provisioning.imports.AppBackupFixtures.BOB;
import static io.totptoken.host.provisioning.imports.AppBackupFixtures.CAROL;
import static io.totptoken.host.provisioning.imports.AppBackupFixtures.DAVE;
import static io.totptoken.host.provisioning.imports.AppBackupFixtures.GAMER;
import static io.totptoken.host.provisioning.imports.AppBackupFixtures.LONG;
import static io.totptoken.host.provisioning.imports.AppBackupFixtures.MALLORY;
import static io.totptoken.host.provisioning.imports.AppBackupFixtures.flipped;
import static io.totptoken.host.provisioning.imports.AppBackupFixtures.assertTheSharedEntries;
import static io.totptoken.host.provisioning.imports.AppBackupFixtures.python;
import static io.totptoken.host.provisioning.imports.AppBackupFixtures.secretOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** andOTP backups (plain JSON and .aes) made by Python, read, put on a simulated token, codes against oathtool. */
class AndOtpBackupTest {
    private static final String ERIN = secretOf(128);
    private static final List<String> SECRETS = List.of(ALICE, BOB, ERIN, CAROL, GAMER, DAVE, MALLORY, LONG);
    private static final long T = 1_700_000_000L;
    private static final String PASSWORD = "andOTP p\u00e4ssword";

    /** Builds an andOTP backup: argv entries.json out mode (plain, aes) password iterations. */
    private static final String MAKE_ANDOTP = """
            import hashlib, json, os, struct, sys
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            entries_file, out, mode, password, iterations = sys.argv[1:6]
            data = json.dumps(json.load(open(entries_file, encoding="utf-8"))).encode("utf-8")
            if mode == "aes":
                iterations = int(iterations)
                salt, nonce = os.urandom(12), os.urandom(12)
                key = hashlib.pbkdf2_hmac("sha1", password.encode("utf-8"), salt, iterations, 32)
                data = struct.pack(">I", iterations) + salt + nonce + AESGCM(key).encrypt(nonce, data, None)
            with open(out, "wb") as f:
                f.write(data)
            """;

    private static String entry(String secret, String fields) {
        return "{\"secret\":\"" + secret + "\"," + fields + ",\"thumbnail\":\"Default\",\"last_used\":1700000000000,"
                + "\"used_frequency\":3,\"tags\":[\"work\"]}";
    }

    private static final String ENTRIES = "[" + String.join(",",
            entry(ALICE, "\"issuer\":\"GitHub\",\"label\":\"alice\",\"digits\":6,\"type\":\"TOTP\",\"algorithm\":\"SHA1\","
                    + "\"period\":30"),
            entry(BOB, "\"issuer\":\"Example\",\"label\":\"bob\",\"digits\":8,\"type\":\"TOTP\",\"algorithm\":\"SHA256\","
                    + "\"period\":60"),
            entry(ERIN, "\"issuer\":\"Big\",\"label\":\"erin\",\"digits\":7,\"type\":\"TOTP\",\"algorithm\":\"SHA512\","
                    + "\"period\":30"),
            entry(CAROL, "\"issuer\":\"Hotp\",\"label\":\"carol\",\"digits\":6,\"type\":\"HOTP\",\"algorithm\":\"SHA1\","
                    + "\"counter\":7"),
            entry(GAMER, "\"issuer\":\"Steam\",\"label\":\"gamer\",\"digits\":5,\"type\":\"STEAM\",\"algorithm\":\"SHA1\","
                    + "\"period\":30"),
            entry(DAVE, "\"label\":\"Dropbox:dave\",\"digits\":6,\"type\":\"TOTP\",\"algorithm\":\"SHA1\",\"period\":30"),
            entry(MALLORY, "\"issuer\":\"Legacy\",\"label\":\"mallory\",\"digits\":6,\"type\":\"TOTP\",\"algorithm\":\"MD5\","
                    + "\"period\":30"),
            entry(MALLORY, "\"issuer\":\"Phone\",\"label\":\"motp\",\"digits\":6,\"type\":\"MOTP\",\"algorithm\":\"SHA1\","
                    + "\"period\":10"),
            entry(LONG, "\"issuer\":\"Long\",\"label\":\"long\",\"digits\":6,\"type\":\"TOTP\",\"algorithm\":\"SHA1\","
                    + "\"period\":30")) + "]";

    @TempDir
    Path dir;

    private byte[] make(String mode, String password, int iterations) throws Exception {
        Path entries = Files.writeString(dir.resolve("entries.json"), ENTRIES);
        Path out = dir.resolve("backup." + mode);
        python(dir, MAKE_ANDOTP, entries.toString(), out.toString(), mode, password, Integer.toString(iterations));
        return Files.readAllBytes(out);
    }

    private static ImportPassword password(String text, AtomicInteger asked) {
        return what -> {
            asked.incrementAndGet();
            return text.toCharArray();
        };
    }

    @Test
    void aPlainBackupIsRecognisedAndItsCodesAreOathtoolsOnTheToken() throws Exception {
        byte[] file = make("plain", "", 0);
        assertInstanceOf(AndOtpBackup.class, Exports.detect(file));
        assertEverythingButTheUnsupported(Exports.detect(file).read(file, what -> fail("asked for a password")));
    }

    @Test
    void anEncryptedBackupAsksOnceAndGivesTheSameCredentials() throws Exception {
        byte[] file = make("aes", PASSWORD, 150_000);
        assertInstanceOf(AndOtpBackup.class, Exports.detect(file));
        AtomicInteger asked = new AtomicInteger();
        assertEverythingButTheUnsupported(Exports.detect(file).read(file, password(PASSWORD, asked)));
        assertEquals(1, asked.get());
    }

    private void assertEverythingButTheUnsupported(ImportResult result) throws Exception {
        assertEquals(List.of(new ImportResult.Skipped("Legacy:mallory", "MD5 is not an algorithm YKOATH has"),
                new ImportResult.Skipped("Phone:motp", "mOTP is not a type the token computes"),
                new ImportResult.Skipped("Long:long", "secret of 65 bytes is longer than the 64-byte SHA1 block the token takes")),
                result.skipped());
        assertTheSharedEntries(result, dir.resolve("t.sim"), ERIN, T);
    }

    @Test
    void aWrongPasswordAChangedTagAndATruncatedFileAreOneLine() throws Exception {
        byte[] file = make("aes", PASSWORD, 140_000);
        String tag = "the password does not open the andOTP backup, or the file was changed or truncated"
                + " (the GCM tag does not match)";
        for (byte[] bad : List.of(file, flipped(file, -1), flipped(file, -16), Arrays.copyOf(file, file.length - 1))) {
            String pw = bad == file ? "andOTP password" : PASSWORD;
            ImportException e = assertThrows(ImportException.class,
                    () -> new AndOtpBackup().read(bad, password(pw, new AtomicInteger())));
            assertEquals(tag, e.getMessage());
        }
        ImportException shortFile = assertThrows(ImportException.class,
                () -> new AndOtpBackup().read(Arrays.copyOf(file, 43), password(PASSWORD, new AtomicInteger())));
        assertEquals("the andOTP backup has 43 bytes, fewer than its 44-byte header and tag (truncated?)",
                shortFile.getMessage());
        byte[] plain = make("plain", "", 0);
        ImportException json = assertThrows(ImportException.class,
                () -> new AndOtpBackup().read(Arrays.copyOf(plain, plain.length / 3), password(PASSWORD, new AtomicInteger())));
        assertTrue(json.getMessage().startsWith("the andOTP backup is not valid JSON (line 1, column "), json.getMessage());
        for (String s : SECRETS) {
            assertFalse(json.getMessage().contains(s), json.getMessage());
        }
    }

    @Test
    void anIterationCountOutOfRangeIsRefusedBeforeAnyWork() throws Exception {
        byte[] file = make("aes", PASSWORD, 1_000);
        for (int count : new int[] {0, 10_000_001, -1}) {
            byte[] bad = file.clone();
            ByteBuffer.wrap(bad).putInt(count);
            assertFalse(new AndOtpBackup().recognises(bad));
            AtomicInteger asked = new AtomicInteger();
            ImportException e = assertThrows(ImportException.class, () -> new AndOtpBackup().read(bad, password(PASSWORD, asked)));
            assertEquals("the andOTP backup asks for " + Integer.toUnsignedString(count)
                    + " PBKDF2 iterations (taken: 1 to 10000000); not an andOTP file, or damaged", e.getMessage());
            assertEquals(0, asked.get(), "refused before asking for the password");
        }
    }

    @Test
    void aSmallCountIsNotRecognisedButStillRead() throws Exception {
        byte[] file = make("aes", PASSWORD, 500);
        assertFalse(new AndOtpBackup().recognises(file));
        assertEquals(6, new AndOtpBackup().read(file, password(PASSWORD, new AtomicInteger())).credentials().size());
    }

    @Test
    void numbersTooLargeForTheirFieldAreSkippedNotWrapped() {
        String json = "[" + entry(ALICE, "\"issuer\":\"Big\",\"label\":\"digits\",\"type\":\"TOTP\","
                + "\"digits\":18446744073709551622") + ","
                + entry(ALICE, "\"issuer\":\"Big\",\"label\":\"period\",\"type\":\"TOTP\",\"period\":4294967326") + ","
                + entry(CAROL, "\"issuer\":\"Big\",\"label\":\"counter\",\"type\":\"HOTP\","
                + "\"counter\":18446744073709551623") + "]";
        ImportResult result = new AndOtpBackup().read(json.getBytes(StandardCharsets.UTF_8), what -> fail("asked"));
        assertEquals(List.of(), result.credentials());
        assertEquals(List.of(new ImportResult.Skipped("Big:digits", "digits is not a number the token takes"),
                new ImportResult.Skipped("Big:period", "period is not a number the token takes"),
                new ImportResult.Skipped("Big:counter", "HOTP counter is larger than 4294967295")), result.skipped());
    }

    @Test
    void aSteamEntryIsAlwaysThirtySecondsSha1SixDigitsUnderSteam() {
        String json = "[" + entry(GAMER, "\"issuer\":\"Valve\",\"label\":\"Steam:gamer\",\"type\":\"steam\","
                + "\"algorithm\":\"SHA512\",\"digits\":5,\"period\":60") + "]";
        CredentialSpec steam = new AndOtpBackup().read(json.getBytes(StandardCharsets.UTF_8), what -> fail("asked"))
                .credentials().get(0);
        assertEquals(List.of(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, "Steam", "gamer"),
                List.of(steam.type(), steam.algorithm(), steam.digits(), steam.period(), steam.issuer(), steam.account()));
    }

    @Test
    void jsonNestedTooDeepIsOneLineNotAStackOverflow() {
        byte[] deep = ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
        assertFalse(new AndOtpBackup().recognises(deep));
        ImportException e = assertThrows(ImportException.class, () -> new AndOtpBackup().read(deep, what -> fail("asked")));
        assertEquals("the andOTP backup goes beyond the limits of the JSON reader (nested more than 1,000 deep,"
                + " or a number or text far too long)", e.getMessage());
    }

    @Test
    void otherFilesAreNotClaimed() throws Exception {
        AndOtpBackup format = new AndOtpBackup();
        assertTrue(format.recognises(make("aes", PASSWORD, 1_000)));
        byte[] tail = new byte[60];
        Arrays.fill(tail, (byte) 0x41);
        List<byte[]> others = List.of(
                concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, tail),
                concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, tail),
                concat(new byte[] {0, 0, 1, 0, 1, 0, 16, 16}, tail), // ICO
                concat(new byte[] {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, tail), // MP4
                concat(new byte[] {0, 0, 0x10, 0, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, tail), // a big ftyp box
                "[{\"secret\":\"AAAA\"}]".getBytes(StandardCharsets.UTF_16BE),
                "{\"schemaVersion\":4,\"services\":[]}".getBytes(StandardCharsets.UTF_8),
                "[{\"label\":\"x\"}]".getBytes(StandardCharsets.UTF_8),
                "[]".getBytes(StandardCharsets.UTF_8),
                "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n".repeat(3).getBytes(StandardCharsets.UTF_8),
                new byte[43]);
        for (byte[] other : others) {
            assertFalse(format.recognises(other), new String(other, StandardCharsets.ISO_8859_1));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
