package io.totptoken.host.cli;

import static io.totptoken.host.cli.AccountsCliTest.ALICE;
import static io.totptoken.host.cli.AccountsCliTest.ALICE_URI;
import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.session.HmacStates;
import io.totptoken.sim.SimulatedToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded token's state file encrypted at rest, end to end through tokenctl. */
class SealedStateCliTest extends CliTest {
    private static final byte[] MAGIC = "TKSEAL".getBytes(StandardCharsets.US_ASCII);
    /** A key-file header: magic, version, kind, 16-byte file ID; the nonce follows. */
    private static final int KEY_FILE_HEADER = 6 + 1 + 1 + 16;

    @BeforeEach
    void prepare() {
        h.env.remove(StatePassphrase.ENV_SIM_PLAIN);
        h.at(1_700_000_000L);
    }

    @Override
    String[] secrets() {
        return new String[] {ALICE};
    }

    private Path tokenFile() {
        return h.home.resolve("token.sim");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    /** What a thief would look for: the raw secret, and the HMAC-SHA1 inner and outer states the card keeps (the secret itself it does not). */
    private static List<byte[]> keyMaterial() {
        byte[] secret = Base32.decode(ALICE);
        byte[] states = HmacStates.of(1, secret);
        return List.of(secret, Arrays.copyOfRange(states, 0, 20), Arrays.copyOfRange(states, 32, 52));
    }

    @Test
    void theReadmesFirstCommandOnAFreshHomeAsksNothingPrintsTheCodeAndSealsTheFile() throws Exception {
        h.terminal = null;
        CliHarness.Result r = h.run("accounts", "add", ALICE_URI).expect(0);
        assertEquals("WiseMo:alice  " + oathtool("--totp", "-b", ALICE, "-N", "@1700000000") + "  (10 s left)", r.out().strip());
        assertTrue(r.err().contains("is protected by file permissions only"), r.err());
        byte[] stored = Files.readAllBytes(tokenFile());
        assertArrayEquals(MAGIC, Arrays.copyOf(stored, MAGIC.length));
        CliHarness.Result again = h.run("accounts", "code").expect(0);
        assertTrue(again.out().contains(oathtool("--totp", "-b", ALICE, "-N", "@1700000000")), again.out());
        assertFalse(again.err().contains("file permissions"), "said once, on creation: " + again.err());
    }

    @Test
    void aCopiedStateFileHoldsNoKeyMaterialAndOpensNowhereElse() throws Exception {
        // The positive control: the same credential in a plain test token is found by the same scan.
        h.env.put(StatePassphrase.ENV_SIM_PLAIN, "1");
        Path plain = tmp.resolve("plain.sim");
        h.run("accounts", "add", "--sim", plain.toString(), ALICE_URI).expect(0);
        byte[] plainBytes = Files.readAllBytes(plain);
        for (byte[] k : keyMaterial().subList(1, 3)) {
            assertTrue(contains(plainBytes, k), "the scan finds the HMAC states in a plain file");
        }
        h.env.remove(StatePassphrase.ENV_SIM_PLAIN);

        h.run("accounts", "add", ALICE_URI).expect(0);
        h.run("accounts", "code").expect(0);
        Path stolen = Files.createDirectories(tmp.resolve("stolen"));
        List<Path> copied = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(h.home, "token.sim*")) {
            for (Path f : files) {
                if (!f.getFileName().toString().endsWith(".lock")) {
                    copied.add(Files.copy(f, stolen.resolve(f.getFileName())));
                }
            }
        }
        assertFalse(copied.isEmpty());
        for (Path f : copied) {
            byte[] bytes = Files.readAllBytes(f);
            assertThrows(IllegalArgumentException.class, () -> SimulatedToken.fromState(bytes), f + " loads as a plain token");
            for (byte[] k : keyMaterial()) {
                assertFalse(contains(bytes, k), f + " holds key material");
            }
        }
        // Another account (another HOME, so another key directory) gets one line and no code.
        CliHarness thief = new CliHarness(tmp.resolve("thief"));
        thief.env.remove(StatePassphrase.ENV_SIM_PLAIN);
        CliHarness.Result r = thief.run("accounts", "code", "--sim", stolen.resolve("token.sim").toString()).expect(4).oneErrorLine();
        assertTrue(r.err().contains("damaged or wrong key (no key file"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aPassphraseFromTheEnvironmentIsNeededAfterwardsAndAWrongOneChangesNothing() throws Exception {
        h.env.put(StatePassphrase.ENV_PASSPHRASE, "correct horse battery");
        h.run("accounts", "add", ALICE_URI).expect(0);
        h.env.remove(StatePassphrase.ENV_PASSPHRASE);
        byte[] before = Files.readAllBytes(tokenFile());

        CliHarness.Result none = h.run("accounts", "code").expect(4).oneErrorLine();
        assertTrue(none.err().contains("is encrypted under a passphrase"), none.err());
        h.env.put(StatePassphrase.ENV_PASSPHRASE, "wrong horse");
        CliHarness.Result wrong = h.run("accounts", "code").expect(4).oneErrorLine();
        // The backup is sealed under the same key, so it fails too, and the message names both files.
        assertTrue(wrong.err().strip().startsWith("tokenctl: the simulated token " + tokenFile()
                + " is damaged (damaged or wrong key) and so is " + tokenFile() + ".bak (damaged or wrong key)"), wrong.err());
        assertArrayEquals(before, Files.readAllBytes(tokenFile()), "a refused open leaves the file as it was");

        h.env.put(StatePassphrase.ENV_PASSPHRASE, "correct horse battery");
        assertTrue(h.run("accounts", "code").expect(0).out().contains(oathtool("--totp", "-b", ALICE, "-N", "@1700000000")));
        h.env.remove(StatePassphrase.ENV_PASSPHRASE);
        h.terminal("correct horse battery");
        assertTrue(h.run("accounts", "code").expect(0).out().contains("WiseMo:alice"), "asked on the terminal");
    }

    @Test
    void resetStartsATokenWhoseKeyIsWrongEmptyUnderTheKeyGiven() throws Exception {
        h.env.put(StatePassphrase.ENV_PASSPHRASE, "correct horse battery");
        h.run("accounts", "add", ALICE_URI).expect(0);
        h.env.put(StatePassphrase.ENV_PASSPHRASE, "forgotten, so a new one");
        h.run("accounts", "list").expect(4).oneErrorLine();
        h.run("reset", "--force").expect(0);
        assertEquals("", h.run("accounts", "list").expect(0).out(), "empty, and opens under the passphrase given");
        assertArrayEquals(MAGIC, Arrays.copyOf(Files.readAllBytes(tokenFile()), MAGIC.length));
        // The state before the reset stays in token.sim.bak under the old key; the old passphrase does not put it back.
        h.env.put(StatePassphrase.ENV_PASSPHRASE, "correct horse battery");
        CliHarness.Result old = h.run("accounts", "list").expect(4).oneErrorLine();
        assertTrue(old.err().contains("sealed under another key"), old.err());
        h.env.put(StatePassphrase.ENV_PASSPHRASE, "forgotten, so a new one");
        assertEquals("", h.run("accounts", "list").expect(0).out());
    }

    @Test
    void aPassphraseFileByOptionOrEnvironmentOfAtMost4Kb() throws Exception {
        Path pass = tmp.resolve("pass.txt");
        Files.writeString(pass, "from a file\nignored second line\n");
        h.run("accounts", "add", "--passphrase-file", pass.toString(), ALICE_URI).expect(0);
        h.run("accounts", "code").expect(4).oneErrorLine();
        h.env.put(StatePassphrase.ENV_PASSPHRASE_FILE, pass.toString());
        assertTrue(h.run("accounts", "code").expect(0).out().contains("WiseMo:alice"));
        Path big = tmp.resolve("big.txt");
        Files.write(big, new byte[5000]);
        CliHarness.Result r = h.run("accounts", "code", "--passphrase-file", big.toString()).expect(2).oneErrorLine();
        assertTrue(r.err().contains("over 4 KB"), r.err());
    }

    @Test
    void aTamperedCiphertextOrHeaderIsDamagedOrWrongKeyNeverAnInternalError() throws Exception {
        h.run("accounts", "add", ALICE_URI).expect(0);
        byte[] good = Files.readAllBytes(tokenFile());
        // The kind of key (to an unknown one, and to the keyring's), the file ID, the nonce, the ciphertext, the tag.
        int[][] flips = {{7, 0x04}, {7, 0x01}, {10, 0x04}, {KEY_FILE_HEADER + 3, 0x04}, {good.length / 2, 0x04},
            {good.length - 1, 0x04}};
        for (int[] flip : flips) {
            int at = flip[0];
            byte[] bad = good.clone();
            bad[at] ^= flip[1];
            Files.write(tokenFile(), bad);
            // Without a backup to go back to (StateFileCliTest: one sealed under the same key is used).
            Files.deleteIfExists(h.home.resolve("token.sim.bak"));
            CliHarness.Result r = h.run("accounts", "code").expect(4).oneErrorLine();
            String err = r.err().strip();
            assertTrue(err.startsWith("tokenctl: the simulated token " + tokenFile() + " is damaged (damaged or wrong key"),
                    "byte " + at + ": " + err);
            assertFalse(err.contains("Exception"), err);
            assertArrayEquals(bad, Files.readAllBytes(tokenFile()), "left as found");
        }
    }

    @Test
    void everyWriteTakesAFreshNonce() throws Exception {
        h.run("accounts", "add", ALICE_URI).expect(0);
        byte[] first = Files.readAllBytes(tokenFile());
        h.run("accounts", "add", "--force", ALICE_URI).expect(0);
        byte[] second = Files.readAllBytes(tokenFile());
        assertFalse(Arrays.equals(Arrays.copyOfRange(first, KEY_FILE_HEADER, KEY_FILE_HEADER + 12),
                Arrays.copyOfRange(second, KEY_FILE_HEADER, KEY_FILE_HEADER + 12)));
        assertArrayEquals(Arrays.copyOf(first, KEY_FILE_HEADER), Arrays.copyOf(second, KEY_FILE_HEADER), "same header, same key");
    }

    @Test
    void aSimTokenIsEncryptedLikeTheEmbeddedOneUnlessAskedToStayPlain() throws Exception {
        Path sealed = tmp.resolve("sealed.sim");
        h.run("accounts", "add", "--sim", sealed.toString(), ALICE_URI).expect(0);
        assertArrayEquals(MAGIC, Arrays.copyOf(Files.readAllBytes(sealed), MAGIC.length));
        h.env.put(StatePassphrase.ENV_SIM_PLAIN, "1");
        Path plain = tmp.resolve("plain.sim");
        CliHarness.Result r = h.run("accounts", "add", "--sim", plain.toString(), ALICE_URI).expect(0);
        assertFalse(r.err().contains("file permissions"), r.err());
        SimulatedToken.fromState(Files.readAllBytes(plain));
        h.run("accounts", "add", "--force", "--sim", sealed.toString(), ALICE_URI).expect(0);
        assertArrayEquals(MAGIC, Arrays.copyOf(Files.readAllBytes(sealed), MAGIC.length), "a sealed token stays sealed");
    }

    @Test
    void anExistingPlainFileAndItsBackupAreEncryptedWhenItOpensLeavingNoPlainCopy() throws Exception {
        h.env.put(StatePassphrase.ENV_SIM_PLAIN, "1");
        Files.createDirectories(h.home);
        h.run("accounts", "add", "--sim", tokenFile().toString(), ALICE_URI).expect(0);
        Path backup = h.home.resolve("token.sim.bak");
        assertFalse(Arrays.equals(MAGIC, Arrays.copyOf(Files.readAllBytes(tokenFile()), MAGIC.length)), "a plain test token");
        assertTrue(Files.exists(backup), "a plain backup, as an older tokenctl leaves");
        h.env.remove(StatePassphrase.ENV_SIM_PLAIN);
        // Reading codes changes nothing stored, yet the plain file is sealed now, not at some later change.
        CliHarness.Result r = h.run("accounts", "code").expect(0);
        assertTrue(r.out().contains(oathtool("--totp", "-b", ALICE, "-N", "@1700000000")), r.out());
        assertTrue(r.err().contains("was stored unencrypted; it is now encrypted"), r.err());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(h.home)) {
            for (Path f : files) {
                if (Files.isDirectory(f)) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(f);
                for (byte[] k : keyMaterial()) {
                    assertFalse(contains(bytes, k), f + " holds key material after the migration");
                }
            }
        }
        assertArrayEquals(MAGIC, Arrays.copyOf(Files.readAllBytes(tokenFile()), MAGIC.length));
        assertArrayEquals(MAGIC, Arrays.copyOf(Files.readAllBytes(backup), MAGIC.length));
        // The sealed backup opens under the file's key: a damaged file falls back to it.
        byte[] sealed = Files.readAllBytes(tokenFile());
        sealed[sealed.length - 1] ^= 1;
        Files.write(tokenFile(), sealed);
        CliHarness.Result fallback = h.run("accounts", "code").expect(0);
        assertTrue(fallback.out().contains("WiseMo:alice"), fallback.out());
        assertTrue(fallback.err().contains("using the state before its last change"), fallback.err());
    }
}
