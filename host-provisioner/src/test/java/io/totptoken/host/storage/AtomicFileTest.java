package io.totptoken.host.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state write is complete or does not happen, whatever the disk does: short writes are
 * written in full, and a full disk, a failing fsync or a channel that takes nothing leave the
 * old file as it was, no temporary file, and an IOException. (StateFileCliTest does the full
 * disk for real on a tmpfs where mounting is allowed.)
 */
class AtomicFileTest {
    @TempDir
    Path dir;
    Path file;
    byte[] old;
    byte[] next;

    @BeforeEach
    void files() throws IOException {
        file = dir.resolve("token.sim");
        Random r = new Random(9);
        old = new byte[30_133];
        next = new byte[30_133];
        r.nextBytes(old);
        r.nextBytes(next);
        AtomicFile.write(file, old);
    }

    /**
     * A real channel that fails the way disks do, which a real disk cannot be made to do on demand
     * everywhere: a Mockito mock forwarding every call to the real channel, but for writes that
     * take at most {@code maxPerWrite} bytes (short writes), "No space left on device" after
     * {@code room} bytes, and, if {@code failForce}, a failing fsync.
     */
    private static AtomicFile.Channels faulty(int maxPerWrite, long room, boolean failForce) {
        return p -> {
            FileChannel real = FileChannel.open(p, StandardOpenOption.WRITE);
            FileChannel disk = mock(FileChannel.class, delegatesTo(real));
            long[] left = {room};
            doAnswer(call -> {
                ByteBuffer src = call.getArgument(0);
                if (left[0] == 0 && src.hasRemaining()) {
                    throw new IOException("No space left on device");
                }
                ByteBuffer part = src.duplicate();
                part.limit(part.position() + (int) Math.min(Math.min(src.remaining(), maxPerWrite), left[0]));
                int written = real.write(part);
                src.position(src.position() + written);
                left[0] -= written;
                return written;
            }).when(disk).write(any(ByteBuffer.class));
            // The faults are on write(ByteBuffer); the other writes would bypass them.
            doThrow(new IOException("not used by AtomicFile")).when(disk).write(any(ByteBuffer.class), anyLong());
            doThrow(new IOException("not used by AtomicFile")).when(disk).write(any(ByteBuffer[].class), anyInt(), anyInt());
            if (failForce) {
                doThrow(new IOException("Input/output error")).when(disk).force(anyBoolean());
            }
            return disk;
        };
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void shortWritesAreWrittenInFull() throws IOException {
        AtomicFile.write(file, next, null, faulty(1000, Long.MAX_VALUE, false));
        assertArrayEquals(next, Files.readAllBytes(file));
        assertEquals(List.of("token.sim"), names());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aDiskThatFillsUpLeavesTheOldFileAndNoTemporary() throws IOException {
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file, next, null, faulty(8192, 8192, false)));
        assertTrue(e.getMessage().contains("No space left"), e.getMessage());
        assertArrayEquals(old, Files.readAllBytes(file));
        assertEquals(List.of("token.sim"), names());
    }

    @Test
    void aFullDiskUnderTheLockedFixedTemporaryNameLeavesTheOldFileToo() throws IOException {
        Path tmp = AtomicFile.temporaryOf(file);
        Files.write(tmp, new byte[3]); // left by a killed writer
        assertThrows(IOException.class, () -> AtomicFile.write(file, next, tmp, faulty(8192, 8192, false)));
        assertArrayEquals(old, Files.readAllBytes(file));
        assertEquals(List.of("token.sim"), names());
        AtomicFile.write(file, next, tmp, faulty(1000, Long.MAX_VALUE, false));
        assertArrayEquals(next, Files.readAllBytes(file));
        assertEquals(List.of("token.sim"), names());
    }

    @Test
    void aFailingFsyncLeavesTheOldFile() {
        assertThrows(IOException.class, () -> AtomicFile.write(file, next, null, faulty(1 << 20, Long.MAX_VALUE, true)));
        assertArrayEquals(old, readQuietly(file));
    }

    @Test
    void aChannelThatTakesNothingFailsInsteadOfSpinning() throws IOException {
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file, next, null, faulty(0, Long.MAX_VALUE, false)));
        assertTrue(e.getMessage().contains("no more bytes"), e.getMessage());
        assertArrayEquals(old, Files.readAllBytes(file));
        assertEquals(List.of("token.sim"), names());
    }

    @Test
    void aBackupLinkIsTheFileUnderASecondNameAndALinkAgainIsHarmless() throws IOException {
        Path backup = dir.resolve("token.sim.bak");
        AtomicFile.linkAtomically(backup, file, old);
        AtomicFile.linkAtomically(backup, file, old);
        AtomicFile.write(file, next);
        assertArrayEquals(old, Files.readAllBytes(backup), "the backup kept the old content");
        assertArrayEquals(next, Files.readAllBytes(file));
        assertEquals(List.of("token.sim", "token.sim.bak"), names());
    }

    private static byte[] readQuietly(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
