package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import io.totptoken.host.fleet.JournalRecord.Failed;
import io.totptoken.host.fleet.JournalRecord.Header;
import io.totptoken.host.fleet.JournalRecord.Refused;
import io.totptoken.host.fleet.JournalRecord.Verified;
import io.totptoken.host.fleet.JournalRecord.Written;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path tmp;

    @Test
    void recordsReadBackWithEscapesAndTheFileIsPrivate() throws Exception {
        Path f = tmp.resolve("j");
        try (Journal j = Journal.open(f, true, s -> s)) {
            j.write(new Failed(7, "tab\there, line\nbreak, CR\r, 100%"));
            j.write(new Refused(8, ""));
        }
        assertEquals("rw-------", FleetFixture.mode(f));
        try (Journal j = Journal.open(f, false, s -> s)) {
            assertEquals(List.of(new Failed(7, "tab\there, line\nbreak, CR\r, 100%"), new Refused(8, "")), j.replayed());
        }
    }

    @Test
    void aTornLastLineIsDroppedAndTruncated() throws Exception {
        Path f = tmp.resolve("j");
        try (Journal j = Journal.open(f, true, s -> s)) {
            j.write(new Header("1", "run"));
            j.write(new Written(5));
        }
        long good = Files.size(f);
        Files.write(f, "V\t5\t123".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (Journal j = Journal.open(f, false, s -> s)) {
            assertEquals(2, j.replayed().size());
            assertEquals(good, Files.size(f));
            j.write(new Verified(5, "123456", 1, 2, 0));
        }
        // A whole line whose CRC does not match, at the end: a torn write too.
        byte[] content = Files.readAllBytes(f);
        content[content.length - 3] ^= 1;
        Files.write(f, content);
        try (Journal j = Journal.open(f, false, s -> s)) {
            assertEquals(2, j.replayed().size());
        }
    }

    @Test
    void aDamagedLineBeforeGoodOnesStopsTheRun() throws Exception {
        Path f = tmp.resolve("j");
        try (Journal j = Journal.open(f, true, s -> s)) {
            j.write(new Header("1", "run"));
            j.write(new Written(5));
            j.write(new Written(6));
        }
        byte[] content = Files.readAllBytes(f);
        int second = new String(content, StandardCharsets.UTF_8).indexOf("W\t5");
        content[second + 2] = '7';
        Files.write(f, content);
        FleetException e = assertThrows(FleetException.class, () -> Journal.open(f, false, s -> s));
        assertTrue(e.getMessage().contains("damaged at line 2"), e.getMessage());
    }

    @Test
    void anIntactLineThatIsNoRecordIsDamageEvenAtTheEnd() throws Exception {
        Path f = tmp.resolve("j");
        try (Journal j = Journal.open(f, true, s -> s)) {
            j.write(new Header("1", "run"));
            j.write(new Written(5));
        }
        // Its CRC matches, so it is no torn write: dropping it would lose a record.
        Files.write(f, JournalCodec.frame(List.of("W", "5", "6")), StandardOpenOption.APPEND);
        long size = Files.size(f);
        FleetException e = assertThrows(FleetException.class, () -> Journal.open(f, false, s -> s));
        assertTrue(e.getMessage().contains("damaged at line 3"), e.getMessage());
        assertEquals(size, Files.size(f), "a damaged journal is left as it is");
    }

    @Test
    void twoRunsCannotShareAJournal() {
        Path f = tmp.resolve("j");
        try (Journal j = Journal.open(f, true, s -> s)) {
            // The lock is per process for FileChannel; a second open in the same JVM fails on the lock too.
            assertThrows(FleetException.class, () -> Journal.open(f, false, s -> s));
        }
    }

    /** The real sink, but fsync fails (a disk error): a Mockito mock forwarding all else to the sink. */
    private static JournalSink failingFsync(JournalSink real) {
        JournalSink sink = mock(JournalSink.class, delegatesTo(real));
        try {
            doThrow(new IOException("Input/output error")).when(sink).force();
        } catch (IOException e) {
            throw new AssertionError(e); // stubbing only: nothing is forced here
        }
        return sink;
    }

    @Test
    void afterAFailedSyncNothingMoreIsAccepted() {
        Path f = tmp.resolve("j");
        try (Journal j = Journal.open(f, true, JournalTest::failingFsync)) {
            long p = j.append(new Written(1));
            assertThrows(JournalFailedException.class, () -> j.sync(p));
            JournalFailedException e = assertThrows(JournalFailedException.class, () -> j.append(new Written(1)));
            assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        }
    }

    @Test
    void concurrentSyncsShareFsyncs() throws Exception {
        Path f = tmp.resolve("j");
        try (Journal j = Journal.open(f, true, s -> s)) {
            int threads = 4;
            int each = 50;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        j.write(new Written(id * 1000L + i));
                    }
                });
                ts.add(th);
                th.start();
            }
            start.countDown();
            for (Thread th : ts) {
                th.join();
            }
            assertEquals(threads * each, j.stats().records());
            assertTrue(j.stats().syncs() <= threads * each);
        }
        try (Journal j = Journal.open(f, false, s -> s)) {
            assertEquals(200, j.replayed().size());
        }
    }
}
