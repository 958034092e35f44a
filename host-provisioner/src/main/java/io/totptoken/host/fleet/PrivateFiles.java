package io.totptoken.host.fleet;

import io.totptoken.host.storage.AtomicFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        AtomicFile.write(file, bytes);
    }

    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is atomic all the same.
        }
    }
}
