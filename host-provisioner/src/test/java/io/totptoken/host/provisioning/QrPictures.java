package io.totptoken.host.provisioning;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Test pictures of QR codes: drawn with ZXing's writer, then spoiled the way screens and phone cameras spoil them. */
final class QrPictures {
    private QrPictures() {
    }

    /** A code with {@code moduleSize} pixels per module and a 4-module quiet zone. */
    static BufferedImage code(String text, int moduleSize) {
        try {
            BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.MARGIN, 4, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
            BufferedImage image = new BufferedImage(matrix.getWidth() * moduleSize, matrix.getHeight() * moduleSize,
                    BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            for (int y = 0; y < matrix.getHeight(); y++) {
                for (int x = 0; x < matrix.getWidth(); x++) {
                    if (matrix.get(x, y)) {
                        g.fillRect(x * moduleSize, y * moduleSize, moduleSize, moduleSize);
                    }
                }
            }
            g.dispose();
            return image;
        } catch (WriterException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static BufferedImage rotate(BufferedImage image, double degrees) {
        return transform(image, degrees, 0, Color.WHITE);
    }

    /** Rotation plus shear, drawn on a coloured background: a rough stand-in for a camera's perspective. */
    static BufferedImage transform(BufferedImage image, double degrees, double shear, Color background) {
        double radians = Math.toRadians(degrees);
        int w = image.getWidth();
        int h = image.getHeight();
        int side = (int) Math.ceil(Math.hypot(w, h) * (1 + Math.abs(shear))) + 20;
        BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, side, side);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform t = new AffineTransform();
        t.translate(side / 2.0, side / 2.0);
        t.rotate(radians);
        t.shear(shear, 0);
        t.translate(-w / 2.0, -h / 2.0);
        g.drawImage(image, t, null);
        g.dispose();
        return out;
    }

    static BufferedImage scale(BufferedImage image, double factor) {
        int w = (int) Math.round(image.getWidth() * factor);
        int h = (int) Math.round(image.getHeight() * factor);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Gaussian blur with standard deviation {@code sigma} pixels. */
    static BufferedImage blur(BufferedImage image, double sigma) {
        int radius = (int) Math.ceil(sigma * 3);
        int size = radius * 2 + 1;
        float[] row = new float[size];
        float sum = 0;
        for (int i = 0; i < size; i++) {
            row[i] = (float) Math.exp(-((i - radius) * (i - radius)) / (2 * sigma * sigma));
            sum += row[i];
        }
        for (int i = 0; i < size; i++) {
            row[i] /= sum;
        }
        BufferedImage padded = pad(image, radius);
        BufferedImage horizontal = new ConvolveOp(new Kernel(size, 1, row), ConvolveOp.EDGE_NO_OP, null).filter(padded, null);
        BufferedImage both = new ConvolveOp(new Kernel(1, size, row), ConvolveOp.EDGE_NO_OP, null).filter(horizontal, null);
        return both.getSubimage(radius, radius, image.getWidth(), image.getHeight());
    }

    /** Adds Gaussian noise of standard deviation {@code sigma} grey levels to each channel. */
    static BufferedImage noise(BufferedImage image, double sigma, long seed) {
        Random random = new Random(seed);
        BufferedImage out = copy(image);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int rgb = out.getRGB(x, y);
                int r = clamp(((rgb >> 16) & 0xFF) + random.nextGaussian() * sigma);
                int gr = clamp(((rgb >> 8) & 0xFF) + random.nextGaussian() * sigma);
                int b = clamp((rgb & 0xFF) + random.nextGaussian() * sigma);
                out.setRGB(x, y, r << 16 | gr << 8 | b);
            }
        }
        return out;
    }

    /** Maps black and white onto {@code dark} and {@code light} grey. */
    static BufferedImage contrast(BufferedImage image, int dark, int light) {
        BufferedImage out = copy(image);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int rgb = out.getRGB(x, y);
                int v = clamp(dark + ((rgb >> 8) & 0xFF) * (light - dark) / 255.0);
                out.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return out;
    }

    static BufferedImage jpeg(BufferedImage image, float quality) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            writer.dispose();
            return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An enrolment web page: headings, paragraphs, a button, and the code somewhere in between. */
    static BufferedImage screenshot(BufferedImage... codes) {
        BufferedImage page = new BufferedImage(1366, 900, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(0xF6F8FA));
        g.fillRect(0, 0, page.getWidth(), page.getHeight());
        g.setColor(new Color(0x24292F));
        g.fillRect(0, 0, page.getWidth(), 64);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        g.drawString("Example  |  Settings  |  Security", 24, 40);
        g.setColor(new Color(0x1F2328));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
        g.drawString("Enable two-factor authentication", 200, 130);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        String[] lines = {
            "Scan the image below with the two-factor authentication app on your phone",
            "or with your hardware token. If you can't use a QR code, enter the setup key instead.",
            "Setup key: JBSW Y3DP EHPK 3PXP    Algorithm: SHA1    Digits: 6    Interval: 30 s",
        };
        for (int i = 0; i < lines.length; i++) {
            g.drawString(lines[i], 200, 170 + i * 24);
        }
        int x = 200;
        for (BufferedImage code : codes) {
            g.setColor(Color.WHITE);
            g.fillRect(x - 10, 250 - 10, code.getWidth() + 20, code.getHeight() + 20);
            g.drawImage(code, x, 250, null);
            x += code.getWidth() + 80;
        }
        g.setColor(new Color(0x1F883D));
        g.fillRoundRect(200, 800, 160, 40, 8, 8);
        g.setColor(Color.WHITE);
        g.drawString("Verify code", 235, 826);
        g.dispose();
        return page;
    }

    /** Two codes side by side on one white image. */
    static BufferedImage sideBySide(BufferedImage left, BufferedImage right) {
        BufferedImage out = new BufferedImage(left.getWidth() + right.getWidth() + 60,
                Math.max(left.getHeight(), right.getHeight()) + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(left, 20, 20, null);
        g.drawImage(right, left.getWidth() + 40, 20, null);
        g.dispose();
        return out;
    }

    private static BufferedImage pad(BufferedImage image, int border) {
        BufferedImage out = new BufferedImage(image.getWidth() + 2 * border, image.getHeight() + 2 * border,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(image.getRGB(0, 0)));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(image, border, border, null);
        g.dispose();
        return out;
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }
}
