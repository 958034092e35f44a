package io.totptoken.host.provisioning;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.awt.image.WritableRaster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Grey-scale copies of a picture that give a QR decoder another chance: turned, resized, smoothed, stretched. */
final class ImageVariants {
    private static final int[] QUARTER_TURNS = {90, 180, 270};
    /** Steps of 15 degrees within a quarter turn: every code ends up within 7.5 degrees of upright. */
    private static final int[] ANGLES = {15, 30, 45, 60, 75};
    private static final int MIN_SIDE = 100;
    /** Enlarged copies stay within this many pixels a side (memory and time). */
    private static final int UPSCALE_LIMIT = 3000;

    private ImageVariants() {
    }

    /** Transparent pixels become white, as a code on a transparent PNG is drawn on a white page. */
    static BufferedImage gray(BufferedImage image) {
        BufferedImage gray = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return gray;
    }

    static BufferedImage copy(BufferedImage gray) {
        BufferedImage copy = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        copy.setData(gray.getRaster());
        return copy;
    }

    static BufferedImage fitWithin(BufferedImage gray, int maxSide) {
        int side = Math.max(gray.getWidth(), gray.getHeight());
        return side <= maxSide ? gray : scale(gray, (double) maxSide / side);
    }

    /**
     * The fallbacks in the order worth trying. The order comes from decoding seeded, simulated phone
     * photos (turned, sheared, shrunk, blurred, grainy, dim, JPEG) and keeping each step that read
     * photos the earlier ones could not: enlarging comes first because ZXing's finder-pattern search
     * misses blurred modules of three or four pixels that it finds once they are ten.
     */
    static List<Function<BufferedImage, BufferedImage>> fallbacks(BufferedImage gray) {
        List<Function<BufferedImage, BufferedImage>> variants = new ArrayList<>();
        int longSide = Math.max(gray.getWidth(), gray.getHeight());
        double largest = Math.min(3, (double) UPSCALE_LIMIT / longSide);
        if (largest >= 1.5) {
            variants.add(image -> scale(image, largest));
            variants.add(image -> scale(median(image), Math.min(2, largest)));
            variants.add(image -> sharpen(scale(image, Math.min(2, largest))));
        }
        variants.add(image -> boxBlur(image, 3));
        for (int degrees : ANGLES) {
            variants.add(image -> rotate(image, degrees));
        }
        for (int degrees : QUARTER_TURNS) {
            variants.add(image -> rotate(image, degrees));
        }
        int shortSide = Math.min(gray.getWidth(), gray.getHeight());
        for (double factor : new double[] {0.5, 0.25}) {
            if (shortSide * factor >= MIN_SIDE) {
                variants.add(image -> scale(image, factor));
            }
        }
        variants.add(ImageVariants::median);
        variants.add(ImageVariants::sharpen);
        variants.add(image -> boxBlur(image, 5));
        variants.add(ImageVariants::stretchContrast);
        return variants;
    }

    static BufferedImage rotate(BufferedImage gray, double degrees) {
        double radians = Math.toRadians(degrees);
        double sin = Math.abs(Math.sin(radians));
        double cos = Math.abs(Math.cos(radians));
        int w = gray.getWidth();
        int h = gray.getHeight();
        int newW = (int) Math.ceil(w * cos + h * sin);
        int newH = (int) Math.ceil(w * sin + h * cos);
        BufferedImage turned = new BufferedImage(newW, newH, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = turned.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, newW, newH);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform transform = new AffineTransform();
        transform.translate(newW / 2.0, newH / 2.0);
        transform.rotate(radians);
        transform.translate(-w / 2.0, -h / 2.0);
        g.drawImage(gray, transform, null);
        g.dispose();
        return turned;
    }

    static BufferedImage scale(BufferedImage gray, double factor) {
        int w = Math.max(1, (int) Math.round(gray.getWidth() * factor));
        int h = Math.max(1, (int) Math.round(gray.getHeight() * factor));
        BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, factor < 1
                ? RenderingHints.VALUE_INTERPOLATION_BILINEAR : RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(gray, 0, 0, w, h, null);
        g.dispose();
        return scaled;
    }

    static BufferedImage boxBlur(BufferedImage gray, int size) {
        float[] weights = new float[size * size];
        Arrays.fill(weights, 1f / weights.length);
        return new ConvolveOp(new Kernel(size, size, weights), ConvolveOp.EDGE_NO_OP, null).filter(gray, null);
    }

    /** 3x3 Laplacian sharpening: restores module edges softened by focus blur. */
    static BufferedImage sharpen(BufferedImage gray) {
        float[] kernel = {0, -1, 0, -1, 5, -1, 0, -1, 0};
        return new ConvolveOp(new Kernel(3, 3, kernel), ConvolveOp.EDGE_NO_OP, null).filter(gray, null);
    }

    /** 3x3 median: removes salt-and-pepper noise without softening module edges much. */
    static BufferedImage median(BufferedImage gray) {
        int w = gray.getWidth();
        int h = gray.getHeight();
        int[] in = gray.getRaster().getPixels(0, 0, w, h, (int[]) null);
        int[] out = in.clone();
        int[] window = new int[9];
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        window[n++] = in[(y + dy) * w + x + dx];
                    }
                }
                Arrays.sort(window);
                out[y * w + x] = window[4];
            }
        }
        return withPixels(w, h, out);
    }

    /** Maps the 1st..99th percentile of grey levels onto the full range. */
    static BufferedImage stretchContrast(BufferedImage gray) {
        int w = gray.getWidth();
        int h = gray.getHeight();
        int[] pixels = gray.getRaster().getPixels(0, 0, w, h, (int[]) null);
        int[] histogram = new int[256];
        for (int p : pixels) {
            histogram[p]++;
        }
        int low = percentile(histogram, pixels.length / 100);
        int high = 255 - percentile(reversed(histogram), pixels.length / 100);
        if (high <= low) {
            return gray;
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = Math.max(0, Math.min(255, (pixels[i] - low) * 255 / (high - low)));
        }
        return withPixels(w, h, pixels);
    }

    private static int percentile(int[] histogram, int count) {
        int seen = 0;
        for (int level = 0; level < histogram.length; level++) {
            seen += histogram[level];
            if (seen > count) {
                return level;
            }
        }
        return histogram.length - 1;
    }

    private static int[] reversed(int[] histogram) {
        int[] reversed = new int[histogram.length];
        for (int i = 0; i < histogram.length; i++) {
            reversed[i] = histogram[histogram.length - 1 - i];
        }
        return reversed;
    }

    private static BufferedImage withPixels(int w, int h, int[] pixels) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        raster.setPixels(0, 0, w, h, pixels);
        return image;
    }
}
