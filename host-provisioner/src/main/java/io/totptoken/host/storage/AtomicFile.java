package io.totptoken.host.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one place where tokenctl replaces a file that holds secrets, complete or not at all: a
 * temporary file beside it (owner-only from its creation), every byte written (a write may take
 * fewer bytes than asked), fsync, rename over the file, fsync of the directory. Any failure
 * leaves the old file as it was, removes the temporary one and throws; a full disk is an
 * IOException here, never a truncated file. The bytes of a token's state arrive here already sealed
 * (SimulatorTransport's StateCodec), so the file, its backup and this temporary file hold ciphertext.
 *
 * <p>Temporary files are named {@code .NAME.DIGITS.tmp}, or {@code .NAME.tmp} for a file written
 * under a lock ({@link StateFile}); a process killed while writing leaves one behind, which
 * StateFile removes on its next open.
 */
public final class AtomicFile {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** A channel that takes no bytes this many times in a row means the file system will take none. */
    private static final int STALLS = 100;

    /** Opens the temporary file for writing; tests hand in channels that fail as disks do. */
    @FunctionalInterface
    interface Channels {
        FileChannel open(Path file) throws IOException;
    }

    static final Channels REAL = new Channels() {
        @Override
        public FileChannel open(Path file) throws IOException {
            return FileChannel.open(file, StandardOpenOption.WRITE);
        }
    };

    private AtomicFile() {
    }

    public static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }

    /** Replaces {@code file} (never a symbolic link: resolve it first) with {@code bytes}. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, bytes, null, REAL);
    }

    /**
     * As {@link #write(Path, byte[])} for a file only one writer at a time can write (its
     * writer holds a lock): the temporary file has a fixed name, {@code .NAME.tmp}, so that the
     * next writer finds one a killed writer left without listing the directory.
     */
    static void writeLocked(Path file, byte[] bytes) throws IOException {
        write(file, bytes, temporaryOf(file), REAL);
    }

    /** The fixed temporary name {@link #writeLocked} uses for file. */
    static Path temporaryOf(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".tmp");
    }

    /** @param fixedTmp the temporary file's name, or null for a new random one */
    static void write(Path file, byte[] bytes, Path fixedTmp, Channels channels) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp;
        if (fixedTmp == null) {
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly());
        } else {
            Files.deleteIfExists(fixedTmp);
            tmp = Files.createFile(fixedTmp, ownerOnly());
        }
        boolean moved = false;
        try {
            try (FileChannel out = channels.open(tmp)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                int stalls = 0;
                while (b.hasRemaining()) {
                    stalls = out.write(b) == 0 ? stalls + 1 : 0;
                    if (stalls == STALLS) {
                        throw new IOException("the file system takes no more bytes");
                    }
                }
                out.force(true);
            }
            long size = Files.size(tmp);
            if (size != bytes.length) {
                throw new IOException("only " + size + " of " + bytes.length + " bytes reached the disk");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Makes {@code link} a second name of {@code file}'s current content, atomically: a hard link
     * under the fixed temporary name renamed over {@code link} (the caller holds the lock). It
     * costs no disk space: a backup that needs room would fail when the disk is full, just when
     * it matters. Where the file system has no hard links, {@code content} (the file's bytes) is
     * written instead. The directory is not synced here: the write of the file that follows syncs it.
     */
    static void linkAtomically(Path link, Path file, byte[] content) throws IOException {
        if (Files.exists(link) && Files.isSameFile(link, file)) {
            return; // rename(2) between two names of one file does nothing and leaves both
        }
        Path tmp = temporaryOf(link);
        Files.deleteIfExists(tmp);
        try {
            Files.createLink(tmp, file);
        } catch (UnsupportedOperationException | IOException e) {
            writeLocked(link, content);
            return;
        }
        try {
            Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            deleteQuietly(tmp); // gone after a rename; still there after a failed one
        }
    }

    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is atomic all the same.
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // The next open of the state file removes stale temporary files.
        }
    }
}
