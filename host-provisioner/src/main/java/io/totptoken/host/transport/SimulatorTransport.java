package io.totptoken.host.transport;

import io.totptoken.sim.SimulatedToken;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A simulated token in this process whose persistent memory lives in a file. The file is
 * rewritten (atomically: a private temporary file, fsync, rename) after every command that
 * can change the token, so a killed process leaves the state as after the last whole
 * command, like a card losing power between APDUs. A lock file keeps two processes from
 * using one token at once. Files are created owner-only: they hold key material.
 */
public final class SimulatorTransport implements Transport {
    private final Path file;
    private final StateCodec codec;
    private final SimulatedToken token;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private SimulatorTransport(Path file, StateCodec codec, SimulatedToken token, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.codec = codec;
        this.token = token;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens the token stored in file, creating a new token there when the file does not exist. */
    public static SimulatorTransport open(Path file) {
        return open(file, SimulatedToken.Config.defaults());
    }

    /** As {@link #open(Path)}, with the install parameters for a new token. */
    public static SimulatorTransport open(Path file, SimulatedToken.Config config) {
        return open(file, config, StateCodec.PLAIN);
    }

    /** As {@link #open(Path, SimulatedToken.Config)}, the bytes going through codec (encryption) on their way to and from the file. */
    public static SimulatorTransport open(Path file, SimulatedToken.Config config, StateCodec codec) {
        Path abs = file.toAbsolutePath();
        FileChannel channel = null;
        try {
            createPrivateDirectories(abs.getParent());
            Path lockFile = abs.resolveSibling(abs.getFileName() + ".lock");
            channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new TransportException("the simulated token " + abs + " is in use by another tokenctl");
            }
            SimulatedToken token;
            try {
                token = SimulatedToken.fromState(codec.open(abs, Files.readAllBytes(abs)));
            } catch (NoSuchFileException e) {
                token = new SimulatedToken(config);
                write(abs, codec.seal(abs, token.saveState()));
            } catch (IllegalArgumentException e) {
                throw new TransportException("cannot use the simulated token " + abs + ": " + e.getMessage());
            }
            return new SimulatorTransport(abs, codec, token, channel, lock);
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new TransportException("cannot open the simulated token " + abs + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The token itself, for serving it to other processes (vpcd, serial). */
    public SimulatedToken token() {
        return token;
    }

    @Override
    public byte[] transmit(byte[] apdu) {
        byte[] r = token.transmit(apdu);
        if (SimulatedToken.mayChangeState(apdu)) {
            save();
        }
        return r;
    }

    /** Writes the token's persistent memory to its file now. */
    public void save() {
        try {
            write(file, codec.seal(file, token.saveState()));
        } catch (IOException e) {
            throw new TransportException("cannot save the simulated token to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String description() {
        return "simulated token " + file;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases it too.
        }
        closeQuietly(lockChannel);
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(bytes));
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // Some file systems cannot sync a directory; the rename is still atomic.
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (dir != null && !Files.isDirectory(dir)) {
            createPrivateDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
