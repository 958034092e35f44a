package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./tokenctl} at the repository root, as a process: it builds the jar when it is
 * missing or stale, and the README's first command prints oathtool's code. It runs as a new user
 * would, with only {@code HOME} pointing at an empty directory (no TOKENCTL_HOME, no
 * XDG_CONFIG_HOME), so the embedded token must land under that HOME. CI runs the suite on a Maven
 * local repository that starts empty (MAVEN_OPTS, inherited by the launcher's build), so a build
 * that needs an artifact no step of it produces fails here.
 */
@Tag("slow")
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "tokenctl").toAbsolutePath().normalize();

    @TempDir
    Path home;

    record Run(int code, String out, String err) {
    }

    private Run tokenctl(String... args) throws IOException, InterruptedException {
        return launch(LAUNCHER, args);
    }

    private Run launch(Path launcher, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("TOKENCTL_HOME");
        pb.environment().remove("XDG_CONFIG_HOME");
        pb.environment().remove("XDG_DATA_HOME");
        pb.environment().remove("DBUS_SESSION_BUS_ADDRESS");
        pb.environment().remove("TOKENCTL_PASSPHRASE");
        pb.environment().remove("TOKENCTL_PASSPHRASE_FILE");
        pb.environment().put("HOME", home.toString());
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./tokenctl " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theReadmesFirstCommandPrintsOathtoolsCode() throws Exception {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " is missing or not executable");
        Run version = tokenctl("--version"); // builds the jar when it is missing or stale
        assertEquals(0, version.code(), version.err());
        long before = System.currentTimeMillis() / 1000;
        Run add = tokenctl("accounts", "add", "otpauth://totp/WiseMo:alice?secret=JBSWY3DPEHPK3PXP&issuer=WiseMo");
        long after = System.currentTimeMillis() / 1000;
        assertEquals(0, add.code(), add.err());
        Set<String> expected = new TreeSet<>();
        for (long t = before; t <= after + 1; t++) {
            expected.add(oathtool("--totp", "-b", "JBSWY3DPEHPK3PXP", "-N", "@" + t));
        }
        String code = add.out().strip().split("\\s+")[1];
        assertTrue(expected.contains(code), add.out() + " vs oathtool " + expected);
        assertTrue(add.out().matches("(?s)WiseMo:alice  \\d{6}  \\(\\d+ s left\\)(  next: \\d{6} \\(valid in \\d+ s\\))?\\s*"), add.out());
        assertTrue(Files.isRegularFile(home.resolve(".config/tokenctl/token.sim")), "the embedded token is not under $HOME");
        // Headless, no keyring, no passphrase: sealed under a key file of its own, apart from the token, said once.
        assertTrue(new String(Files.readAllBytes(home.resolve(".config/tokenctl/token.sim")), StandardCharsets.ISO_8859_1)
                .startsWith("TKSEAL"), "the embedded token's state is not encrypted");
        try (var keys = Files.list(home.resolve(".local/share/tokenctl/keys"))) {
            assertEquals(1, keys.filter(k -> k.toString().endsWith(".key")).count());
        }
        assertTrue(add.err().contains("protected by file permissions only"), add.err());

        Run list = tokenctl("accounts", "list");
        assertEquals("WiseMo:alice  TOTP  SHA1  30 s\n", list.out());
        Run bad = tokenctl("accounts", "add", "otpauth://totp/Bad:b32?secret=JBSWY3DP1HPK3PXP");
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().split("\n").length, bad.err());
        assertTrue(bad.err().startsWith("tokenctl: base32 secret"), bad.err());
        Run dup = tokenctl("accounts", "add", "otpauth://totp/WiseMo:alice?secret=JBSWY3DPEHPK3PXP&issuer=WiseMo");
        assertEquals(1, dup.code(), dup.err());
        for (Run r : List.of(add, list, bad, dup)) {
            assertTrue(!r.out().contains("JBSWY3DPEHPK3PXP") && !r.err().contains("JBSWY3DPEHPK3PXP"), r.toString());
        }
    }

    @Test
    void aFailedBuildIsReportedWithoutTerminalColourCodes() throws Exception {
        // A copy of the launcher beside a pom that Maven cannot read: the build fails for real,
        // and Maven 3.8 writes colour resets into its log even in batch mode.
        Path repo = Files.createDirectories(home.resolve("broken-checkout"));
        Path launcher = repo.resolve("tokenctl");
        Files.copy(LAUNCHER, launcher);
        Files.writeString(repo.resolve("pom.xml"), "<project>this is not a pom");
        Run r = launch(launcher, "--version");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("tokenctl: the build failed"), r.err());
        assertTrue(r.err().contains("pom.xml"), "Maven's reason is shown: " + r.err());
        assertTrue(r.err().indexOf('\u001b') < 0, "escape codes in: " + r.err().replace('\u001b', '^'));
    }
}
