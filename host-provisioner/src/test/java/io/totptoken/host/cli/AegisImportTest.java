package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.imports.AegisVault;
import io.totptoken.host.provisioning.imports.Exports;
import io.totptoken.host.provisioning.imports.ImportException;
import io.totptoken.host.provisioning.imports.ImportPassword;
import io.totptoken.host.provisioning.imports.ImportResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Aegis vaults made by an independent implementation (python3: hashlib.scrypt and cryptography's
 * AESGCM, {@link AegisPython}) read by {@link AegisVault}, put on the embedded token, and every code
 * compared with oathtool's (Steam codes with the reference's).
 */
class AegisImportTest extends CliTest {
    static final String RFC = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    static final String OTHER = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    static final String STEAM = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF";
    static final String LONG = Base32.encode(filled(200));
    static final String ENTRIES = """
            [{"type":"totp","uuid":"1","name":"alice","issuer":"Rfc","note":"n","icon":null,
              "info":{"secret":"%1$s","algo":"SHA1","digits":6,"period":30}},
             {"type":"totp","name":"bob","issuer":"Wide","groups":["g"],
              "info":{"secret":"%2$s","algo":"SHA256","digits":8,"period":60}},
             {"type":"totp","name":"carol","issuer":"Long",
              "info":{"secret":"%1$s","algo":"SHA512","digits":7,"period":30}},
             {"type":"hotp","name":"dave","issuer":"Counter","info":{"secret":"%2$s","algo":"SHA1","digits":6,"counter":5}},
             {"type":"steam","name":"gamer","issuer":"Steam","info":{"secret":"%3$s","algo":"SHA1","digits":5,"period":30}},
             {"type":"totp","name":"old","issuer":"Md5","info":{"secret":"%1$s","algo":"MD5","digits":6,"period":30}},
             {"type":"totp","name":"big","issuer":"Huge","info":{"secret":"%4$s","algo":"SHA1","digits":6,"period":30}},
             {"type":"yandex","name":"ya","issuer":"Yandex","info":{"secret":"%1$s","algo":"SHA256","digits":8,"period":30,"pin":"1234"}}]
            """.formatted(RFC, OTHER, STEAM, LONG);

    AegisPython python;

    @BeforeEach
    void setUp() {
        python = new AegisPython(tmp);
    }

    @Test
    void encryptedVaultImportsWithEveryCodeEqualToOathtoolAndUnsupportedEntriesListed() throws Exception {
        Path vault = python.make("aegis.json", ENTRIES, "correct horse");
        byte[] content = Files.readAllBytes(vault);
        assertSame(AegisVault.class, Exports.detect(content).getClass());
        int[] asked = {0};
        ImportResult result = new AegisVault().read(content, what -> {
            asked[0]++;
            return "correct horse".toCharArray();
        });
        assertEquals(1, asked[0], "the password is asked once");
        h.env.put("TOKENCTL_IMPORT_PASSWORD", "correct horse");
        assertImportsAsOathtoolSays(result, vault);
    }

    @Test
    void plainVaultImportsWithoutAskingForAPassword() throws Exception {
        Path vault = python.make("plain.json", ENTRIES, null);
        ImportResult result = new AegisVault().read(Files.readAllBytes(vault), what -> fail("a plain vault needs no password"));
        assertImportsAsOathtoolSays(result, vault);
    }

    /** The reader's result, then the same file through accounts add FILE onto the embedded token. */
    private void assertImportsAsOathtoolSays(ImportResult result, Path vault) {
        assertEquals(List.of("Rfc:alice", "Wide:bob", "Long:carol", "Counter:dave", "Steam:gamer"),
                result.credentials().stream().map(c -> c.issuer() + ":" + c.account()).toList());
        assertEquals(List.of("Md5:old", "Huge:big", "Yandex:ya"), result.skipped().stream().map(ImportResult.Skipped::name).toList());
        assertTrue(result.skipped().get(0).reason().contains("MD5"), result.skipped().get(0).reason());
        assertTrue(result.skipped().get(1).reason().contains("200 bytes"), result.skipped().get(1).reason());
        assertTrue(result.skipped().get(2).reason().contains("Yandex"), result.skipped().get(2).reason());
        CredentialSpec hotp = result.credentials().get(3);
        assertEquals(5, hotp.counter());
        // The unsupported entries are listed and the rest added: the partial-failure exit code.
        String err = h.run("accounts", "add", vault.toString()).expect(3).err();
        assertTrue(err.contains("Md5:old") && err.contains("Huge:big") && err.contains("Yandex:ya"), err);
        for (long t : new long[] {59, 1111111109L, 1700000000L, 2000000000L}) {
            List<Map<String, Object>> codes = JsonReader.array(h.run("accounts", "code", "--json", "-t", Long.toString(t)).expect(0).out());
            assertEquals(oathtool("--totp", "-b", RFC, "-N", "@" + t), code(codes, "Rfc:alice"), "t=" + t);
            assertEquals(oathtool("--totp=SHA256", "-d", "8", "-s", "60s", "-b", OTHER, "-N", "@" + t), code(codes, "Wide:bob"));
            assertEquals(oathtool("--totp=SHA512", "-d", "7", "-b", RFC, "-N", "@" + t), code(codes, "Long:carol"));
            assertEquals(python.steam(STEAM, t), code(codes, "Steam:gamer"), "t=" + t);
        }
        assertEquals(oathtool("--hotp", "-c", "5", "-b", OTHER) + "\n", h.run("accounts", "code", "-s", "Counter:dave").expect(0).out());
        assertEquals(oathtool("--hotp", "-c", "6", "-b", OTHER) + "\n", h.run("accounts", "code", "-s", "Counter:dave").expect(0).out());
        h.assertNoSecretIn(LONG);
    }

    @Test
    void wrongPasswordIsOneLineAndNamesNoSecret() throws Exception {
        byte[] content = Files.readAllBytes(python.make("aegis.json", ENTRIES, "right"));
        ImportException e = assertThrows(ImportException.class, () -> new AegisVault().read(content, what -> "wrong".toCharArray()));
        assertEquals("wrong password for the Aegis vault (or its password slot was changed)", e.getMessage());
    }

    @Test
    void wrongPasswordThroughAccountsAddIsOneLineAndNothingIsWritten() throws Exception {
        Path vault = python.make("aegis.json", ENTRIES, "right");
        h.run("accounts", "add", "-s", RFC, "-N", "Before:one").expect(0);
        h.env.put("TOKENCTL_IMPORT_PASSWORD", "wrong");
        String err = h.run("accounts", "add", vault.toString()).expect(2).oneErrorLine().err();
        assertTrue(err.contains("wrong password"), err);
        assertEquals(1, JsonReader.array(h.run("accounts", "list", "--json").expect(0).out()).size());
    }

    @Test
    void changedGcmTagOrCiphertextIsRefused() throws Exception {
        String vault = Files.readString(python.make("aegis.json", ENTRIES, "pw"));
        Map<?, ?> header = (Map<?, ?>) ((Map<?, ?>) JsonReader.parse(vault)).get("header");
        String tag = (String) ((Map<?, ?>) header.get("params")).get("tag");
        String changedTag = vault.replace(tag, flipLast(tag));
        ImportPassword pw = what -> "pw".toCharArray();
        ImportException e = assertThrows(ImportException.class,
                () -> new AegisVault().read(changedTag.getBytes(StandardCharsets.UTF_8), pw));
        assertTrue(e.getMessage().contains("GCM tag does not match"), e.getMessage());
        String db = (String) ((Map<?, ?>) JsonReader.parse(vault)).get("db");
        String changedDb = vault.replace(db, (db.charAt(0) == 'A' ? "B" : "A") + db.substring(1));
        assertThrows(ImportException.class, () -> new AegisVault().read(changedDb.getBytes(StandardCharsets.UTF_8), pw));
    }

    @Test
    void truncatedVaultIsRefusedInOneLine() throws Exception {
        byte[] content = Files.readAllBytes(python.make("aegis.json", ENTRIES, "pw"));
        for (int length : new int[] {0, 1, content.length / 3, content.length / 2, content.length - 2}) {
            byte[] cut = Arrays.copyOf(content, length);
            ImportException e = assertThrows(ImportException.class, () -> new AegisVault().read(cut, what -> "pw".toCharArray()));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void slotAskingForHugeScryptIsRefusedBeforeAnyWork() throws Exception {
        String vault = Files.readString(python.make("aegis.json", ENTRIES, "pw")).replace("\"n\": 32768", "\"n\": 1073741824");
        ImportException e = assertThrows(ImportException.class,
                () -> new AegisVault().read(vault.getBytes(StandardCharsets.UTF_8), what -> fail("asked for the password")));
        assertTrue(e.getMessage().contains("scrypt parameters N=1073741824"), e.getMessage());
    }

    static String code(List<Map<String, Object>> codes, String name) {
        for (Map<String, Object> c : codes) {
            if (c.get("name").equals(name)) {
                return (String) c.get("code");
            }
        }
        throw new AssertionError("no " + name + " in " + codes);
    }

    private static String flipLast(String hex) {
        char last = hex.charAt(hex.length() - 1);
        return hex.substring(0, hex.length() - 1) + (last == '0' ? '1' : '0');
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return b;
    }
}
