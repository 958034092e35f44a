package io.totptoken.serial;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two pseudo-terminals joined by socat, like the two ends of a serial cable: bytes written to
 * one end are read from the other. For tests, benchmarks and trying the serial link without
 * hardware ({@code socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B} by hand).
 */
public final class PtyPair implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 5_000;

    private final Path a;
    private final Path b;
    private final Process socat;
    private final StringBuffer log = new StringBuffer();

    private PtyPair(Path a, Path b, Process socat) {
        this.a = a;
        this.b = b;
        this.socat = socat;
    }

    /**
     * Starts socat and waits until both links exist.
     *
     * @throws IllegalStateException when socat is missing or does not start
     */
    public static PtyPair create(Path a, Path b) {
        List<String> command = List.of("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("socat is needed to make pty pairs (apt-get install socat): " + e.getMessage());
        }
        PtyPair pair = new PtyPair(a, b, p);
        pair.drain();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                pair.close();
                throw new IllegalStateException("socat did not make the pty pair " + a + ", " + b + ": " + pair.log);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                pair.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while socat started");
            }
        }
        return pair;
    }

    /** Makes the pair as {@code dir/a} and {@code dir/b}. */
    public static PtyPair create(Path dir) {
        return create(dir.resolve("a"), dir.resolve("b"));
    }

    public String a() {
        return a.toString();
    }

    public String b() {
        return b.toString();
    }

    /** Whether socat still joins the two ends. */
    public boolean alive() {
        return socat.isAlive();
    }

    /** Stops socat: both ends see the line close; the links go. */
    @Override
    public void close() {
        socat.destroy();
        try {
            if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
                socat.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
        } catch (IOException e) {
            // socat removes its links itself; nothing else to do
        }
    }

    private void drain() {
        Thread t = new Thread(() -> {
            try (InputStream in = socat.getInputStream()) {
                byte[] buf = new byte[512];
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (log.length() < 4096) {
                        log.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                // socat is gone
            }
        }, "socat-log");
        t.setDaemon(true);
        t.start();
    }
}
