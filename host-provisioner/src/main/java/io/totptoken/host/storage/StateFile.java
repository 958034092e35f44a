package io.totptoken.host.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A token's state file, held by one process at a time: {@code NAME}, its previous good state
 * {@code NAME.bak} and the lock {@code NAME.lock}, all beside the file a symbolic link at NAME
 * points to (the link is followed, never replaced).
 *
 * <p>Opening waits for the lock ({@link #LOCK_WAIT}, telling {@code notices} once), then removes
 * temporary files a killed writer left (they hold secrets). {@link #load} falls back to the
 * backup when the file is damaged or gone, with a warning, and puts it back in place; when
 * neither can be used it throws {@link Damaged}, whose message says what to do. {@link #save}
 * makes the state in place the backup (a hard link, no disk space), then replaces it through
 * {@link AtomicFile}.
 */
public final class StateFile implements AutoCloseable {
    public static final Duration LOCK_WAIT = Duration.ofSeconds(10);
    /** Far above any token's state (about 35 KB): a bigger file is not one, and is not read whole. */
    static final long MAX_BYTES = 1 << 20;
    private static final long POLL_MILLIS = 20;
    /** What {@link #readOrNull} gives for a file above MAX_BYTES. */
    private static final byte[] TOO_BIG = new byte[0];

    /** Turns the bytes into the state; throws IllegalArgumentException, with the reason, when they are damaged. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(byte[] image);
    }

    /** Neither the file nor its backup holds a usable state. */
    public static final class Damaged extends IOException {
        Damaged(String message) {
            super(message);
        }
    }

    private final Path named;
    private final Path file;
    private final Path backup;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Consumer<String> notices;
    /** The bytes the file holds when they are a good state (they become the backup on the next save), else null. */
    private byte[] inPlace;

    private StateFile(Path named, Path file, FileChannel lockChannel, FileLock lock, Consumer<String> notices) {
        this.named = named;
        this.file = file;
        this.backup = file.resolveSibling(file.getFileName() + ".bak");
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.notices = notices;
    }

    /**
     * Locks the state file at {@code path} (creating its directory, owner-only, when missing),
     * waiting up to {@code lockWait} for another process to let go.
     */
    public static StateFile open(Path path, Duration lockWait, Consumer<String> notices) throws IOException {
        return open(path, lockWait, notices, false);
    }

    /**
     * As {@link #open(Path, Duration, Consumer)}; with {@code sweep}, also removes the randomly
     * named temporary files of earlier versions, which takes a listing of the directory (too
     * slow for a fleet's directory of thousands of tokens, opened once per token).
     */
    public static StateFile open(Path path, Duration lockWait, Consumer<String> notices, boolean sweep)
            throws IOException {
        Path named = path.toAbsolutePath();
        Path file = followLinks(named);
        createPrivateDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), AtomicFile.ownerOnly());
        try {
            FileLock lock = lock(channel, named, lockWait, notices);
            StateFile state = new StateFile(named, file, channel, lock, notices);
            state.removeStaleTemporaries(sweep);
            return state;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The path as named (perhaps a symbolic link), for messages. */
    public Path path() {
        return named;
    }

    /** The file written: the path with symbolic links followed. */
    Path file() {
        return file;
    }

    /**
     * The stored state: the file's, else the backup's (with a warning to notices); null when
     * neither exists (a new token).
     */
    public <T> T load(Decoder<T> decoder) throws IOException {
        byte[] current = readOrNull(file);
        String damage = null;
        if (current != null) {
            try {
                T state = decode(decoder, current);
                inPlace = current;
                return state;
            } catch (IllegalArgumentException e) {
                damage = e.getMessage();
            }
        }
        byte[] previous = readOrNull(backup);
        String what = current == null ? named + " is missing" : named + " is damaged (" + damage + ")";
        if (previous == null) {
            if (current == null) {
                return null;
            }
            throw new Damaged("the simulated token " + what + " and there is no " + backup.getFileName()
                    + " to go back to; `tokenctl reset` starts it empty (every account on it is lost)");
        }
        T state;
        try {
            state = decode(decoder, previous);
        } catch (IllegalArgumentException e) {
            throw new Damaged("the simulated token " + what + " and so is " + backup + " (" + e.getMessage()
                    + "); `tokenctl reset` starts it empty (every account on it is lost)");
        }
        notices.accept("warning: " + what + "; using the state before its last change, from " + backup);
        try {
            // In place again now, so the warning is given once.
            AtomicFile.writeLocked(file, previous);
            inPlace = previous;
        } catch (IOException e) {
            // Kept in memory; the next save writes the file (and leaves the backup alone).
        }
        return state;
    }

    /** Replaces the stored state; what was in place (when good) becomes the backup. */
    public void save(byte[] image) throws IOException {
        if (inPlace != null) {
            AtomicFile.linkAtomically(backup, file, inPlace);
        }
        AtomicFile.writeLocked(file, image);
        inPlace = image;
    }

    /**
     * Replaces the stored state with the same state in another form (now encrypted, say), and
     * the backup that same state: the backup would otherwise keep the state in its old form. The
     * backup goes first, so that a kill between the two leaves the old form in the file only,
     * which the next open replaces again.
     */
    public void replaceAll(byte[] stored) throws IOException {
        AtomicFile.writeLocked(backup, stored);
        AtomicFile.writeLocked(file, stored);
        inPlace = stored;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel releases it too.
        }
        try {
            lockChannel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private static <T> T decode(Decoder<T> decoder, byte[] image) {
        if (image == TOO_BIG) {
            throw new IllegalArgumentException("larger than any token state");
        }
        return decoder.decode(image);
    }

    private static byte[] readOrNull(Path p) throws IOException {
        try {
            if (Files.size(p) > MAX_BYTES) {
                return TOO_BIG;
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static FileLock lock(FileChannel channel, Path named, Duration wait, Consumer<String> notices)
            throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another thread of this process holds it
            }
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException("it is in use by another tokenctl (waited " + wait.toSeconds() + " s)");
            }
            if (!told) {
                notices.accept("waiting for another tokenctl using " + named + "...");
                told = true;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + named);
            }
        }
    }

    /** Temporary files a killed writer left (they hold secrets): ours by their fixed names, earlier versions' by a sweep. */
    private void removeStaleTemporaries(boolean sweep) throws IOException {
        Files.deleteIfExists(AtomicFile.temporaryOf(file));
        Files.deleteIfExists(AtomicFile.temporaryOf(backup));
        if (!sweep) {
            return;
        }
        Pattern stale = Pattern.compile("\\.?" + Pattern.quote(file.getFileName().toString()) + "(\\.bak)?\\.?[0-9]*\\.tmp");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent())) {
            for (Path p : dir) {
                if (stale.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // Left for the next sweep; they are not ours to trip over.
        }
    }

    private static Path followLinks(Path p) throws IOException {
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == 40) {
                throw new IOException(p + ": too many levels of symbolic links");
            }
            p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (dir != null && !Files.isDirectory(dir)) {
            createPrivateDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
                // made by another tokenctl opening the same token at the same moment
            }
        }
    }
}
