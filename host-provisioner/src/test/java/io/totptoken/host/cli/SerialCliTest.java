package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.serial.PtyPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's "Done when", end to end with separate processes: a simulated device served by
 * {@code tokenctl sim serve --serial} on one end of a socat pty pair is provisioned from an
 * otpauth URI through the other end ({@code tokenctl --port}), and its button shows oathtool's
 * code for its clock. Fails (does not skip) without socat or oathtool: CI installs both.
 */
class SerialCliTest {
    static final String ALICE = AccountsCliTest.ALICE;

    @TempDir
    Path tmp;
    private PtyPair pair;
    private Process server;

    private record Run(int exit, String out, String err) {
    }

    private List<String> java(String... jvmOptions) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.totptoken.host.cli.Main"));
        return cmd;
    }

    private ProcessBuilder builder(List<String> cmd, String name) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(tmp.resolve(name + ".err").toFile());
        pb.environment().put("TOKENCTL_HOME", tmp.resolve("home").toString());
        return pb;
    }

    private Run tokenctl(List<String> jvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(jvm);
        cmd.addAll(List.of(args));
        Process p = builder(cmd, "run").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", args) + " did not finish");
        return new Run(p.exitValue(), out, Files.readString(tmp.resolve("run.err")));
    }

    private Run tokenctl(String... args) throws Exception {
        return tokenctl(java(), args);
    }

    private Run ok(String... args) throws Exception {
        Run r = tokenctl(args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (pair != null) {
            pair.close();
        }
    }

    private static String codeIn(String line) {
        return line.strip().split("\\s+")[line.strip().split("\\s+").length - 4];
    }

    @Tag("slow")
    @Test
    void aSimulatedDeviceOnAPtyIsProvisionedThroughTheOtherEndAndItsButtonShowsOathtoolsCode() throws Exception {
        pair = PtyPair.create(tmp.resolve("dev"), tmp.resolve("host"));
        String host = tmp.resolve("host").toString();
        Path state = tmp.resolve("token.sim");
        List<String> serve = java();
        serve.addAll(List.of("sim", "serve", "--serial", pair.a(), "--sim", state.toString()));
        server = builder(serve, "serve").start();
        for (int i = 0; i < 100 && !Files.readString(tmp.resolve("serve.err")).contains("Serving "); i++) {
            Thread.sleep(100);
        }
        assertTrue(server.isAlive(), Files.readString(tmp.resolve("serve.err")));

        // Provisioned from an otpauth URI through the other end: the printed code is oathtool's.
        long before = System.currentTimeMillis() / 1000;
        Run add = ok("--port", host, "accounts", "add", "otpauth://totp/WiseMo:alice?secret=" + ALICE + "&issuer=WiseMo");
        long after = System.currentTimeMillis() / 1000;
        Set<String> expected = new TreeSet<>();
        for (long t = before - 1; t <= after + 1; t++) {
            expected.add(oathtool("--totp", "-b", ALICE, "-N", "@" + t));
        }
        // Real time: with fewer than 5 s left the next code follows.
        assertTrue(add.out().matches("WiseMo:alice  \\d{6}  \\(\\d+ s left\\)(  next: \\d{6} \\(valid in \\d+ s\\))?\n"), add.out());
        assertTrue(expected.contains(add.out().split("\\s+")[1]), add.out() + " vs oathtool " + expected);

        // The state file is locked while served.
        Run busy = tokenctl("accounts", "list", "--sim", state.toString());
        assertEquals(4, busy.exit(), busy.err());
        assertTrue(busy.err().contains("in use by another tokenctl"), busy.err());

        // The device clock set over the line, then the button: oathtool's code for the device's time.
        long at = 1_700_000_010L; // a multiple of 30: the press falls in its time step
        ok("--port", host, "clock", "set", "@" + at, "--force");
        Run press = ok("sim", "press", "--port", host);
        assertTrue(press.out().matches("WiseMo  alice  \\d{6}  \\(\\d+ s left\\)\n"), press.out());
        long deviceTime = ((Number) ((java.util.Map<?, ?>) JsonReader.parse(
                ok("--port", host, "clock", "show", "--json").out())).get("last_code_time")).longValue();
        assertTrue(deviceTime >= at && deviceTime < at + 30, "the code's time " + deviceTime);
        assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@" + deviceTime), codeIn(press.out()), press.out());
        Run json = ok("sim", "press", "--port", host, "--json");
        assertTrue(json.out().contains("\"code\": \"" + codeIn(press.out()) + "\""), json.out());

        // Every other command over --port too.
        assertEquals("WiseMo:alice  TOTP  SHA1  30 s\n", ok("accounts", "list", "--port", host).out());
        Run code = ok("accounts", "code", "alice", "--port", host, "--time", "@" + at);
        assertEquals("WiseMo:alice  " + oathtool("--totp", "-b", ALICE, "-N", "@" + at), code.out().split("  \\(")[0]);
        ok("--port", host, "clock", "sync");
        assertEquals("Deleted WiseMo:alice.\n", ok("--port", host, "accounts", "delete", "alice", "--force").out());
        assertEquals("", ok("accounts", "list", "--port", host).out());

        // Stopped, the device leaves its state in the file, unlocked.
        server.destroy();
        assertTrue(server.waitFor(10, TimeUnit.SECONDS));
        server = null;
        ok("accounts", "add", "--sim", state.toString(), "otpauth://totp/Ex:bob?secret=" + ALICE);
        for (String out : List.of(add.out(), add.err(), press.out(), press.err())) {
            assertFalse(out.contains(ALICE), out);
        }
    }

    @Test
    void aPortThatIsNotThereIsATransportErrorAndTheEmbeddedPathNeverLoadsJSerialComm() throws Exception {
        Run missing = tokenctl("accounts", "list", "--port", tmp.resolve("nothing").toString());
        assertEquals(4, missing.exit(), missing.err());
        assertEquals(1, missing.err().strip().split("\n").length, missing.err());
        assertTrue(missing.err().startsWith("tokenctl: no serial port at "), missing.err());

        Run embedded = tokenctl(java("-Xlog:class+load=info:stdout"), "accounts", "list");
        assertEquals(0, embedded.exit(), embedded.err());
        assertFalse(embedded.out().contains("com.fazecast"), "jSerialComm loaded on the embedded path");
        assertTrue(embedded.out().contains("io.totptoken.sim.SimulatedToken"), "the class log works");
        Run serial = tokenctl(java("-Xlog:class+load=info:stdout"), "accounts", "list", "--port", tmp.resolve("nothing").toString());
        assertTrue(serial.out().contains("com.fazecast.jSerialComm"), "and the serial path does load it");
        Run pcsc = tokenctl(java("-Xlog:class+load=info:stdout"), "accounts", "list", "--reader", "no such reader");
        assertEquals(4, pcsc.exit(), pcsc.err());
        assertFalse(pcsc.out().contains("com.fazecast"), "jSerialComm loaded on the PC/SC path");
    }
}
