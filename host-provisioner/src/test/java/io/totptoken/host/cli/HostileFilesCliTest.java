package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Files a user names that are not what they claim: endless password and key files, seed files
 * and manifests with entries no output can hold. Each ends in one line on stderr, exit 2, and
 * nothing journaled or written.
 */
class HostileFilesCliTest extends CliTest {
    /** Only a guard against a hang or a runaway read: the assertions are about the outcome. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    private CliHarness.Result run(String... args) {
        return assertTimeoutPreemptively(HANG_GUARD, () -> h.run(args));
    }

    @Test
    void anEndlessPasswordFileIsRefusedInOneLine() throws Exception {
        run("accounts", "list").expect(0); // made first: its note on how it is encrypted is not the refusal
        CliHarness.Result r = run("access", "change", "--new-password-file", "/dev/zero").expect(2).oneErrorLine();
        assertTrue(r.err().contains("--new-password-file: the first line of /dev/zero is longer than 4 KiB"), r.err());
        Path password = Files.writeString(tmp.resolve("pw"), "correct horse battery\n");
        run("access", "change", "--new-password-file", password.toString()).expect(0);
        r = run("accounts", "list", "--password-file", "/dev/zero").expect(2).oneErrorLine();
        assertTrue(r.err().contains("--password-file: the first line of /dev/zero is longer than 4 KiB"), r.err());
        run("accounts", "list", "--password-file", password.toString()).expect(0);
    }

    @Test
    void anEndlessSeedKeyOrPasswordFileIsRefusedInOneLine() throws Exception {
        Files.writeString(tmp.resolve("seeds.csv"), "10000001,3132333435363738393031323334353637383930,totp,6,30\n");
        CliHarness.Result r = run("bulk", "provision", "--seeds", tmp.resolve("seeds.csv").toString(),
                "--seeds-key-file", "/dev/zero", "--simulated", "1", "--sim-dir", tmp.resolve("tokens").toString(),
                "--out", tmp.resolve("out").toString()).expect(2).oneErrorLine();
        assertTrue(r.err().contains("--seeds-key-file: /dev/zero is larger than 4 KiB"), r.err());
        run("bulk", "provision", "--seeds", tmp.resolve("seeds.csv").toString(),
                "--seeds-password-file", "/dev/zero", "--simulated", "1", "--sim-dir", tmp.resolve("tokens").toString(),
                "--out", tmp.resolve("out").toString()).expect(2).oneErrorLine();
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aSeedFileWithABadEntryJournalsNothing() throws Exception {
        Files.writeString(tmp.resolve("seeds.csv"), "10000001,3132333435363738393031323334353637383930,totp,6,30\n"
                + "10000002,3132333435363738393031323334353637383930,totp,6,0\n");
        CliHarness.Result r = run("bulk", "provision", "--seeds", tmp.resolve("seeds.csv").toString(),
                "--simulated", "2", "--sim-dir", tmp.resolve("tokens").toString(), "--out", tmp.resolve("out").toString())
                .expect(2);
        assertTrue(r.err().contains("seeds.csv: line 2: period must be a positive number of seconds, not 0"), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "no journal, no outputs");
        assertFalse(Files.exists(tmp.resolve("tokens")), "no token touched");
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void aManifestUserNoServerCsvCanHoldWritesNoTokenAndNoOutput() throws Exception {
        Files.writeString(tmp.resolve("users.csv"), "account,user\nalice,\"x,y\"\nbob,=HYPERLINK(1)\n");
        CliHarness.Result r = run("bulk", "provision", "--manifest", tmp.resolve("users.csv").toString(),
                "--simulated", "2", "--sim-dir", tmp.resolve("tokens").toString(), "--out", tmp.resolve("out").toString())
                .expect(2);
        assertTrue(r.err().contains("line 2: user 'x,y' contains a comma"), r.err());
        assertTrue(r.err().contains("line 3: user '=HYPERLINK(1)' starts with"), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "no journal, no outputs");
        assertFalse(Files.exists(tmp.resolve("tokens")), "no token touched");
    }

    @Test
    void anImageTiledWithFinderPatternsIsRefusedInOneLineAndTouchesNoToken() throws Exception {
        Path image = tmp.resolve("finders.png");
        javax.imageio.ImageIO.write(io.totptoken.host.provisioning.HostileImages.finderGrid(30, 1), "png",
                image.toFile());
        CliHarness.Result r = run("accounts", "add", "--qr", image.toString()).expect(2).oneErrorLine();
        assertTrue(r.err().contains("image 'finders.png' has no QR code"), r.err());
        assertEquals("", run("accounts", "list").expect(0).out());
    }
}
