package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The real desktop pieces the desktop tests drive: Debian's programs looked up on PATH (required
 * under CI=true, else a skip with the package to install; TOKEN_SKIP_DESKTOP=1 skips outside CI),
 * tokenctl run as its own JVM (AWT reads DISPLAY once, at start-up), and processes that are
 * always stopped, their children with them.
 */
final class DesktopRig {
    /** The Debian package of each program the tests use. */
    private static final Map<String, String> PACKAGES = Map.of("Xvfb", "xvfb", "chromium", "chromium",
            "xdpyinfo", "x11-utils", "xwininfo", "x11-utils", "xclip", "xclip", "tmux", "tmux", "oathtool", "oathtool",
            "gnome-screenshot", "gnome-screenshot");

    record Run(int exit, String out, String err) {
        Run expect(int code) {
            assertEquals(code, exit, "exit code; stdout:\n" + out + "\nstderr:\n" + err);
            return this;
        }

        /** Exactly one line on stderr, "tokenctl: ...". */
        String errorLine() {
            String[] lines = err.strip().split("\n");
            assertEquals(1, lines.length, "stderr: " + err);
            assertTrue(lines[0].startsWith("tokenctl: "), lines[0]);
            return lines[0];
        }
    }

    private DesktopRig() {
    }

    /** Skips (or under CI=true fails) unless every program is installed, and Java's X11 toolkit too when asked. */
    static void require(boolean awt, String... programs) {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) {
            assumeTrue(!"1".equals(System.getenv("TOKEN_SKIP_DESKTOP")), "TOKEN_SKIP_DESKTOP=1: desktop tests skipped");
        }
        List<String> missing = new ArrayList<>();
        for (String program : programs) {
            if (onPath(program) == null) {
                missing.add(program + " (Debian: apt-get install " + PACKAGES.getOrDefault(program, program) + ")");
            }
        }
        if (awt && !Files.exists(Path.of(System.getProperty("java.home"), "lib", "libawt_xawt.so"))) {
            missing.add("Java's X11 toolkit (Debian: apt-get install openjdk-17-jre)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "desktop test needs " + String.join(", ", missing);
        if (ci) {
            fail(message + "; .ci/run installs it");
        }
        assumeTrue(false, message);
    }

    static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** {@code java -cp <the test class path> io.totptoken.host.cli.Main}, with these JVM options. */
    static List<String> tokenctl(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.totptoken.host.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs a command to its end (at most two minutes) in exactly this environment (nothing inherited),
     * stdin from /dev/null.
     */
    static Run run(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "run", ".out");
        Path err = Files.createTempFile(dir, "run", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish in 2 minutes");
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            stop(p);
        }
    }

    /** The environment a desktop user's shell would give tokenctl: PATH, HOME, the token's home and these. */
    static Map<String, String> env(Path home, String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("TOKENCTL_HOME", home.resolve("tokenctl").toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** Stops a process and every process it started (Chromium's renderers, a shell's children). */
    static void stop(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }

    /** Polls until the condition holds, for at most {@code seconds}. */
    static boolean await(int seconds, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    /** A short command's stdout (exit code ignored), or "" when it cannot run. */
    static String output(Map<String, String> env, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            try {
                byte[] bytes = p.getInputStream().readAllBytes();
                p.waitFor(30, TimeUnit.SECONDS);
                return new String(bytes, StandardCharsets.UTF_8);
            } finally {
                stop(p);
            }
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
