package io.totptoken.host.provisioning;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Images made to exhaust a QR reader, drawn or written byte by byte here so that the tests need no binary files. */
public final class HostileImages {
    private HostileImages() {
    }

    /** An n x n grid of QR finder patterns (7 x 7 modules, a module apart), {@code m} pixels a module. */
    public static BufferedImage finderGrid(int n, int m) {
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
    public static byte[] tinyGif(int screenWidth, int screenHeight, int width, int height) {
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
}
