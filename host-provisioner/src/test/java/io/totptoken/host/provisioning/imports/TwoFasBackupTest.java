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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 2FAS backups made by Python (hashlib PBKDF2, cryptography's AESGCM), read, put on a simulated token, codes against oathtool. */
class TwoFasBackupTest {
    private static final String ERIN = secretOf(64);
    private static final List<String> SECRETS = List.of(ALICE, BOB, ERIN, CAROL, GAMER, DAVE, MALLORY, LONG);
    private static final long T = 1_700_000_000L;
    private static final String PASSWORD = "correct horse \u00fcn\u00efcode";

    /** Builds a .2fas: argv services.json out password mode (plain, encrypted, tamper, noref). */
    private static final String MAKE_2FAS = """
            import base64, hashlib, json, os, sys
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            services_file, out, password, mode = sys.argv[1:5]
            services = json.load(open(services_file, encoding="utf-8"))
            # 2FAS's fixed reference text (2fas-android BackupContent.Reference)
            reference = ("tRViSsLKzd86Hprh4ceC2OP7xazn4rrt4xhfEUbOjxLX8Rc3mkISXE0lWbmnWfggogbBJhtYgpK6fMl1D6m"
                "tsy92R3HkdGfwuXbzLebqVFJsR7IZ2w58t938iymwG4824igYy1wi6n2WDpO1Q1P69zwJGs2F5a1qP4MyIiDSD7NCV2OvidX"
                "QCBnDlGfmz0f1BQySRkkt4ryiJeCjD2o4QsveJ9uDBUn8ELyOrESv5R5DMDkD4iAF8TXU7KyoJujd")
            doc = {"schemaVersion": 4, "appVersionCode": 5000029, "appVersionName": "5.4.1", "appOrigin": "android",
                   "groups": []}
            if mode == "plain":
                doc["services"] = services
            else:
                salt = os.urandom(256)
                key = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, 10000, 32)
                def seal(data, tamper=False):
                    iv = os.urandom(12)
                    sealed = bytearray(AESGCM(key).encrypt(iv, data, None))
                    if tamper:
                        sealed[-1] ^= 1
                    return ":".join(base64.b64encode(x).decode() for x in (bytes(sealed), salt, iv))
                doc["services"] = []
                doc["servicesEncrypted"] = seal(json.dumps(services).encode("utf-8"), mode == "tamper")
                if mode != "noref":
                    doc["reference"] = seal(reference.encode("ascii"))
            with open(out, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            """;

    @TempDir
    Path dir;

    private static String service(String name, String secret, String otp) {
        return "{\"name\":\"" + name + "\",\"secret\":\"" + secret + "\",\"updatedAt\":1700000000000,"
                + "\"otp\":{" + otp + ",\"source\":\"Link\"},\"order\":{\"position\":0},"
                + "\"icon\":{\"selected\":\"Label\",\"label\":{\"text\":\"GH\",\"backgroundColor\":\"Orange\"}}}";
    }

    private static final String SERVICES = "[" + String.join(",",
            service("GitHub", ALICE, "\"label\":\"GitHub:alice\",\"account\":\"alice\",\"issuer\":\"GitHub\","
                    + "\"digits\":6,\"period\":30,\"algorithm\":\"SHA1\",\"tokenType\":\"TOTP\""),
            service("Example", BOB, "\"account\":\"bob\",\"issuer\":\"Example\",\"digits\":8,\"period\":60,"
                    + "\"algorithm\":\"SHA256\",\"tokenType\":\"TOTP\""),
            service("Big", ERIN, "\"account\":\"erin\",\"issuer\":\"Big\",\"digits\":7,\"period\":30,"
                    + "\"algorithm\":\"SHA512\",\"tokenType\":\"TOTP\""),
            service("Hotp", CAROL, "\"account\":\"carol\",\"issuer\":\"Hotp\",\"digits\":6,\"counter\":7,"
                    + "\"algorithm\":\"SHA1\",\"tokenType\":\"HOTP\""),
            service("Steam", GAMER, "\"account\":\"gamer\",\"digits\":5,\"period\":30,\"algorithm\":\"SHA1\","
                    + "\"tokenType\":\"STEAM\""),
            service("Dropbox", DAVE, "\"account\":\"dave\",\"digits\":6,\"period\":30,\"algorithm\":\"SHA1\","
                    + "\"tokenType\":\"TOTP\""),
            service("Legacy", MALLORY, "\"account\":\"mallory\",\"issuer\":\"Legacy\",\"algorithm\":\"MD5\","
                    + "\"tokenType\":\"TOTP\""),
            service("Long", LONG, "\"account\":\"long\",\"issuer\":\"Long\",\"algorithm\":\"SHA1\","
                    + "\"tokenType\":\"TOTP\"")) + "]";

    private byte[] make(String mode, String password) throws Exception {
        Path services = Files.writeString(dir.resolve("services.json"), SERVICES);
        Path out = dir.resolve(mode + ".2fas");
        python(dir, MAKE_2FAS, services.toString(), out.toString(), password, mode);
        return Files.readAllBytes(out);
    }

    private static ImportPassword noPassword() {
        return what -> fail("a plain backup asked for a password");
    }

    private static ImportPassword password(String text, AtomicInteger asked) {
        return what -> {
            asked.incrementAndGet();
            return text.toCharArray();
        };
    }

    @Test
    void aPlainBackupIsRecognisedAndItsCodesAreOathtoolsOnTheToken() throws Exception {
        byte[] file = make("plain", "");
        assertInstanceOf(TwoFasBackup.class, Exports.detect(file));
        ImportResult result = Exports.detect(file).read(file, noPassword());
        assertEverythingButTheUnsupported(result);
    }

    @Test
    void anEncryptedBackupAsksOnceAndGivesTheSameCredentials() throws Exception {
        byte[] file = make("encrypted", PASSWORD);
        assertInstanceOf(TwoFasBackup.class, Exports.detect(file));
        AtomicInteger asked = new AtomicInteger();
        ImportResult result = Exports.detect(file).read(file, password(PASSWORD, asked));
        assertEquals(1, asked.get());
        assertEverythingButTheUnsupported(result);
    }

    private void assertEverythingButTheUnsupported(ImportResult result) throws Exception {
        assertEquals(List.of(new ImportResult.Skipped("Legacy:mallory", "MD5 is not an algorithm YKOATH has"),
                new ImportResult.Skipped("Long:long", "secret of 65 bytes is longer than the 64-byte SHA1 block the token takes")),
                result.skipped());
        assertTheSharedEntries(result, dir.resolve("t.sim"), ERIN, T);
    }

    @Test
    void aWrongPasswordIsOneLineFromTheReferenceBeforeTheServices() throws Exception {
        byte[] file = make("encrypted", PASSWORD);
        ImportException e = assertThrows(ImportException.class,
                () -> new TwoFasBackup().read(file, password("correct horse", new AtomicInteger())));
        assertEquals("the password does not open the 2FAS backup", e.getMessage());
    }

    @Test
    void anEmptyPasswordIsRefusedInOneLine() throws Exception {
        byte[] file = make("encrypted", PASSWORD);
        for (ImportPassword none : List.<ImportPassword>of(what -> new char[0], what -> null)) {
            ImportException e = assertThrows(ImportException.class, () -> new TwoFasBackup().read(file, none));
            assertEquals("the password is empty", e.getMessage());
        }
    }

    @Test
    void withoutAReferenceAWrongPasswordIsTheServicesTag() throws Exception {
        byte[] file = make("noref", PASSWORD);
        ImportException e = assertThrows(ImportException.class,
                () -> new TwoFasBackup().read(file, password("wrong", new AtomicInteger())));
        assertEquals("the password does not open the 2FAS backup, or the file is damaged (the GCM tag does not match)",
                e.getMessage());
        assertEquals(6, new TwoFasBackup().read(file, password(PASSWORD, new AtomicInteger())).credentials().size());
    }

    @Test
    void aChangedTagIsRefusedThoughThePasswordIsRight() throws Exception {
        byte[] file = make("tamper", PASSWORD);
        ImportException e = assertThrows(ImportException.class,
                () -> new TwoFasBackup().read(file, password(PASSWORD, new AtomicInteger())));
        assertEquals("the 2FAS backup's encrypted services were changed or are damaged (their GCM tag does not match)",
                e.getMessage());
    }

    @Test
    void truncatedAndDamagedFilesAreOneLineWithoutTheSecret() throws Exception {
        byte[] plain = make("plain", "");
        byte[] encrypted = make("encrypted", PASSWORD);
        for (byte[] damaged : List.of(Arrays.copyOf(plain, plain.length / 2), Arrays.copyOf(encrypted, encrypted.length - 3),
                Arrays.copyOf(plain, plain.length - 1))) {
            ImportException e = assertThrows(ImportException.class,
                    () -> new TwoFasBackup().read(damaged, password(PASSWORD, new AtomicInteger())));
            assertTrue(e.getMessage().startsWith("the 2FAS backup is not valid JSON (line 1, column "), e.getMessage());
            assertNoSecret(e.getMessage());
        }
        String text = new String(encrypted, StandardCharsets.UTF_8);
        int sealed = text.indexOf("\"servicesEncrypted\": \"") + 22;
        byte[] cut = (text.substring(0, sealed) + text.substring(text.indexOf(':', sealed))).getBytes(StandardCharsets.UTF_8);
        ImportException e = assertThrows(ImportException.class,
                () -> new TwoFasBackup().read(cut, password(PASSWORD, new AtomicInteger())));
        assertEquals("the 2FAS backup's servicesEncrypted is shorter than its GCM tag (truncated?)", e.getMessage());
        byte[] flippedIv = flipped(encrypted, text.indexOf("\"reference\"") - 4);
        ImportException iv = assertThrows(ImportException.class,
                () -> new TwoFasBackup().read(flippedIv, password(PASSWORD, new AtomicInteger())));
        assertFalse(iv.getMessage().contains("\n"), iv.getMessage());
    }

    @Test
    void onlyTwoFasFilesAreRecognisedAndRecognisingAsksNoPassword() throws Exception {
        TwoFasBackup format = new TwoFasBackup();
        assertTrue(format.recognises(make("encrypted", PASSWORD)));
        assertTrue(format.recognises("\ufeff{\"schemaVersion\":4,\"services\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(format.recognises("{\"services\":[]}".getBytes(StandardCharsets.UTF_8)), "no schemaVersion");
        assertFalse(format.recognises("[{\"secret\":\"A\",\"type\":\"TOTP\"}]".getBytes(StandardCharsets.UTF_8)));
        assertFalse(format.recognises("{\"version\":1,\"header\":{},\"db\":{}}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(format.recognises(Arrays.copyOf(make("plain", ""), 40)));
        assertFalse(format.recognises(new byte[0]));
    }

    private static void assertNoSecret(String message) {
        for (String s : SECRETS) {
            assertFalse(message.contains(s), message);
        }
    }
}
