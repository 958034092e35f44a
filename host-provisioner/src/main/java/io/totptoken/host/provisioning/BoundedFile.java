package io.totptoken.host.provisioning;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file the user names, but never more than a limit: the name may be {@code /dev/zero},
 * a FIFO or a 50 GB mistake, and reading it whole would end in an OutOfMemoryError.
 */
public final class BoundedFile {
    private BoundedFile() {
    }

    /** The file is larger than the limit; the message says so in a sentence. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(int limit) {
            super("is larger than " + describe(limit));
        }
    }

    /**
     * At most {@code limit} bytes; more are never read. The caller wipes the array when it holds
     * a secret.
     *
     * @throws TooLargeException when the file holds more than {@code limit} bytes
     */
    public static byte[] read(Path file, int limit) throws IOException {
        byte[] bytes = readAtMost(file, limit + 1);
        if (bytes.length > limit) {
            java.util.Arrays.fill(bytes, (byte) 0);
            throw new TooLargeException(limit);
        }
        return bytes;
    }

    /** The first {@code limit} bytes, or the whole file when it is shorter; a longer file is not an error. */
    public static byte[] readAtMost(Path file, int limit) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(limit);
        }
    }

    /** "4 KiB", "64 MiB", or a byte count. */
    public static String describe(int bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
