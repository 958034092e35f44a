package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class QrImageReaderTest {
    static final String URI = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
            + "&algorithm=SHA1&digits=6&period=30";
    static final String OTHER_URI = "otpauth://hotp/ACME%20Co:bob?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
            + "&issuer=ACME%20Co&counter=42";

    @TempDir
    Path temp;

    static String migrationUri() {
        List<CredentialSpec> specs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            specs.add(new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "Service " + i,
                    "user" + i + "@example.com", ("secret-key-number-" + i).getBytes(StandardCharsets.US_ASCII), false));
        }
        return GoogleMigration.encode(new MigrationBatch(314159, 0, 1, specs));
    }

    static Stream<Arguments> spoiledPictures() {
        return Stream.of(
                picture("plain", URI, 4, image -> image),
                picture("rotated 7 degrees", URI, 4, image -> QrPictures.rotate(image, 7)),
                picture("rotated 33 degrees", URI, 4, image -> QrPictures.rotate(image, 33)),
                picture("rotated 45 degrees", URI, 4, image -> QrPictures.rotate(image, 45)),
                picture("rotated 90 degrees", URI, 4, image -> QrPictures.rotate(image, 90)),
                picture("rotated 180 degrees", URI, 4, image -> QrPictures.rotate(image, 180)),
                picture("rotated 251 degrees", URI, 4, image -> QrPictures.rotate(image, 251)),
                picture("scaled 0.5x", URI, 4, image -> QrPictures.scale(image, 0.5)),
                picture("scaled 3x", URI, 4, image -> QrPictures.scale(image, 3)),
                picture("tiny, 1 pixel per module", URI, 1, image -> image),
                picture("blurred", URI, 5, image -> QrPictures.blur(image, 1.5)),
                picture("blurred and scaled down", URI, 6, image -> QrPictures.scale(QrPictures.blur(image, 2), 0.6)),
                picture("noisy", URI, 4, image -> QrPictures.noise(image, 45, 1)),
                picture("low contrast", URI, 4, image -> QrPictures.contrast(image, 110, 150)),
                picture("JPEG quality 0.25", URI, 4, image -> QrPictures.jpeg(image, 0.25f)),
                picture("inverted", URI, 4, image -> QrPictures.contrast(image, 255, 0)),
                picture("screenshot of an enrolment page", URI, 4, QrPictures::screenshot),
                picture("phone photo", URI, 6, QrImageReaderTest::phonePhoto),
                picture("phone photo of an export", migrationUri(), 5, QrImageReaderTest::phonePhoto),
                picture("large, very blurred camera frame", URI, 14, image -> QrPictures.noise(
                        QrPictures.blur(QrPictures.transform(image, -12, 0.05, new Color(0x505860)), 5), 25, 11)),
                picture("export rotated 33 degrees and blurred", migrationUri(), 4,
                        image -> QrPictures.blur(QrPictures.rotate(image, 33), 1.0)));
    }

    /** A code shot at an angle, smaller, out of focus, grainy, dim, then JPEG-compressed. */
    static BufferedImage phonePhoto(BufferedImage code) {
        BufferedImage shot = QrPictures.transform(code, 21, 0.08, new Color(0x8A8F94));
        shot = QrPictures.scale(shot, 0.7);
        shot = QrPictures.blur(shot, 1.2);
        shot = QrPictures.noise(shot, 18, 7);
        shot = QrPictures.contrast(shot, 60, 200);
        return QrPictures.jpeg(shot, 0.6f);
    }

    private static Arguments picture(String name, String payload, int moduleSize, UnaryOperator<BufferedImage> spoil) {
        return Arguments.of(Named.of(name, spoil), payload, moduleSize);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @MethodSource("spoiledPictures")
    void readsTheExactPayloadFromASpoiledPicture(UnaryOperator<BufferedImage> spoil, String payload, int moduleSize)
            throws IOException {
        BufferedImage picture = spoil.apply(QrPictures.code(payload, moduleSize));
        Path file = temp.resolve("picture.png");
        ImageIO.write(picture, "png", file.toFile());
        assertEquals(List.of(payload), QrImageReader.read(file));
    }

    @Test
    void readsTwoCodesInOneImage() {
        BufferedImage both = QrPictures.sideBySide(QrPictures.code(URI, 4), QrPictures.code(OTHER_URI, 4));
        assertEquals(Set.of(URI, OTHER_URI), Set.copyOf(QrImageReader.scan(both)));
    }

    @Test
    void readsThreeCodesOnOneScreenshotEachOnce() {
        BufferedImage page = QrPictures.screenshot(QrPictures.code(URI, 3), QrPictures.code(OTHER_URI, 3),
                QrPictures.code(migrationUri(), 3));
        List<String> payloads = QrImageReader.scan(page);
        assertEquals(Set.of(URI, OTHER_URI, migrationUri()), Set.copyOf(payloads));
        assertEquals(3, payloads.size());
    }

    @Test
    void readsTwoCodesInARotatedPhoto() {
        BufferedImage both = QrPictures.sideBySide(QrPictures.code(URI, 5), QrPictures.code(OTHER_URI, 5));
        BufferedImage photo = QrPictures.noise(QrPictures.blur(QrPictures.rotate(both, 12), 1.0), 12, 3);
        assertEquals(Set.of(URI, OTHER_URI), Set.copyOf(QrImageReader.scan(photo)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif", "bmp"})
    void readsEveryImageFormat(String format) throws IOException {
        Path file = temp.resolve("code." + format);
        BufferedImage code = QrPictures.code(URI, 4);
        assertTrue(ImageIO.write(code, format, file.toFile()), "no ImageIO writer for " + format);
        assertEquals(List.of(URI), QrImageReader.read(file));
    }

    @Test
    void namesTheFileWhenItHoldsNoCode() throws IOException {
        Path file = temp.resolve("holiday.png");
        ImageIO.write(QrPictures.screenshot(), "png", file.toFile());
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class, () -> QrImageReader.read(file));
        assertEquals("image 'holiday.png' has no QR code that could be read; try a sharper, straighter or closer picture",
                e.getMessage());
    }

    @Test
    void namesTheFileWhenItIsNotAnImage() throws IOException {
        Path text = Files.writeString(temp.resolve("notes.png"), "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP");
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class, () -> QrImageReader.read(text));
        assertEquals("image 'notes.png' is not a PNG, JPEG, GIF or BMP image", e.getMessage());

        Path truncated = temp.resolve("cut.png");
        ImageIO.write(QrPictures.code(URI, 4), "png", truncated.toFile());
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(InvalidCredentialException.class, () -> QrImageReader.read(truncated));
        assertTrue(e.getMessage().startsWith("image 'cut.png' cannot be read as an image"), e.getMessage());

        Path bomb = temp.resolve("bomb.png");
        ImageIO.write(new BufferedImage(20_000, 6_000, BufferedImage.TYPE_BYTE_BINARY), "png", bomb.toFile());
        e = assertThrows(InvalidCredentialException.class, () -> QrImageReader.read(bomb));
        assertEquals("image 'bomb.png' has 120 megapixels; crop or shrink it to at most 100", e.getMessage());

        e = assertThrows(InvalidCredentialException.class, () -> QrImageReader.read(temp.resolve("missing.jpg")));
        assertEquals("image 'missing.jpg' does not exist or is not a file", e.getMessage());
    }

    /** Codes drawn by another encoder: Debian's qrencode, with its own masks, versions and quiet zones. */
    @ParameterizedTest(name = "qrencode {0}")
    @ValueSource(strings = {"-s 3 -m 4 -l L", "-s 2 -m 2 -l M", "-s 1 -m 4 -l L", "-s 10 -m 1 -l H", "-s 4 -l Q -v 12",
        "-s 5 --foreground=FFFFFF --background=000000", "-s 4 --foreground=2050A0 --background=F0E8D0",
        "-s 6 -8", "-s 3 -t PNG32"})
    void readsCodesMadeByQrencode(String options) throws Exception {
        for (String payload : List.of(URI, migrationUri())) {
            Path file = temp.resolve("qrencode.png");
            List<String> command = new ArrayList<>(List.of(qrencode(), "-o", file.toString()));
            command.addAll(List.of(options.split(" ")));
            command.add(payload);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "qrencode hung");
            assertEquals(0, process.exitValue(), "qrencode failed: " + output);
            assertEquals(List.of(payload), QrImageReader.read(file), options);
        }
    }

    @Test
    void readsAQrencodeCodeInAPhoto() throws Exception {
        Path file = temp.resolve("enrol.png");
        Process process = new ProcessBuilder(qrencode(), "-o", file.toString(), "-s", "6", OTHER_URI)
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor());
        BufferedImage photo = phonePhoto(ImageIO.read(file.toFile()));
        Path shot = temp.resolve("photo.jpg");
        ImageIO.write(photo, "jpg", shot.toFile());
        assertEquals(List.of(OTHER_URI), QrImageReader.read(shot));
    }

    /** Fails, never skips, when qrencode is missing: CI installs it and must run these tests. */
    static String qrencode() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "qrencode");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("qrencode is needed for this test: install it with 'apt-get install -y qrencode'");
    }
}
