package io.totptoken.host.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A real file channel that fails the way disks do, which a real disk cannot be made to do on
 * demand everywhere: writes that take fewer bytes than asked, a disk that fills after some
 * bytes (ENOSPC), a failing fsync. Everything else goes to the real channel.
 */
final class FaultyChannel extends FileChannel {
    private final FileChannel real;
    private final int maxPerWrite;
    private long room;
    private final boolean failForce;

    /**
     * @param maxPerWrite at most this many bytes per write call (a short write)
     * @param room bytes the disk takes before "No space left on device"
     * @param failForce whether fsync fails
     */
    FaultyChannel(FileChannel real, int maxPerWrite, long room, boolean failForce) {
        this.real = real;
        this.maxPerWrite = maxPerWrite;
        this.room = room;
        this.failForce = failForce;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (room == 0 && src.hasRemaining()) {
            throw new IOException("No space left on device");
        }
        int n = (int) Math.min(Math.min(src.remaining(), maxPerWrite), room);
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + n);
        int written = real.write(part);
        src.position(src.position() + written);
        room -= written;
        return written;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (failForce) {
            throw new IOException("Input/output error");
        }
        real.force(metaData);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }

    // ---- the rest goes to the real channel ----

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new IOException("not used by AtomicFile");
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return real.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        throw new IOException("not used by AtomicFile");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }
}
