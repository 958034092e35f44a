package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.FakeVpcd;
import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.serial.PtyPair;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenctl sim serve} as a separate process ends promptly on SIGTERM (what a service
 * manager and {@link Process#destroy()} send) and on SIGINT (Ctrl-C), leaving its state saved
 * and its lock released: another tokenctl opens the token at once. The bound is behavioural:
 * the serving thread used to be joined for 5 s, and a stop must not look like a hang.
 */
@Tag("slow")
class SimServeStopTest {
    /** Well under the 5 s a stop took, well over what a loaded machine needs for JVM exit. */
    static final long STOP_BOUND_MILLIS = 2_000;
    static final String ALICE = AccountsCliTest.ALICE;

    @TempDir
    Path tmp;
    private Process server;
    private PtyPair pair;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (pair != null) {
            pair.close();
        }
    }

    private ProcessBuilder tokenctl(String name, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.totptoken.host.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(tmp.resolve(name + ".out").toFile())
                .redirectError(tmp.resolve(name + ".err").toFile());
        pb.environment().put("TOKENCTL_HOME", tmp.resolve("home").toString());
        return pb;
    }

    private String run(String... args) throws Exception {
        Process p = tokenctl("run", args).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", args) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", args) + ": " + Files.readString(tmp.resolve("run.err")));
        return Files.readString(tmp.resolve("run.out"));
    }

    private void serve(String... args) throws Exception {
        server = tokenctl("serve", args).start();
        for (int i = 0; i < 300 && !Files.readString(tmp.resolve("serve.err")).contains("Serving "); i++) {
            Thread.sleep(100);
        }
        assertTrue(server.isAlive(), Files.readString(tmp.resolve("serve.err")));
    }

    /** Signals the server and returns how long it took to end. */
    private long stopWith(String signal) throws Exception {
        long start = System.nanoTime();
        if (signal.equals("TERM")) {
            server.destroy(); // SIGTERM
        } else {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(server.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
        }
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server ignored SIG" + signal);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private void assertStoppedPromptlyWithItsStateSaved(long millis, Path state, String account) throws Exception {
        assertTrue(millis < STOP_BOUND_MILLIS, "stopping took " + millis + " ms: " + Files.readString(tmp.resolve("serve.err")));
        // Saved and unlocked: another tokenctl opens the token at once and sees the account.
        String list = run("accounts", "list", "--sim", state.toString());
        assertTrue(list.startsWith(account + "  TOTP  SHA1  30 s") && list.lines().count() == 1, list);
        assertFalse(Files.readString(tmp.resolve("run.err")).contains("waiting for another tokenctl"),
                Files.readString(tmp.resolve("run.err")));
    }

    @Test
    void aServedVirtualReaderStopsPromptlyOnSigterm() throws Exception {
        Path state = tmp.resolve("token.sim");
        try (ServerSocket vpcd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serve("sim", "serve", "--vpcd", "localhost:" + vpcd.getLocalPort(), "--sim", state.toString());
            vpcd.setSoTimeout(30_000);
            try (Socket card = vpcd.accept()) {
                // Through the served reader, as pcscd would pass it on.
                OathSession session = OathSession.open(FakeVpcd.framed(card));
                session.put("Served:alice".getBytes(StandardCharsets.UTF_8), CardCredential.TOTP, 1, 6,
                        "12345678901234567890".getBytes(StandardCharsets.US_ASCII), false, 0, false);
                assertStoppedPromptlyWithItsStateSaved(stopWith("TERM"), state, "Served:alice");
            }
        }
    }

    @Test
    void aVirtualReaderWhoseTokenWaitsForATouchStopsPromptlyOnSigterm() throws Exception {
        Path state = tmp.resolve("token.sim");
        try (ServerSocket vpcd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serve("sim", "serve", "--vpcd", "localhost:" + vpcd.getLocalPort(), "--sim", state.toString());
            vpcd.setSoTimeout(30_000);
            try (Socket card = vpcd.accept()) {
                OathSession session = OathSession.open(FakeVpcd.framed(card));
                byte[] name = "Touch:alice".getBytes(StandardCharsets.UTF_8);
                session.put(name, CardCredential.TOTP, 1, 6, "12345678901234567890".getBytes(StandardCharsets.US_ASCII),
                        true, 0, false);
                // A code that waits for the button (15 s), on a thread of its own: SIGTERM comes meanwhile.
                Thread asking = new Thread(() -> {
                    try {
                        session.calculate(new CardCredential(name, CardCredential.TOTP, 1), 1);
                    } catch (RuntimeException expected) {
                        // the reader went away or the wait ended untouched
                    }
                }, "calculate");
                asking.setDaemon(true);
                asking.start();
                for (int i = 0; i < 300 && !Files.readString(tmp.resolve("serve.err")).contains("waits for a touch"); i++) {
                    Thread.sleep(100);
                }
                assertTrue(Files.readString(tmp.resolve("serve.err")).contains("waits for a touch"),
                        Files.readString(tmp.resolve("serve.err")));
                assertStoppedPromptlyWithItsStateSaved(stopWith("TERM"), state, "Touch:alice");
            }
        }
    }

    @Test
    void aVirtualReaderWaitingForVpcdStopsPromptlyOnSigtermAndSigint() throws Exception {
        Path state = tmp.resolve("token.sim");
        run("accounts", "add", "--sim", state.toString(), "otpauth://totp/Ex:bob?secret=" + ALICE);
        int nobody;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = free.getLocalPort(); // closed again: the bridge keeps retrying to connect
        }
        String[] args = {"sim", "serve", "--vpcd", "localhost:" + nobody, "--sim", state.toString()};
        serve(args);
        Thread.sleep(500); // into the pause between connection attempts
        assertStoppedPromptlyWithItsStateSaved(stopWith("TERM"), state, "Ex:bob");

        serve(args);
        Assumptions.assumeFalse(ignoresSigint(server.pid()),
                "this test runs as a background job, whose children ignore SIGINT (Ctrl-C never reaches them)");
        Thread.sleep(500);
        assertStoppedPromptlyWithItsStateSaved(stopWith("INT"), state, "Ex:bob");
    }

    @Test
    void aServedSerialDeviceStopsPromptlyOnSigterm() throws Exception {
        pair = PtyPair.create(tmp.resolve("dev"), tmp.resolve("host"));
        Path state = tmp.resolve("token.sim");
        serve("sim", "serve", "--serial", pair.a(), "--sim", state.toString());
        run("--port", pair.b(), "accounts", "add", "otpauth://totp/WiseMo:alice?secret=" + ALICE + "&issuer=WiseMo");
        assertStoppedPromptlyWithItsStateSaved(stopWith("TERM"), state, "WiseMo:alice");
    }

    /** Whether the process ignores SIGINT (bit 1 of SigIgn in /proc/PID/status). */
    private static boolean ignoresSigint(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).strip(), 16) & 0x2) != 0;
            }
        }
        return false;
    }
}
