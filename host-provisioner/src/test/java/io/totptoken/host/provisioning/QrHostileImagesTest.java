package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images made to exhaust the QR reader: tiled finder patterns (cubic candidate search), a
 * 10000 x 10000 16-bit PNG, tiny GIFs that claim huge screens. Each is read in a JVM with a
 * 256 MB heap and must end in one clear line, never an OutOfMemoryError or a hang. The process
 * timeout only guards against a hang; nothing here measures speed.
 */
class QrHostileImagesTest {
    private static final String HEAP = "-Xmx256m";
    private static final long HANG_GUARD_SECONDS = 120;

    @TempDir
    Path tmp;

    /** The one line QrReadMain printed for the file, read with a small heap. */
    private static String readInSmallJvm(Path file) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-cp", System.getProperty("java.class.path"), QrReadMain.class.getName(), file.toString()));
        Path output = file.resolveSibling(file.getFileName() + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!p.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
                fail("reading " + file.getFileName() + " hung");
            }
            String out = Files.readString(output);
            assertEquals(0, p.exitValue(), out);
            assertEquals(1, out.strip().lines().count(), "one line, no stack trace: " + out);
            return out.strip();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void tiledFinderPatternsEndInAClearRefusal() throws Exception {
        for (int n : new int[] {15, 30}) {
            Path file = tmp.resolve("finders" + n + ".png");
            ImageIO.write(HostileImages.finderGrid(n, 1), "png", file.toFile());
            assertTrue(Files.size(file) < 2000, "a small file: " + Files.size(file));
            String line = readInSmallJvm(file);
            assertTrue(line.startsWith("refused: image 'finders" + n + ".png' has no QR code"), line);
        }
    }

    @Test
    void aHuge16BitPngIsReadSubsampledInBoundedMemory() throws Exception {
        Path file = tmp.resolve("huge.png");
        ImageIO.write(new BufferedImage(10_000, 10_000, BufferedImage.TYPE_USHORT_GRAY), "png", file.toFile());
        assertTrue(Files.size(file) < 1_000_000, "a small file: " + Files.size(file));
        String line = readInSmallJvm(file);
        assertTrue(line.startsWith("refused: image 'huge.png' has no QR code"), line);
    }

    @Test
    void tinyGifsClaimingHugeImagesEndInAClearRefusal() throws Exception {
        Path claimed = Files.write(tmp.resolve("screen.gif"), HostileImages.tinyGif(65535, 65535, 10_000, 10_000));
        assertTrue(Files.size(claimed) < 64, "a tiny file: " + Files.size(claimed));
        assertTrue(readInSmallJvm(claimed).startsWith("refused: image 'screen.gif' has no QR code"));
        Path huge = Files.write(tmp.resolve("huge.gif"), HostileImages.tinyGif(65535, 65535, 65535, 65535));
        assertEquals("refused: image 'huge.gif' has 4294 megapixels; crop or shrink it to at most 100",
                readInSmallJvm(huge));
    }

    @Test
    void aCodeInALargePhotoIsStillReadSubsampled() throws Exception {
        BufferedImage photo = new BufferedImage(6000, 4000, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = photo.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, photo.getWidth(), photo.getHeight());
        g.drawImage(QrPictures.code(QrImageReaderTest.URI, 12), 2500, 1500, null);
        g.dispose();
        Path file = tmp.resolve("photo.png");
        ImageIO.write(photo, "png", file.toFile());
        assertEquals(2, QrImageReader.subsampling(6000, 4000));
        assertEquals(List.of(QrImageReaderTest.URI), assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> QrImageReader.read(file)));
    }

    @Test
    void subsamplingKeepsImagesWithinTheWorkingSize() {
        assertEquals(1, QrImageReader.subsampling(4000, 4000));
        assertEquals(2, QrImageReader.subsampling(4001, 4000));
        assertEquals(3, QrImageReader.subsampling(10_000, 10_000));
        assertEquals(1, QrImageReader.subsampling(1, 16_000_000));
    }

    @Test
    void aSpentBudgetNamesTheTime() throws Exception {
        Path file = tmp.resolve("page.png");
        ImageIO.write(QrPictures.screenshot(), "png", file.toFile());
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> QrImageReader.read(file, Duration.ofMillis(1)));
        assertEquals("image 'page.png' has no QR code found in 1 ms; crop the picture to the code, or take a sharper,"
                + " straighter or closer one", e.getMessage());
    }
}
