package io.totptoken.host.provisioning;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The desktop's own programs (screenshot and clipboard tools): found on PATH, run with a bounded
 * time, their input given on stdin (never on the command line, which other users can read), their
 * error output kept for the message when they fail.
 */
public final class DesktopPrograms {
    /** What a program did. {@code error} is the first line it wrote to stderr, or "". */
    public record Exit(int code, String error) {
        public boolean ok() {
            return code == 0;
        }
    }

    private static final int TIMEOUT_SECONDS = 30;

    private DesktopPrograms() {
    }

    /** The program's path on the environment's PATH, or null. */
    public static Path find(Map<String, String> env, String name) {
        String path = env.get("PATH");
        if (path == null || path.isEmpty()) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Runs the program in the process's environment with {@code env}'s variables over it (so a test's
     * DISPLAY reaches it), stdout discarded. A program that does not finish in time is killed.
     *
     * @param input given on stdin, then closed; null for none
     * @throws DesktopUnavailableException when it cannot be started or does not finish in time
     */
    public static Exit run(Map<String, String> env, List<String> command, byte[] input) {
        String name = Path.of(command.get(0)).getFileName().toString();
        Path errors = null;
        Process p = null;
        try {
            // The tool's stderr goes to a file, not a pipe: xclip and wl-copy leave a child behind that
            // keeps the selection and would hold a pipe open for ever.
            errors = Files.createTempFile("tokenctl-tool", ".err",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile());
            pb.environment().putAll(env);
            if (input == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            p = pb.start();
            if (input != null) {
                try (OutputStream stdin = p.getOutputStream()) {
                    stdin.write(input);
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new DesktopUnavailableException(name + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Exit(p.exitValue(), firstLine(errors));
        } catch (IOException e) {
            throw new DesktopUnavailableException(name + " could not be run (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DesktopUnavailableException(name + " was interrupted");
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            if (errors != null) {
                try {
                    Files.deleteIfExists(errors);
                } catch (IOException e) {
                    // a temporary file of error text only, in the temporary directory
                }
            }
        }
    }

    private static String firstLine(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(400);
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl).strip();
    }
}
