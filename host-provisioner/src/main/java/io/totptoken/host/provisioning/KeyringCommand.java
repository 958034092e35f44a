package io.totptoken.host.provisioning;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a keyring tool (secret-tool, security), bounded in time so that a keyring that
 * hangs (locked, waiting for a prompt nobody sees) never hangs tokenctl. Secrets go on standard
 * input, never on the command line; the child's environment is the injected one, not the JVM's.
 */
final class KeyringCommand {
    static final long TIMEOUT_MILLIS = 5_000;
    private static final int MAX_OUTPUT = 4096;

    /** How a run ended: the exit code (-1 when it timed out or could not start) and what it printed. */
    record Outcome(int exit, byte[] out) {
        boolean ok() {
            return exit == 0;
        }
    }

    private KeyringCommand() {
    }

    /** The program's path on the environment's PATH, or null. */
    static Path find(Map<String, String> env, String program) {
        String path = env.get("PATH");
        if (path == null || path.isEmpty()) {
            path = "/usr/local/bin:/usr/bin:/bin";
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, program);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Runs the command with the given variables of env passed on and stdin written then closed. */
    static Outcome run(List<String> command, Map<String, String> env, List<String> passOn, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> childEnv = pb.environment();
        childEnv.clear();
        for (String name : passOn) {
            String v = env.get(name);
            if (v != null) {
                childEnv.put(name, v);
            }
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new Outcome(-1, new byte[0]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copyBounded(process.getInputStream(), out), "keyring-output");
        reader.setDaemon(true);
        reader.start();
        try {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // The tool quit without reading; its exit code says why.
            }
            if (!process.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Outcome(-1, new byte[0]);
            }
            reader.join(TIMEOUT_MILLIS);
            synchronized (out) {
                return new Outcome(process.exitValue(), out.toByteArray());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(-1, new byte[0]);
        }
    }

    private static void copyBounded(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[512];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (out) {
                    if (out.size() + n <= MAX_OUTPUT) {
                        out.write(buf, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            // The process was killed; what was read so far is discarded by the caller.
        } finally {
            java.util.Arrays.fill(buf, (byte) 0);
        }
    }
}
