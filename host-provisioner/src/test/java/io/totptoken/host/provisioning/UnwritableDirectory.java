package io.totptoken.host.provisioning;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A directory that can be made unwritable with a real fault: as root, a small tmpfs mounted
 * on it and filled up (ENOSPC: root ignores permissions); otherwise the directory made
 * read-only (EACCES). Where neither works (root without the right to mount) the test is
 * skipped with the reason.
 *
 * <p>A state file's save first turns the previous backup ({@code NAME.bak}) into a link to the
 * state in place, which frees one image's worth; so the disk is filled with no backup on it.
 */
final class UnwritableDirectory implements AutoCloseable {
    private final Path dir;
    private final boolean mounted;
    private final Path filler;

    private UnwritableDirectory(Path dir, boolean mounted) {
        this.dir = dir;
        this.mounted = mounted;
        this.filler = dir.resolve("filler");
    }

    static UnwritableDirectory create(Path dir) throws Exception {
        Files.createDirectories(dir);
        if (!"root".equals(System.getProperty("user.name"))) {
            return new UnwritableDirectory(dir, false);
        }
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(mount.getInputStream().readAllBytes());
        Assumptions.assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
                "root ignores permissions and cannot mount a small tmpfs here: " + out.strip());
        return new UnwritableDirectory(dir, true);
    }

    Path path() {
        return dir;
    }

    /** From now on, no file can be written or created here (a full disk: no state file backup either). */
    void fill() throws IOException {
        if (!mounted) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
            return;
        }
        try (var backups = Files.newDirectoryStream(dir, "*.bak")) {
            for (Path b : backups) {
                Files.delete(b);
            }
        }
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1024; i++) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            return; // No space left on device: what we wanted
        }
        throw new IllegalStateException("the tmpfs on " + dir + " did not fill up");
    }

    /** Writable again. */
    void free() throws IOException {
        if (mounted) {
            Files.deleteIfExists(filler);
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Override
    public void close() throws Exception {
        free();
        if (mounted) {
            new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
