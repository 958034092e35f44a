package io.totptoken.host.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold seeds: directories 0700, files 0600 from the moment they exist (the permission
 * is given at creation, never set afterwards, so no other user can open them in between), and
 * whole-file writes that are atomic: a private temporary file, fsync, rename, fsync of the directory.
 */
public final class PrivateFiles {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    public static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    /**
     * Creates the directory and missing parents owner-only. An existing directory is accepted
     * only when no one but the owner can enter it: seeds are about to be written into it.
     */
    public static Path directory(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (!Files.isDirectory(abs)) {
            if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
                directory(abs.getParent());
            }
            try {
                Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(DIR));
            } catch (FileAlreadyExistsException e) {
                // created by someone else meanwhile: checked below
            }
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(abs);
        if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.GROUP_EXECUTE)
                || p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_EXECUTE)) {
            throw new IOException(abs + " can be read by other users (mode "
                    + PosixFilePermissions.toString(p) + "); use a new directory or chmod 700 it");
        }
        return abs;
    }

    /** Replaces {@code file} with {@code bytes} atomically; the file is 0600 throughout. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", fileAttribute());
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is atomic all the same.
        }
    }
}
