package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.transport.ForwardingTransport;
import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.host.transport.Transport;
import io.totptoken.host.transport.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared pieces of the fleet tests: manifests, reading codes from simulated tokens, oathtool. */
final class FleetFixture {
    static final long NOW = 1_700_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    private FleetFixture() {
    }

    /** What a tokenctl process printed, and its exit code. */
    record Run(int exit, String out, String err) {
    }

    /**
     * Runs {@code tokenctl args} as an admin does: a JVM of its own in {@code dir}, no terminal
     * (standard input /dev/null), with {@code env} added to this one's environment.
     */
    static Run tokenctl(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.totptoken.host.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(dir.resolve("err").toFile());
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, Files.readString(dir.resolve("err")));
    }

    static String manifest(int n) {
        StringBuilder m = new StringBuilder("account,issuer,user,realm,resolver\n");
        for (int i = 1; i <= n; i++) {
            m.append(String.format("user%03d@example.com,Example,user%03d,staff,ldap%n", i, i));
        }
        return m.toString();
    }

    static List<FleetRow> rows(int n) {
        return Manifest.parse(manifest(n), null, OathType.TOTP, 30);
    }

    static FleetOptions options() {
        return FleetOptions.defaults().withClock(CLOCK);
    }

    /** The code the simulated token in {@code file} gives for the entry's credential at {@code moving}. */
    static String tokenCode(Path file, SeedEntry e, long moving, char[] password) {
        try (SimulatorTransport t = SimulatorTransport.open(file)) {
            OathSession s = OathSession.open(t);
            if (s.locked()) {
                s.unlock(password);
            }
            CredentialSpec spec = e.spec();
            return s.calculate(new CardCredential(spec.cardName(), spec.type().code(), spec.algorithm().code()),
                    moving).value();
        }
    }

    /** oathtool's code for the entry: TOTP at unix time {@code time}, HOTP at counter {@code time}. */
    static String oathtool(SeedEntry e, long time) {
        List<String> cmd = new ArrayList<>(List.of("oathtool", "-d", Integer.toString(e.digits())));
        if (e.type() == OathType.TOTP) {
            cmd.addAll(List.of("--totp=" + e.algorithm().name(), "-s", e.period() + "s", "-N", "@" + time));
        } else {
            cmd.addAll(List.of("-c", Long.toString(time)));
        }
        cmd.add(HexFormat.of().formatHex(e.secret()));
        return run(cmd).strip();
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), cmd.get(0) + " did not finish");
            assertEquals(0, p.exitValue(), cmd.get(0) + " failed: " + out);
            return out;
        } catch (IOException e) {
            return fail(cmd.get(0) + " is needed for this test (Debian package "
                    + (cmd.get(0).equals("pskctool") ? "pskctool" : cmd.get(0).equals("openssl") ? "openssl" : "oathtool")
                    + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** A transport that dies (as a pulled token does) at APDU number {@code at}, before or after the token gets it. */
    static Transport dyingAt(Transport inner, int at, boolean afterToken, AtomicInteger sent) {
        return new ForwardingTransport(inner) {
            @Override
            public byte[] transmit(byte[] apdu) {
                int n = sent.incrementAndGet();
                if (n == at && !afterToken) {
                    throw new TransportException("the token was pulled");
                }
                byte[] r = inner.transmit(apdu);
                if (n == at) {
                    throw new TransportException("the token was pulled");
                }
                return r;
            }
        };
    }
}
