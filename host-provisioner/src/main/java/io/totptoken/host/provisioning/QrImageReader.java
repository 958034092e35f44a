package io.totptoken.host.provisioning;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.Result;
import com.google.zxing.ResultPoint;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.GenericMultipleBarcodeReader;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Finds every QR code in a screenshot or a phone photo and returns the text of each.
 *
 * <p>First the image as it is, with two binarizers (hybrid, global histogram) and two multi-code
 * readers; each code found is then painted over and the image searched again, so a second code the
 * readers missed beside the first still turns up. Only when nothing at all is found do the slower
 * fallbacks of {@link ImageVariants#fallbacks} run, the first to give a result winning: inverted
 * colours, enlarged (plain, denoised, sharpened), smoothed, turned by 15 to 75 degrees and by
 * quarter turns, shrunk, and contrast-stretched copies.
 */
public final class QrImageReader {
    private static final Map<DecodeHintType, Object> HINTS = new EnumMap<>(DecodeHintType.class);
    private static final int MAX_REPAINTS = 8;
    /** A QR code's finder centres sit 3.5 modules in from its corners; this covers a version 1 code and more. */
    private static final double ERASE_SCALE = 1.7;
    /** Fallbacks work on at most this many pixels a side, so a failing 12-megapixel photo fails in seconds. */
    private static final int FALLBACK_MAX_SIDE = 2000;
    /** Larger than any phone camera's frame; a bigger "image" is a mistake or a decompression bomb. */
    private static final long MAX_PIXELS = 100_000_000L;

    static {
        HINTS.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        HINTS.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
        HINTS.put(DecodeHintType.CHARACTER_SET, "UTF-8");
    }

    private QrImageReader() {
    }

    /**
     * Reads an image file (PNG, JPEG, GIF, BMP) and returns the text of each QR code in it, each once.
     *
     * @throws InvalidCredentialException naming the file when it cannot be read or holds no QR code
     */
    public static List<String> read(Path file) {
        String name = "image " + UserText.quote(String.valueOf(file.getFileName()));
        if (!Files.isRegularFile(file)) {
            throw new InvalidCredentialException(name + " does not exist or is not a file");
        }
        List<String> payloads = scan(load(file, name));
        if (payloads.isEmpty()) {
            throw new InvalidCredentialException(name + " has no QR code that could be read;"
                    + " try a sharper, straighter or closer picture");
        }
        return payloads;
    }

    /**
     * As {@link #read(Path)}, for an image already in memory (piped in on standard input);
     * {@code name} says where it came from in messages.
     */
    public static List<String> read(byte[] image, String name) {
        List<String> payloads = scan(load(new java.io.ByteArrayInputStream(image), name));
        if (payloads.isEmpty()) {
            throw new InvalidCredentialException(name + " has no QR code that could be read;"
                    + " try a sharper, straighter or closer picture");
        }
        return payloads;
    }

    static BufferedImage load(Path file, String name) {
        return load(file.toFile(), name);
    }

    /**
     * Decodes the first frame of a file or stream, after checking its size so that a hostile
     * image cannot exhaust memory.
     */
    private static BufferedImage load(Object source, String name) {
        // Bytes in memory stay there: ImageIO's own stream for an InputStream may cache it in a temporary file.
        try (ImageInputStream input = source instanceof java.io.InputStream in
                ? new javax.imageio.stream.MemoryCacheImageInputStream(in) : ImageIO.createImageInputStream(source)) {
            Iterator<ImageReader> readers = input == null ? Collections.emptyIterator() : ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new InvalidCredentialException(name + " is not a PNG, JPEG, GIF or BMP image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new InvalidCredentialException(name + " has " + pixels / 1_000_000
                            + " megapixels; crop or shrink it to at most " + MAX_PIXELS / 1_000_000);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (InvalidCredentialException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidCredentialException(name + " cannot be read as an image (" + e.getClass().getSimpleName()
                    + "); save it again as PNG or JPEG");
        }
    }

    /** Returns the text of each QR code found in {@code image}, each once, or an empty list. */
    public static List<String> scan(BufferedImage image) {
        BufferedImage gray = ImageVariants.gray(image);
        Set<String> found = new LinkedHashSet<>(searchRepainting(gray));
        if (!found.isEmpty()) {
            return new ArrayList<>(found);
        }
        found.addAll(decodeAll(gray, true)); // light code on a dark background
        if (!found.isEmpty()) {
            return new ArrayList<>(found);
        }
        BufferedImage base = ImageVariants.fitWithin(gray, FALLBACK_MAX_SIDE);
        for (Function<BufferedImage, BufferedImage> variant : ImageVariants.fallbacks(base)) {
            found.addAll(decodeAll(variant.apply(base), false));
            if (!found.isEmpty()) {
                break;
            }
        }
        return new ArrayList<>(found);
    }

    /** Decodes, paints over the codes found, and decodes again until nothing new appears. */
    private static List<String> searchRepainting(BufferedImage gray) {
        Set<String> found = new LinkedHashSet<>();
        BufferedImage canvas = gray;
        for (int round = 0; round < MAX_REPAINTS; round++) {
            List<Result> results = decodeResults(canvas, false);
            boolean fresh = false;
            for (Result result : results) {
                fresh |= found.add(result.getText());
            }
            if (!fresh) {
                break;
            }
            canvas = ImageVariants.copy(canvas);
            Graphics2D g = canvas.createGraphics();
            g.setColor(Color.WHITE);
            for (Result result : results) {
                Polygon area = extent(result.getResultPoints());
                if (area != null) {
                    g.fillPolygon(area);
                }
            }
            g.dispose();
        }
        return new ArrayList<>(found);
    }

    private static List<String> decodeAll(BufferedImage image, boolean inverted) {
        List<String> texts = new ArrayList<>();
        for (Result result : decodeResults(image, inverted)) {
            texts.add(result.getText());
        }
        return texts;
    }

    private static List<Result> decodeResults(BufferedImage image, boolean inverted) {
        LuminanceSource source = new BufferedImageLuminanceSource(image);
        if (inverted) {
            source = source.invert();
        }
        List<Result> results = new ArrayList<>();
        for (BinaryBitmap bitmap : List.of(new BinaryBitmap(new HybridBinarizer(source)),
                new BinaryBitmap(new GlobalHistogramBinarizer(source)))) {
            collect(results, () -> new QRCodeMultiReader().decodeMultiple(bitmap, HINTS));
            if (results.isEmpty()) {
                collect(results, () -> new GenericMultipleBarcodeReader(new QRCodeReader()).decodeMultiple(bitmap, HINTS));
            }
            if (!results.isEmpty()) {
                break;
            }
        }
        return results;
    }

    private interface Attempt {
        Result[] run() throws ReaderException;
    }

    private static void collect(List<Result> into, Attempt attempt) {
        try {
            into.addAll(List.of(attempt.run()));
        } catch (ReaderException e) {
            // nothing here with this binarizer or reader; the caller tries the next
        } catch (RuntimeException e) {
            // ZXing's detectors can fail with index errors on odd geometry: treat as not found
        }
    }

    /** The whole code around its three finder centres (bottom-left, top-left, top-right), a little enlarged. */
    private static Polygon extent(ResultPoint[] points) {
        if (points == null || points.length < 3) {
            return null;
        }
        ResultPoint bl = points[0];
        ResultPoint tl = points[1];
        ResultPoint tr = points[2];
        float[][] corners = {
            {tl.getX(), tl.getY()}, {tr.getX(), tr.getY()},
            {tr.getX() + bl.getX() - tl.getX(), tr.getY() + bl.getY() - tl.getY()}, {bl.getX(), bl.getY()},
        };
        double cx = (bl.getX() + tr.getX()) / 2.0;
        double cy = (bl.getY() + tr.getY()) / 2.0;
        Polygon polygon = new Polygon();
        for (float[] corner : corners) {
            polygon.addPoint((int) Math.round(cx + (corner[0] - cx) * ERASE_SCALE),
                    (int) Math.round(cy + (corner[1] - cy) * ERASE_SCALE));
        }
        return polygon;
    }
}
