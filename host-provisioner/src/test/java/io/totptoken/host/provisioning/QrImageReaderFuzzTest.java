package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * Any bytes may arrive as an "image": reading them either gives QR payloads or throws
 * {@link InvalidCredentialException} with one line; never another exception, an Error, or
 * unbounded work (each run has a 2 s budget instead of the CLI's 10 s, so that fuzzing moves on).
 * Seeds live in src/test/resources/.../QrImageReaderFuzzTestInputs/readImage.
 */
@Tag("slow")
class QrImageReaderFuzzTest {
    private static final Duration BUDGET = Duration.ofSeconds(2);
    private static Path file;

    private static synchronized Path file() {
        if (file == null) {
            try {
                file = Files.createTempFile("qr-fuzz", ".img");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            file.toFile().deleteOnExit();
        }
        return file;
    }

    @FuzzTest(maxDuration = "15s")
    void readImage(byte[] image) throws IOException {
        Path f = Files.write(file(), image);
        List<String> payloads;
        try {
            payloads = QrImageReader.read(f, BUDGET);
        } catch (InvalidCredentialException e) {
            assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("image '"), e.getMessage());
            return;
        }
        assertFalse(payloads.isEmpty());
        assertTrue(payloads.stream().distinct().count() == payloads.size(), "each payload once");
    }
}
