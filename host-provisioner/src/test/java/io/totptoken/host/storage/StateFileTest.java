package io.totptoken.host.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock on a state file, held by another process through the real OS lock (a child JVM):
 * waited for, said once, given up on after the wait with a sentence. And the backup: a state
 * whose file and backup are both damaged is {@link StateFile.Damaged}, never a new token.
 */
class StateFileTest {
    @TempDir
    Path dir;
    Process holder;

    @AfterEach
    void release() throws InterruptedException {
        if (holder != null) {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts a child JVM holding the lock of dir/token.sim and waits until it does. */
    private void holdLockInAnotherProcess() throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolderMain.class.getName(),
                dir.resolve("token.sim.lock").toString());
        holder = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertEquals("locked", line);
    }

    @Test
    void aLockHeldByAnotherProcessIsWaitedForAndTheWaitIsSaidOnce() throws Exception {
        holdLockInAnotherProcess();
        List<String> notices = new CopyOnWriteArrayList<>();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<StateFile> open = CompletableFuture.supplyAsync(() -> {
            try {
                return StateFile.open(dir.resolve("token.sim"), Duration.ofSeconds(60), n -> {
                    notices.add(n);
                    waiting.countDown();
                });
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertTrue(waiting.await(60, TimeUnit.SECONDS), "told that it waits");
        holder.getOutputStream().close(); // the other process lets go
        try (StateFile f = open.get(60, TimeUnit.SECONDS)) {
            f.save(new byte[] {1, 2, 3});
        }
        assertEquals(List.of("waiting for another tokenctl using " + dir.resolve("token.sim") + "..."), notices);
    }

    @Test
    void aLockNotLetGoInTimeIsASentence() throws Exception {
        holdLockInAnotherProcess();
        IOException e = assertThrows(IOException.class, () -> StateFile.open(dir.resolve("token.sim"), Duration.ZERO, n -> { }));
        assertTrue(e.getMessage().contains("in use by another tokenctl"), e.getMessage());
    }

    @Test
    void everyOpenRemovesTheFixedTemporariesAndOnlyASweepListsTheDirectory() throws Exception {
        for (String name : List.of(".token.sim.tmp", ".token.sim.bak.tmp", ".token.sim123.tmp")) {
            Files.write(dir.resolve(name), new byte[] {7});
        }
        StateFile.open(dir.resolve("token.sim"), Duration.ZERO, n -> { }).close();
        assertEquals(List.of(".token.sim123.tmp"), temporaries());
        StateFile.open(dir.resolve("token.sim"), Duration.ZERO, n -> { }, true).close();
        assertEquals(List.of(), temporaries());
    }

    private List<String> temporaries() throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted().toList();
        }
    }

    @Test
    void aDamagedFileAndBackupAreDamagedNotANewToken() throws Exception {
        StateFile.Decoder<String> decoder = bytes -> {
            if (bytes[0] != 'O') {
                throw new IllegalArgumentException("checksum mismatch");
            }
            return new String(bytes, StandardCharsets.US_ASCII);
        };
        try (StateFile f = StateFile.open(dir.resolve("token.sim"), Duration.ZERO, n -> { })) {
            assertEquals(null, f.load(decoder), "nothing stored yet");
            f.save("OK1".getBytes(StandardCharsets.US_ASCII));
            f.save("OK2".getBytes(StandardCharsets.US_ASCII));
        }
        assertArrayEquals("OK1".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(dir.resolve("token.sim.bak")));
        Files.writeString(dir.resolve("token.sim"), "XX");
        Files.writeString(dir.resolve("token.sim.bak"), "YY");
        try (StateFile f = StateFile.open(dir.resolve("token.sim"), Duration.ZERO, n -> { })) {
            StateFile.Damaged e = assertThrows(StateFile.Damaged.class, () -> f.load(decoder));
            assertTrue(e.getMessage().contains(dir.resolve("token.sim") + " is damaged (checksum mismatch)")
                    && e.getMessage().contains("tokenctl reset"), e.getMessage());
        }
        Files.delete(dir.resolve("token.sim"));
        Files.writeString(dir.resolve("token.sim.bak"), "OK1");
        List<String> notices = new CopyOnWriteArrayList<>();
        try (StateFile f = StateFile.open(dir.resolve("token.sim"), Duration.ZERO, notices::add)) {
            assertEquals("OK1", f.load(decoder), "a missing file comes back from its backup");
        }
        assertTrue(notices.get(0).contains("is missing"), notices.toString());
        assertEquals("OK1", Files.readString(dir.resolve("token.sim")));
    }
}
