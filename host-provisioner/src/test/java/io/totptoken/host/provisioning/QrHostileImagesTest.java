package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

    /** An n x n grid of QR finder patterns (7 x 7 modules, a module apart), {@code m} pixels a module. */
    static BufferedImage finderGrid(int n, int m) {
        int cell = 8 * m;
        int side = n * cell + 8 * m;
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, side, side);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int ox = 4 * m + x * cell;
                int oy = 4 * m + y * cell;
                g.setColor(Color.BLACK);
                g.fillRect(ox, oy, 7 * m, 7 * m);
                g.setColor(Color.WHITE);
                g.fillRect(ox + m, oy + m, 5 * m, 5 * m);
                g.setColor(Color.BLACK);
                g.fillRect(ox + 2 * m, oy + 2 * m, 3 * m, 3 * m);
            }
        }
        g.dispose();
        return image;
    }

    /**
     * A GIF89a of a few dozen bytes: the logical screen and one image of the given size, a
     * two-colour table, and an LZW stream that only clears and ends. Decoders allocate the whole
     * image before they find there is no data.
     */
    static byte[] tinyGif(int screenWidth, int screenHeight, int width, int height) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
        littleEndian(b, screenWidth);
        littleEndian(b, screenHeight);
        b.write(0x80); // global colour table of two entries
        b.write(0);
        b.write(0);
        b.writeBytes(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        b.write(0x2C); // image descriptor
        littleEndian(b, 0);
        littleEndian(b, 0);
        littleEndian(b, width);
        littleEndian(b, height);
        b.write(0);
        b.writeBytes(new byte[] {2, 2, 0x4C, 0x01, 0, 0x3B}); // LZW minimum 2, one block: clear, end; trailer
        return b.toByteArray();
    }

    private static void littleEndian(ByteArrayOutputStream out, int value) {
        out.write(value & 0xFF);
        out.write((value >> 8) & 0xFF);
    }

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
            ImageIO.write(finderGrid(n, 1), "png", file.toFile());
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
        Path claimed = Files.write(tmp.resolve("screen.gif"), tinyGif(65535, 65535, 10_000, 10_000));
        assertTrue(Files.size(claimed) < 64, "a tiny file: " + Files.size(claimed));
        assertTrue(readInSmallJvm(claimed).startsWith("refused: image 'screen.gif' has no QR code"));
        Path huge = Files.write(tmp.resolve("huge.gif"), tinyGif(65535, 65535, 65535, 65535));
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
