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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Finds every QR code in a screenshot or a phone photo and returns the text of each.
 *
 * <p>First the image as it is, with two binarizers (hybrid, global histogram) and two multi-code
 * readers; each code found is then painted over and the image searched again, so a second code the
 * readers missed beside the first still turns up. Only when nothing at all is found do the slower
 * fallbacks of {@link ImageVariants#fallbacks} run, the first to give a result winning: inverted
 * colours, enlarged (plain, denoised, sharpened), smoothed, turned by 15 to 75 degrees and by
 * quarter turns, shrunk, and contrast-stretched copies.
 *
 * <p>Every image costs bounded work, whatever its bytes claim. The header is read first: more
 * than {@link #MAX_PIXELS} is refused, more than {@link #MAX_WORKING_PIXELS} is decoded subsampled
 * (a phone's 48-megapixel photo of a code has modules to spare). A {@link DecodeBudget} then caps
 * the finder-pattern candidates of each attempt and the time of the whole search, image decoding
 * included: past it the search gives up, naming the time.
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
    /** A 16-megapixel frame is decoded whole; larger images are read subsampled down to this. */
    static final long MAX_WORKING_PIXELS = 16_000_000L;

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
        return read(file, DecodeBudget.DEFAULT);
    }

    static List<String> read(Path file, Duration budget) {
        String name = "image " + UserText.quote(String.valueOf(file.getFileName()));
        if (!Files.isRegularFile(file)) {
            throw new InvalidCredentialException(name + " does not exist or is not a file");
        }
        return read(file.toFile(), name, budget);
    }

    /**
     * As {@link #read(Path)}, for an image already in memory (piped in on standard input);
     * {@code name} says where it came from in messages.
     */
    public static List<String> read(byte[] image, String name) {
        return read(image, name, DecodeBudget.DEFAULT);
    }

    private static List<String> read(Object source, String name, Duration budget) {
        DecodeBudget spending = new DecodeBudget(budget);
        Set<String> found = new LinkedHashSet<>();
        try {
            search(load(source, name, spending), spending, found);
        } catch (DecodeBudget.Spent e) {
            if (found.isEmpty()) {
                throw new InvalidCredentialException(name + " has no QR code found in " + spending.describe()
                        + "; crop the picture to the code, or take a sharper, straighter or closer one");
            }
        }
        if (found.isEmpty()) {
            throw new InvalidCredentialException(name + " has no QR code that could be read;"
                    + " try a sharper, straighter or closer picture");
        }
        return new ArrayList<>(found);
    }

    /** A screenshot tool's picture, decoded within the default budget; the caller scans it. */
    static BufferedImage load(Path file, String name) {
        DecodeBudget budget = new DecodeBudget(DecodeBudget.DEFAULT);
        try {
            return load(file.toFile(), name, budget);
        } catch (DecodeBudget.Spent e) {
            throw new InvalidCredentialException(name + " could not be decoded in " + budget.describe());
        }
    }

    /**
     * Decodes the first frame, after checking its size so that a hostile file cannot exhaust memory:
     * refused past {@link #MAX_PIXELS}, subsampled past {@link #MAX_WORKING_PIXELS}, abandoned when
     * the budget is spent.
     */
    private static BufferedImage load(Object source, String name, DecodeBudget budget) {
        // Bytes in memory stay there: ImageIO's own stream for an InputStream may cache it in a temporary file.
        try (ImageInputStream input = source instanceof byte[] bytes
                ? new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)) : ImageIO.createImageInputStream(source)) {
            Iterator<ImageReader> readers = input == null ? Collections.emptyIterator() : ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new InvalidCredentialException(name + " is not a PNG, JPEG, GIF or BMP image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                long pixels = (long) width * height;
                if (pixels > MAX_PIXELS) {
                    throw new InvalidCredentialException(name + " has " + pixels / 1_000_000
                            + " megapixels; crop or shrink it to at most " + MAX_PIXELS / 1_000_000);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(width, height);
                param.setSourceSubsampling(step, step, 0, 0);
                reader.addIIOReadProgressListener(new AbortWhenSpent(budget));
                BufferedImage image = reader.read(0, param);
                budget.check(); // an aborted read returns what it had decoded
                return image;
            } finally {
                reader.dispose();
            }
        } catch (InvalidCredentialException | DecodeBudget.Spent e) {
            throw e;
        } catch (OutOfMemoryError e) {
            // one allocation, the decoded frame, failed and is gone: this JVM's heap is smaller than the caps assume
            throw new InvalidCredentialException(name + " is too large to decode in the memory given to Java;"
                    + " crop or shrink it");
        } catch (IOException | RuntimeException e) {
            throw new InvalidCredentialException(name + " cannot be read as an image (" + e.getClass().getSimpleName()
                    + "); save it again as PNG or JPEG");
        }
    }

    /** The smallest step that brings the image within {@link #MAX_WORKING_PIXELS}. */
    static int subsampling(int width, int height) {
        int step = 1;
        while ((long) ceilDiv(width, step) * ceilDiv(height, step) > MAX_WORKING_PIXELS) {
            step++;
        }
        return step;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Stops an image decoder (PNG and GIF inflate, JPEG) when the search's budget is spent. */
    private static final class AbortWhenSpent implements IIOReadProgressListener {
        private final DecodeBudget budget;

        AbortWhenSpent(DecodeBudget budget) {
            this.budget = budget;
        }

        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            try {
                budget.check();
            } catch (DecodeBudget.Spent e) {
                source.abort();
            }
        }

        @Override
        public void sequenceStarted(ImageReader source, int minIndex) {
        }

        @Override
        public void sequenceComplete(ImageReader source) {
        }

        @Override
        public void imageStarted(ImageReader source, int imageIndex) {
        }

        @Override
        public void imageComplete(ImageReader source) {
        }

        @Override
        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
        }

        @Override
        public void thumbnailProgress(ImageReader source, float percentageDone) {
        }

        @Override
        public void thumbnailComplete(ImageReader source) {
        }

        @Override
        public void readAborted(ImageReader source) {
        }
    }

    /** Returns the text of each QR code found in {@code image}, each once, or an empty list; at most 10 s of work. */
    public static List<String> scan(BufferedImage image) {
        Set<String> found = new LinkedHashSet<>();
        try {
            search(image, new DecodeBudget(DecodeBudget.DEFAULT), found);
        } catch (DecodeBudget.Spent e) {
            // what was found in time is the answer
        }
        return new ArrayList<>(found);
    }

    /** Adds the text of each QR code found to {@code found}; throws {@link DecodeBudget.Spent} when out of time. */
    private static void search(BufferedImage image, DecodeBudget budget, Set<String> found) {
        BufferedImage gray = ImageVariants.gray(image);
        searchRepainting(gray, budget, found);
        if (!found.isEmpty()) {
            return;
        }
        found.addAll(decodeAll(gray, true, budget)); // light code on a dark background
        if (!found.isEmpty()) {
            return;
        }
        BufferedImage base = ImageVariants.fitWithin(gray, FALLBACK_MAX_SIDE);
        for (Function<BufferedImage, BufferedImage> variant : ImageVariants.fallbacks(base)) {
            budget.check();
            found.addAll(decodeAll(variant.apply(base), false, budget));
            if (!found.isEmpty()) {
                return;
            }
        }
    }

    /** Decodes, paints over the codes found, and decodes again until nothing new appears. */
    private static void searchRepainting(BufferedImage gray, DecodeBudget budget, Set<String> found) {
        BufferedImage canvas = gray;
        for (int round = 0; round < MAX_REPAINTS; round++) {
            List<Result> results = decodeResults(canvas, false, budget);
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
    }

    private static List<String> decodeAll(BufferedImage image, boolean inverted, DecodeBudget budget) {
        List<String> texts = new ArrayList<>();
        for (Result result : decodeResults(image, inverted, budget)) {
            texts.add(result.getText());
        }
        return texts;
    }

    private static List<Result> decodeResults(BufferedImage image, boolean inverted, DecodeBudget budget) {
        LuminanceSource source = new BufferedImageLuminanceSource(image);
        if (inverted) {
            source = source.invert();
        }
        Map<DecodeHintType, Object> hints = new EnumMap<>(HINTS);
        hints.put(DecodeHintType.NEED_RESULT_POINT_CALLBACK, budget);
        List<Result> results = new ArrayList<>();
        for (BinaryBitmap bitmap : List.of(new BinaryBitmap(new HybridBinarizer(source)),
                new BinaryBitmap(new GlobalHistogramBinarizer(source)))) {
            collect(results, budget, () -> new QRCodeMultiReader().decodeMultiple(bitmap, hints));
            if (results.isEmpty()) {
                collect(results, budget,
                        () -> new GenericMultipleBarcodeReader(new QRCodeReader()).decodeMultiple(bitmap, hints));
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

    private static void collect(List<Result> into, DecodeBudget budget, Attempt attempt) {
        budget.startAttempt();
        try {
            into.addAll(List.of(attempt.run()));
        } catch (ReaderException e) {
            // nothing here with this binarizer or reader; the caller tries the next
        } catch (DecodeBudget.TooManyCandidates e) {
            // a picture tiled with finder patterns: not worth the cubic search; the caller tries the next
        } catch (DecodeBudget.Spent e) {
            throw e;
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
