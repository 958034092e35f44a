package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * users.oath as Linux logs in with it: Debian's libpam-oath behind a PAM service of the test's
 * own, driven by pamtester. Each simulated token's current code logs its user in; the same code
 * again is refused. Needs root (for /etc/pam.d) and the packages libpam-oath and pamtester;
 * skipped without them unless CI is set.
 */
class PamOathLoginTest {
    private static final Path PAM_D = Path.of("/etc/pam.d");
    private static final Path MODULE = Path.of("/usr/lib/x86_64-linux-gnu/security/pam_oath.so");
    private static final Path PAMTESTER = Path.of("/usr/bin/pamtester");

    @TempDir
    Path tmp;

    private static void requireTools() {
        String missing = !"root".equals(System.getProperty("user.name")) ? "root (to add a PAM service in /etc/pam.d)"
                : !Files.exists(MODULE) ? "Debian's libpam-oath (" + MODULE + ")"
                : !Files.isExecutable(PAMTESTER) ? "Debian's pamtester" : null;
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("this test needs " + missing + "; .ci/run installs the packages and runs as root");
            }
            Assumptions.assumeTrue(false, "assumed skipped: this test needs " + missing);
        }
    }

    /** pamtester's exit code, feeding {@code code} to pam_oath's prompt. */
    private static int login(String service, String user, String code) throws Exception {
        Process p = new ProcessBuilder(PAMTESTER.toString(), service, user, "authenticate").redirectErrorStream(true)
                .start();
        try (var in = p.getOutputStream()) {
            in.write((code + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
            // pam_oath refuses a user it has no line for before it prompts, so nothing reads the code
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pamtester did not finish: " + out);
        return p.exitValue();
    }

    private void loginsWork(FleetOptions options, String manifest, OathType type) throws Exception {
        requireTools();
        Path out = tmp.resolve("seeds");
        Path sims = tmp.resolve("tokens");
        List<FleetRow> rows = Manifest.parse(manifest, null, type, 30);
        try (FleetRun run = FleetRun.start(out, rows, options, false)) {
            assertTrue(run.provision(SimulatedFleet.open(sims, rows.size(), 1), FleetListener.NONE).complete());
            run.writeOutputs(FleetOutputs.Options.plain());
        }
        // pam_oath rewrites its usersfile after each login: it gets a copy, the run's file stays as written.
        Path usersfile = tmp.resolve("pam").resolve("users.oath");
        Files.createDirectories(usersfile.getParent());
        Files.copy(out.resolve(FleetOutputs.PAM_OATH), usersfile);
        String service = "tokenctl-test-" + ProcessHandle.current().pid();
        Path serviceFile = PAM_D.resolve(service);
        Files.writeString(serviceFile, "auth requisite pam_oath.so usersfile=" + usersfile + " window=2 digits="
                + options.digits() + "\naccount required pam_permit.so\n");
        try {
            List<SeedEntry> entries = PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)),
                    PskcProtection.none());
            assertEquals(rows.size(), entries.size());
            for (SeedEntry e : entries) {
                String code;
                if (type == OathType.TOTP) {
                    // pam_oath checks against the real clock, so the token is asked for the code of now.
                    long step = Clock.systemUTC().instant().getEpochSecond() / e.period();
                    code = FleetFixture.tokenCode(sims.resolve(e.serial() + SimulatedFleet.SUFFIX), e, step, null);
                } else {
                    code = FleetFixture.oathtool(new SeedEntry(e.serial(), OathType.HOTP, HashAlgorithm.SHA1,
                            e.digits(), 30, 0, null, "x", "", "", "", e.secret()), e.counter());
                }
                assertEquals(0, login(service, e.user(), code), e.user() + " logs in with " + e.serial() + "'s code");
                assertTrue(login(service, e.user(), code) != 0, e.user() + ": the same code again is refused");
            }
            assertTrue(login(service, "nobody-here", "123456") != 0, "a user without a line is refused");
        } finally {
            Files.deleteIfExists(serviceFile);
        }
        assertEquals(Files.readString(out.resolve(FleetOutputs.PAM_OATH)).lines().count(), rows.size(),
                "the run's own users.oath is left as written");
    }

    @Test
    void everyTotpTokenLogsItsUserInOnceAndAReplayIsRefused() throws Exception {
        loginsWork(FleetFixture.options(), FleetFixture.manifest(4), OathType.TOTP);
    }

    @Test
    void everyHotpTokenLogsItsUserInAtItsCounter() throws Exception {
        loginsWork(FleetFixture.options().withType(OathType.HOTP),
                "account,user\nalice@example.com,alice\nbob@example.com,bob\n", OathType.HOTP);
    }
}
