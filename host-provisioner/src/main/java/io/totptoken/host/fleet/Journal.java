package io.totptoken.host.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The run's journal as a file: append-only text, one record a line ({@link JournalCodec} writes
 * and reads the lines); this class locks, reads, appends and fsyncs the file. It holds seeds (the
 * outputs are rebuilt from it after a crash), so it is created 0600 like every other file of the run.
 *
 * <p>{@link #append} writes at once; {@link #sync} makes a record durable. Syncs are group
 * commits: a worker that finds its record already covered by another's fsync returns at once, and
 * appends go on while an fsync runs. A line cut short by a crash (no newline, or a bad CRC at the
 * end of the file) is dropped on reopen; a bad line followed by good ones, or an intact line that
 * is no record, is corruption and stops the run. After the first write or sync error (a full disk) the journal refuses everything: no
 * token may be written without its record on disk.
 */
public final class Journal implements JournalStore {
    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final JournalSink sink;
    private final Object syncLock = new Object();
    private long appended;
    private volatile long durable;
    private volatile IOException failure;
    private final List<JournalRecord> replayed;
    private long records; // guarded by this
    private long syncs; // guarded by syncLock
    private long syncNanos; // guarded by syncLock

    private Journal(Path file, FileChannel lockChannel, FileLock lock, JournalSink sink, List<JournalRecord> replayed) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.sink = sink;
        this.replayed = replayed;
    }

    /**
     * Opens the journal, creating it when {@code create}, else requiring it to exist; takes a lock
     * so two runs cannot share it; drops a torn last line and refuses a damaged journal.
     *
     * @param wrap lets tests put a failing sink around the file's channel
     */
    static Journal open(Path file, boolean create, UnaryOperator<JournalSink> wrap) {
        FileChannel lockChannel = null;
        FileChannel channel = null;
        try {
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            lockChannel = FileChannel.open(lockFile, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PrivateFiles.fileAttribute());
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                throw new FleetException(file + " is in use by another run");
            }
            if (create) {
                channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE), PrivateFiles.fileAttribute());
                PrivateFiles.syncDirectory(file.toAbsolutePath().getParent());
            } else {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            byte[] content = new byte[(int) channel.size()];
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // read it all
            }
            List<JournalRecord> records = new ArrayList<>();
            long good = replay(content, records);
            if (good < content.length) {
                channel.truncate(good);
                channel.force(true);
            }
            java.util.Arrays.fill(content, (byte) 0);
            channel.position(good);
            Journal j = new Journal(file, lockChannel, lock, wrap.apply(JournalSink.of(channel)), records);
            j.appended = good;
            j.durable = good;
            return j;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            close(channel, lockChannel);
            throw new FleetException(file + " exists: a run was started in this directory; resume it (--resume) or use another");
        } catch (NoSuchFileException e) {
            close(channel, lockChannel);
            throw new FleetException("there is no journal " + file + " to resume");
        } catch (IOException e) {
            close(channel, lockChannel);
            throw new FleetException("cannot open the journal " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel, lockChannel);
            throw e;
        }
    }

    @Override
    public List<JournalRecord> replayed() {
        return replayed;
    }

    public Path file() {
        return file;
    }

    @Override
    public String location() {
        return file.toString();
    }

    /** A snapshot; waits for an fsync under way. */
    @Override
    public JournalStats stats() {
        synchronized (syncLock) {
            synchronized (this) {
                return new JournalStats(records, syncs, syncNanos);
            }
        }
    }

    /** Appends one record at once; returns the position to pass to {@link #sync} to make it durable. */
    @Override
    public long append(JournalRecord record) {
        byte[] line = JournalCodec.encode(record);
        synchronized (this) {
            checkHealthy();
            try {
                sink.write(ByteBuffer.wrap(line));
            } catch (IOException e) {
                failure = e;
                throw failed(e);
            } finally {
                java.util.Arrays.fill(line, (byte) 0);
            }
            appended += line.length;
            records++;
            return appended;
        }
    }

    /** Returns once everything up to {@code position} is on disk. */
    @Override
    public void sync(long position) {
        if (durable >= position) {
            return;
        }
        synchronized (syncLock) {
            if (durable >= position) {
                return; // another worker's fsync covered it: a group commit
            }
            checkHealthy();
            long target;
            synchronized (this) {
                target = appended;
            }
            long start = System.nanoTime();
            try {
                sink.force();
            } catch (IOException e) {
                failure = e;
                throw failed(e);
            }
            syncs++;
            syncNanos += System.nanoTime() - start;
            durable = target;
        }
    }

    private void checkHealthy() {
        if (failure != null) {
            throw failed(failure);
        }
    }

    private FleetException failed(IOException e) {
        return new JournalFailedException("cannot write the journal " + file + " (" + e.getMessage()
                + "); stopped: no token is written without its journal record. Free space and resume (--resume)", e);
    }

    @Override
    public void close() {
        try {
            sink.close();
        } catch (IOException e) {
            // nothing unsynced matters: records count only once synced
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it
        }
        close(null, lockChannel);
    }

    /**
     * Parses whole, intact lines into {@code records}; returns the length of the good prefix. A line
     * cut short or with a bad CRC is a torn write when only such lines follow it, else damage.
     */
    static long replay(byte[] content, List<JournalRecord> records) {
        int start = 0;
        int lineNo = 0;
        long goodEnd = 0;
        int badLine = -1;
        while (start < content.length) {
            int nl = start;
            while (nl < content.length && content[nl] != '\n') {
                nl++;
            }
            lineNo++;
            if (nl == content.length) {
                break; // no newline: the last write was cut short
            }
            List<String> fields = JournalCodec.unframe(content, start, nl, lineNo);
            if (fields == null) {
                if (badLine < 0) {
                    badLine = lineNo;
                }
            } else {
                if (badLine >= 0) {
                    throw new FleetException("the journal is damaged at line " + badLine
                            + " (good records follow it); it was changed by something other than tokenctl");
                }
                records.add(JournalCodec.parse(fields, lineNo));
                goodEnd = nl + 1;
            }
            start = nl + 1;
        }
        return goodEnd;
    }

    private static void close(FileChannel a, FileChannel b) {
        for (FileChannel c : new FileChannel[] {a, b}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }
}
