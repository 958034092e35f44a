package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Secret Service for a test: a private D-Bus session (dbus-daemon) with
 * gnome-keyring-daemon in it, its login keyring created and unlocked with a throwaway password,
 * all under a temporary HOME. Skipped with the reason when the tools are missing, except under
 * CI=true, where the packages are installed (.ci/run) and a missing one is a failure.
 */
final class DesktopKeyring implements AutoCloseable {
    private final Process bus;
    private final Process daemon;
    final Map<String, String> env = new HashMap<>();

    private DesktopKeyring(Process bus, Process daemon, Path home, String address) {
        this.bus = bus;
        this.daemon = daemon;
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_RUNTIME_DIR", home.resolve("run").toString());
        env.put("DBUS_SESSION_BUS_ADDRESS", address);
    }

    static DesktopKeyring start(Path home) throws IOException, InterruptedException {
        for (String tool : List.of("dbus-daemon", "gnome-keyring-daemon", "secret-tool")) {
            boolean present = KeyringCommand.find(System.getenv(), tool) != null;
            if (!"true".equals(System.getenv("CI"))) {
                assumeTrue(present, tool + " is not installed (Debian packages dbus, gnome-keyring, libsecret-tools)");
            } else if (!present) {
                throw new AssertionError(tool + " is missing; .ci/run installs it");
            }
        }
        Files.createDirectories(home.resolve("data"));
        Path run = Files.createDirectories(home.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // What dbus-run-session does, with both processes children of this JVM, so that each is
        // stopped and reaped here and nothing outlives the test, not even a zombie. The bus has no
        // service directories: Debian's session bus would start a second keyring daemon of its own
        // on the first call that comes before ours registers, a child of the bus that outlives it.
        Path config = home.resolve("session.conf");
        Files.writeString(config, "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                + "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n<busconfig><type>session</type>"
                + "<listen>unix:dir=" + run + "</listen><auth>EXTERNAL</auth><policy context=\"default\">"
                + "<allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/><allow own=\"*\"/>"
                + "</policy></busconfig>\n");
        Process bus = new ProcessBuilder("dbus-daemon", "--config-file=" + config, "--nofork", "--nopidfile",
                "--print-address=1").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String address = new BufferedReader(new InputStreamReader(bus.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (address == null || !address.startsWith("unix:")) {
            stop(bus);
            throw new AssertionError("dbus-daemon gave no bus address: " + address);
        }
        ProcessBuilder pb = new ProcessBuilder("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
        pb.environment().put("XDG_RUNTIME_DIR", run.toString());
        pb.environment().put("DBUS_SESSION_BUS_ADDRESS", address);
        pb.environment().remove("DISPLAY");
        Process daemon = pb.start();
        try (OutputStream in = daemon.getOutputStream()) {
            // The login keyring's password, read to EOF; it creates and unlocks the keyring.
            in.write("test".getBytes(StandardCharsets.US_ASCII));
        }
        DesktopKeyring k = new DesktopKeyring(bus, daemon, home, address);
        // The daemon registers the Secret Service shortly after it starts: wait (bounded) until a store answers.
        Keyring ring = k.keyring();
        for (int i = 0; i < 50; i++) {
            if (ring.store("probe", new byte[32])) {
                return k;
            }
            Thread.sleep(100);
        }
        k.close();
        throw new AssertionError("gnome-keyring-daemon never answered on the test's D-Bus session");
    }

    Keyring keyring() {
        return Keyring.system(env, "Linux");
    }

    @Override
    public void close() {
        stop(daemon);
        stop(bus);
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
