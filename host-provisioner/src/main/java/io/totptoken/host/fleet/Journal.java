package io.totptoken.host.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;

/**
 * The run's journal: an append-only text file, one record a line, fields separated by tabs and
 * percent-escaped, the line ended by the CRC-32 of what precedes it. It holds seeds (the outputs
 * are rebuilt from it after a crash), so it is created 0600 like every other file of the run.
 *
 * <p>{@link #append} writes at once; {@link #sync} makes a record durable. Syncs are group
 * commits: a worker that finds its record already covered by another's fsync returns at once, and
 * appends go on while an fsync runs. A line cut short by a crash (no newline, or a bad CRC at the
 * end of the file) is dropped on reopen; a bad line followed by good ones is corruption and stops
 * the run. After the first write or sync error (a full disk) the journal refuses everything: no
 * token may be written without its record on disk.
 */
public final class Journal implements AutoCloseable {
    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final JournalSink sink;
    private final Object syncLock = new Object();
    private long appended;
    private volatile long durable;
    private volatile IOException failure;
    private final List<List<String>> replayed;
    private long records; // guarded by this
    private long syncs; // guarded by syncLock
    private long syncNanos; // guarded by syncLock

    private Journal(Path file, FileChannel lockChannel, FileLock lock, JournalSink sink, List<List<String>> replayed) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.sink = sink;
        this.replayed = replayed;
    }

    /** Records appended and fsyncs done since the journal was opened, and the time those took (for FleetBench). */
    public record JournalStats(long records, long syncs, long syncNanos) {
    }

    /**
     * Opens the journal, creating it when {@code create}, else requiring it to exist; takes a lock
     * so two runs cannot share it; drops a torn last line.
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
            List<List<String>> records = new ArrayList<>();
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

    /** The records found when the journal was opened, in order. */
    List<List<String>> replayed() {
        return replayed;
    }

    public Path file() {
        return file;
    }

    /** A snapshot; waits for an fsync under way. */
    public JournalStats stats() {
        synchronized (syncLock) {
            synchronized (this) {
                return new JournalStats(records, syncs, syncNanos);
            }
        }
    }

    /** Appends one record; returns the position to pass to {@link #sync} to make it durable. */
    long append(String... fields) {
        byte[] line = encode(fields);
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
    void sync(long position) {
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

    /** Appends and syncs. */
    void write(String... fields) {
        sync(append(fields));
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

    static byte[] encode(String... fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            escape(line, fields[i] == null ? "" : fields[i]);
        }
        CRC32 crc = new CRC32();
        byte[] body = line.toString().getBytes(StandardCharsets.UTF_8);
        crc.update(body);
        line.append('\t').append(String.format("%08x", crc.getValue())).append('\n');
        java.util.Arrays.fill(body, (byte) 0);
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses whole, intact lines into {@code records}; returns the length of the good prefix. */
    static long replay(byte[] content, List<List<String>> records) {
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
            List<String> fields = decode(content, start, nl);
            if (fields == null) {
                if (badLine < 0) {
                    badLine = lineNo;
                }
            } else {
                if (badLine >= 0) {
                    throw new FleetException("the journal is damaged at line " + badLine
                            + " (good records follow it); it was changed by something other than tokenctl");
                }
                records.add(fields);
                goodEnd = nl + 1;
            }
            start = nl + 1;
        }
        return goodEnd;
    }

    private static List<String> decode(byte[] content, int from, int to) {
        String line = new String(content, from, to - from, StandardCharsets.UTF_8);
        int tab = line.lastIndexOf('\t');
        if (tab < 0 || line.length() - tab != 9) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(content, from, utf8Length(line.substring(0, tab)));
        if (!String.format("%08x", crc.getValue()).equals(line.substring(tab + 1))) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        for (String f : line.substring(0, tab).split("\t", -1)) {
            fields.add(unescape(f));
        }
        return fields;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case '\t' -> out.append("%09");
                case '\n' -> out.append("%0A");
                case '\r' -> out.append("%0D");
                default -> out.append(c);
            }
        }
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
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
