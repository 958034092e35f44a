package io.totptoken.host.cli;

import static io.totptoken.host.cli.AegisImportTest.OTHER;
import static io.totptoken.host.cli.AegisImportTest.RFC;
import static io.totptoken.host.cli.AegisImportTest.STEAM;
import static io.totptoken.host.cli.AegisImportTest.code;
import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * accounts add --backup: an encrypted Aegis vault that an independent decryptor ({@link AegisPython})
 * opens, that holds exactly what was added, and that restores onto a fresh token with the same codes;
 * and a backup that cannot be opened or written leaves the token as it was.
 */
class BackupCliTest extends CliTest {
    AegisPython python;
    Path vault;

    @BeforeEach
    void setUp() {
        python = new AegisPython(tmp);
        vault = tmp.resolve("backup.json");
    }

    @Test
    void backupOverSeveralAddsHoldsExactlyTheSecretsAddedAndRestoresOntoAFreshToken() throws Exception {
        h.env.put("TOKENCTL_BACKUP_PASSWORD", "backup pw");
        String err = h.run("accounts", "add", "-s", OTHER, "-N", "Rfc:alice", "--backup", vault.toString()).expect(0).err();
        assertTrue(err.contains("Backed up 1 account to " + vault.toRealPath()), err);
        Map<?, ?> first = opened();
        h.run("accounts", "add", "otpauth://hotp/Counter:dave?secret=" + OTHER + "&counter=3", "--backup", vault.toString()).expect(0);
        h.env.remove("TOKENCTL_BACKUP_PASSWORD");
        Path pwFile = tmp.resolve("pw.txt");
        Files.writeString(pwFile, "backup pw\n");
        h.run("accounts", "add", "otpauth://totp/Wide:bob?secret=" + OTHER + "&algorithm=SHA256&digits=8&period=60",
                "otpauth://totp/Steam:gamer?secret=" + STEAM + "&issuer=Steam", "--backup", vault.toString(),
                "--backup-password-file", pwFile.toString()).expect(0);
        // The same account again replaces its entry: a backup holds each account once, as the token does.
        h.run("accounts", "add", "-s", RFC, "-N", "Rfc:alice", "--force", "--backup", vault.toString(),
                "--backup-password-file", pwFile.toString()).expect(0);
        Map<?, ?> last = opened();

        List<?> entries = (List<?>) ((Map<?, ?>) last.get("db")).get("entries");
        List<String> summary = new ArrayList<>();
        for (Object o : entries) {
            Map<?, ?> e = (Map<?, ?>) o;
            Map<?, ?> info = (Map<?, ?>) e.get("info");
            summary.add(e.get("type") + " " + e.get("issuer") + ":" + e.get("name") + " " + info.get("secret") + " "
                    + info.get("algo") + " " + info.get("digits") + " " + (info.containsKey("period") ? info.get("period") : info.get("counter")));
        }
        assertEquals(List.of("totp Rfc:alice " + RFC + " SHA1 6 30", "hotp Counter:dave " + OTHER + " SHA1 6 3",
                "totp Wide:bob " + OTHER + " SHA256 8 60", "steam Steam:gamer " + STEAM + " SHA1 5 30"), summary);
        // Every write a new salt, master key and nonces.
        for (String field : List.of("salt", "keyNonce", "dbNonce", "master")) {
            assertNotEquals(first.get(field), last.get(field), field);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(vault)));
        try (Stream<Path> files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        h.assertNoSecretIn(RFC, OTHER, STEAM);

        // Restore: the vault read back onto a new token gives the same codes.
        CliHarness fresh = new CliHarness(tmp.resolve("new-home"));
        fresh.env.put("TOKENCTL_IMPORT_PASSWORD", "backup pw");
        fresh.run("accounts", "add", vault.toString()).expect(0);
        assertEquals(4, JsonReader.array(fresh.run("accounts", "list", "--json").expect(0).out()).size());
        for (long t : new long[] {59, 1111111109L, 2000000000L}) {
            List<Map<String, Object>> codes = JsonReader.array(fresh.run("accounts", "code", "--json", "-t", Long.toString(t)).expect(0).out());
            assertEquals(oathtool("--totp", "-b", RFC, "-N", "@" + t), code(codes, "Rfc:alice"));
            assertEquals(oathtool("--totp=SHA256", "-d", "8", "-s", "60s", "-b", OTHER, "-N", "@" + t), code(codes, "Wide:bob"));
            assertEquals(python.steam(STEAM, t), code(codes, "Steam:gamer"));
            assertEquals(code(JsonReader.array(h.run("accounts", "code", "--json", "-t", Long.toString(t)).expect(0).out()),
                    "Steam:gamer"), code(codes, "Steam:gamer"));
        }
        assertEquals(oathtool("--hotp", "-c", "3", "-b", OTHER) + "\n", fresh.run("accounts", "code", "-s", "Counter:dave").expect(0).out());
    }

    @Test
    void wrongBackupPasswordIsOneLineAndNothingIsWritten() throws Exception {
        h.env.put("TOKENCTL_BACKUP_PASSWORD", "right");
        h.run("accounts", "add", "-s", RFC, "-N", "First:one", "--backup", vault.toString()).expect(0);
        byte[] before = Files.readAllBytes(vault);
        h.env.put("TOKENCTL_BACKUP_PASSWORD", "wrong");
        String err = h.run("accounts", "add", "-s", OTHER, "-N", "Second:two", "--backup", vault.toString())
                .expect(2).oneErrorLine().err();
        assertTrue(err.contains("wrong password"), err);
        assertArrayEquals(before, Files.readAllBytes(vault));
        assertEquals(List.of("First:one"), names(h));
    }

    @Test
    void aNewVaultOnATerminalAsksTwiceAndRefusesTwoDifferentPasswords() throws Exception {
        h.terminal("one", "two");
        h.run("accounts", "add", "-s", RFC, "-N", "First:one", "--backup", vault.toString()).expect(2).oneErrorLine();
        assertFalse(Files.exists(vault));
        assertEquals(List.of(), names(h));
        String[] prompt = new String[1];
        h.terminal("same", "same");
        h.runAsking(prompt, "accounts", "add", "-s", RFC, "-N", "First:one", "--backup", vault.toString()).expect(0);
        assertEquals("The same password again: ", prompt[0]);
        h.terminal("same");
        h.runAsking(prompt, "accounts", "add", "-s", OTHER, "-N", "Second:two", "--backup", vault.toString()).expect(0);
        assertTrue(prompt[0].startsWith("Password of the backup"), prompt[0]);
        assertEquals(2, ((List<?>) ((Map<?, ?>) opened("same").get("db")).get("entries")).size());
        // Without a terminal and with no password given, nothing is written either.
        h.terminal = null;
        h.run("accounts", "add", "-s", OTHER, "-N", "Third:three", "--backup", vault.toString()).expect(2).oneErrorLine();
        assertEquals(List.of("First:one", "Second:two"), names(h));
    }

    @Test
    void aBackupThatCannotBeWrittenLeavesTheTokenUnchanged() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("locked"));
        Path locked = dir.resolve("backup.json");
        h.env.put("TOKENCTL_BACKUP_PASSWORD", "pw");
        h.run("accounts", "add", "-s", RFC, "-N", "First:one", "--backup", locked.toString()).expect(0);
        byte[] before = Files.readAllBytes(locked);
        // An immutable directory: no temporary file can be made in it, not even by root.
        assumeTrue(chattr("+i", dir), "chattr +i works on this file system");
        try {
            String err = h.run("accounts", "add", "-s", OTHER, "-N", "Second:two", "--backup", locked.toString())
                    .expect(1).oneErrorLine().err();
            assertTrue(err.contains("cannot write the backup") && err.contains("no token was written"), err);
        } finally {
            chattr("-i", dir);
        }
        assertArrayEquals(before, Files.readAllBytes(locked));
        assertEquals(List.of("First:one"), names(h));
    }

    @Test
    void aDefaultBackupSetOnceIsKeptCurrentByLaterAdds() throws Exception {
        h.env.put("TOKENCTL_BACKUP_PASSWORD", "pw");
        String err = h.run("accounts", "add", "-s", RFC, "-N", "First:one", "--backup", vault.toString(),
                "--set-default-backup").expect(0).err();
        assertTrue(err.contains("Every later accounts add keeps " + vault.toRealPath() + " current"), err);
        assertEquals(vault.toRealPath() + "\n", Files.readString(h.home.resolve("default-backup")));
        h.run("accounts", "add", "otpauth://totp/Second:two?secret=" + OTHER).expect(0); // the fast path too
        h.run("accounts", "add", "-s", OTHER, "-N", "Third:three", "--no-backup").expect(0);
        List<?> entries = (List<?>) ((Map<?, ?>) opened("pw").get("db")).get("entries");
        assertEquals(List.of("First", "Second"), entries.stream().map(e -> ((Map<?, ?>) e).get("issuer")).toList());
        h.run("accounts", "add", "-s", OTHER, "-N", "Fourth:four", "--set-default-backup").expect(2).oneErrorLine();
    }

    @Test
    void anAegisAppsVaultIsExtendedAndKeepsTheEntriesTheTokenCannotHold() throws Exception {
        Path made = python.make("backup.json", """
                [{"type":"yandex","uuid":"y-1","name":"ya","issuer":"Yandex","note":"keep me",
                  "info":{"secret":"%1$s","algo":"SHA256","digits":8,"period":30,"pin":"1234"}},
                 {"type":"totp","uuid":"t-1","name":"alice","issuer":"Rfc","info":{"secret":"%1$s","algo":"SHA1","digits":6,"period":30}}]
                """.formatted(OTHER), "app pw");
        assertEquals(vault, made);
        h.env.put("TOKENCTL_BACKUP_PASSWORD", "app pw");
        h.run("accounts", "add", "-s", RFC, "-N", "Rfc:alice", "otpauth://totp/New:one?secret=" + OTHER,
                "--backup", vault.toString()).expect(0);
        List<?> entries = (List<?>) ((Map<?, ?>) opened("app pw").get("db")).get("entries");
        assertEquals(3, entries.size(), entries.toString());
        Map<?, ?> yandex = (Map<?, ?>) entries.get(0);
        assertEquals(List.of("yandex", "y-1", "keep me", "1234"), List.of(yandex.get("type"), yandex.get("uuid"), yandex.get("note"),
                ((Map<?, ?>) yandex.get("info")).get("pin")));
        Map<?, ?> alice = (Map<?, ?>) entries.get(1);
        assertEquals(List.of("t-1", RFC), List.of(alice.get("uuid"), ((Map<?, ?>) alice.get("info")).get("secret")),
                "the entry of the same name replaced where it stood, its uuid kept");
        assertEquals("New", ((Map<?, ?>) entries.get(2)).get("issuer"));
    }

    @Test
    void aBackupBehindASymbolicLinkIsWrittenWhereTheLinkPointsAndTheLinkStays() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("sync")).resolve("vault.json");
        Files.createSymbolicLink(vault, real);
        h.env.put("TOKENCTL_BACKUP_PASSWORD", "pw");
        h.run("accounts", "add", "-s", RFC, "-N", "First:one", "--backup", vault.toString()).expect(0);
        h.run("accounts", "add", "-s", OTHER, "-N", "Second:two", "--backup", vault.toString()).expect(0);
        assertTrue(Files.isSymbolicLink(vault));
        assertEquals(2, ((List<?>) ((Map<?, ?>) opened("pw").get("db")).get("entries")).size());
    }

    private Map<?, ?> opened() {
        return opened("backup pw");
    }

    private Map<?, ?> opened(String password) {
        return (Map<?, ?>) JsonReader.parse(python.open(vault, password));
    }

    private static List<String> names(CliHarness h) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> a : JsonReader.array(h.run("accounts", "list", "--json").expect(0).out())) {
            out.add((String) a.get("name"));
        }
        return out;
    }

    private static boolean chattr(String flag, Path dir) {
        try {
            Process p = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
