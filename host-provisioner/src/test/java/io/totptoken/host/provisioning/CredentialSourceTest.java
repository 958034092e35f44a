package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialSourceTest {
    @TempDir
    Path temp;

    private static List<MigrationBatch> export(int batchId, int size, int perBatch) {
        List<MigrationBatch> batches = new ArrayList<>();
        for (int b = 0; b < size; b++) {
            List<CredentialSpec> specs = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                String account = "user" + b + "-" + i;
                specs.add(new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "Exported", account,
                        account.getBytes(StandardCharsets.US_ASCII), false));
            }
            batches.add(new MigrationBatch(batchId, b, size, specs));
        }
        return batches;
    }

    private Path png(String name, BufferedImage image) throws IOException {
        Path file = temp.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void readsAKeyUriAndAnExportGivenAsText() {
        List<CredentialSpec> specs = CredentialSource.read(List.of(QrImageReaderTest.URI,
                GoogleMigration.encode(export(9, 1, 3).get(0))));
        assertEquals(List.of("alice@example.com", "user0-0", "user0-1", "user0-2"),
                specs.stream().map(CredentialSpec::account).toList());
    }

    @Test
    void assemblesAnExportSpreadOverSeveralImagesMixedWithKeyUris() throws IOException {
        List<MigrationBatch> batches = export(42, 2, 4);
        Path first = png("first.png", QrPictures.sideBySide(QrPictures.code(QrImageReaderTest.OTHER_URI, 4),
                QrPictures.code(GoogleMigration.encode(batches.get(1)), 3)));
        Path second = png("second.png", QrPictures.rotate(QrPictures.code(GoogleMigration.encode(batches.get(0)), 4), 20));
        List<CredentialSpec> specs = CredentialSource.read(List.of(first.toString(), second.toString()));
        assertEquals(List.of("bob", "user0-0", "user0-1", "user0-2", "user0-3", "user1-0", "user1-1", "user1-2",
                "user1-3"), specs.stream().map(CredentialSpec::account).toList());
        assertEquals(OathType.HOTP, specs.get(0).type());
        assertEquals(42, specs.get(0).counter());
    }

    @Test
    void saysWhichExportBatchIsMissing() throws IOException {
        List<MigrationBatch> batches = export(7, 3, 1);
        Path one = png("one.png", QrPictures.code(GoogleMigration.encode(batches.get(0)), 4));
        Path three = png("three.png", QrPictures.code(GoogleMigration.encode(batches.get(2)), 4));
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> CredentialSource.read(List.of(one.toString(), three.toString())));
        assertTrue(e.getMessage().startsWith("export batch 2 of 3 is missing"), e.getMessage());
    }

    @Test
    void skipsOtherCodesButRefusesAnImageWithoutCredentials() throws IOException {
        Path mixed = png("mixed.png", QrPictures.sideBySide(QrPictures.code("https://example.com/help/2fa", 4),
                QrPictures.code(QrImageReaderTest.URI, 4)));
        assertEquals(1, CredentialSource.read(List.of(mixed.toString())).size());

        Path link = png("link.png", QrPictures.code("https://example.com/help/2fa", 4));
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> CredentialSource.read(List.of(link.toString())));
        assertEquals("image 'link.png' has a QR code but no otpauth:// URI or Google Authenticator export in it",
                e.getMessage());
    }

    @Test
    void namesTheImageOfABadCode() throws IOException {
        Path bad = png("bad.png", QrPictures.code("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits=12", 4));
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> new CredentialSource().addImage(bad));
        assertEquals("image 'bad.png': digits must be 6, 7 or 8, not 12", e.getMessage());
    }

    @Test
    void keepsACredentialGivenTwiceOnceAndRefusesTwoThatShareAName() {
        assertEquals(1, CredentialSource.read(List.of(QrImageReaderTest.URI, " " + QrImageReaderTest.URI)).size());
        String sameNameOtherKey = QrImageReaderTest.URI.replace("JBSWY3DPEHPK3PXP", "GEZDGNBVGY3TQOJQ");
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> CredentialSource.read(List.of(QrImageReaderTest.URI, sameNameOtherKey)));
        assertTrue(e.getMessage().startsWith("two different credentials are both named 'Example:alice@example.c"),
                e.getMessage());
        assertFalse(e.getMessage().contains("GEZDGNBV"));
    }

    @Test
    void refusesInputThatIsNeitherUriNorImageWithoutEchoingIt() {
        for (String input : List.of("otpauht://totp/a?secret=JBSWY3DPEHPK3PXP", "JBSWY3DPEHPK3PXP", "",
                temp.resolve("nothing.png").toString(), "\0")) {
            InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                    () -> new CredentialSource().add(input));
            assertEquals("input is neither an otpauth:// or otpauth-migration:// URI nor an existing image file",
                    e.getMessage());
        }
        assertThrows(InvalidCredentialException.class, () -> new CredentialSource().credentials());
    }

    @Test
    void buildsAManualEntry() {
        char[] typed = "jbsw y3dp ehpk 3pxp".toCharArray();
        CredentialSpec spec = new ManualEntry(CharBuffer.wrap(typed), "Example:alice").algorithm(HashAlgorithm.SHA256)
                .digits(8).period(60).touch(true).build();
        assertEquals("Example", spec.issuer());
        assertEquals("alice", spec.account());
        assertEquals(HashAlgorithm.SHA256, spec.algorithm());
        assertEquals(8, spec.digits());
        assertEquals(60, spec.period());
        assertTrue(spec.touch());
        assertArrayEquals(Base32.decode("JBSWY3DPEHPK3PXP"), spec.secret());

        CredentialSpec hotp = new ManualEntry("GEZDGNBVGY3TQOJQ", "counter-account").type(OathType.HOTP).counter(5)
                .build();
        assertEquals(OathType.HOTP, hotp.type());
        assertEquals(5, hotp.counter());
        assertEquals(null, hotp.issuer());
        assertEquals(List.of(hotp), new CredentialSource().addManual(
                new ManualEntry("GEZDGNBVGY3TQOJQ", "counter-account").type(OathType.HOTP).counter(5)).credentials());
    }

    @Test
    void manualEntryErrorsAreActionable() {
        assertEquals("secret is empty; type the base32 key the service showed", assertThrows(
                InvalidCredentialException.class, () -> new ManualEntry(" ", "a").build()).getMessage());
        assertEquals("name is empty; give ACCOUNT or ISSUER:ACCOUNT", assertThrows(
                InvalidCredentialException.class, () -> new ManualEntry("JBSWY3DPEHPK3PXP", "").build()).getMessage());
        assertEquals("base32 secret has a character that is not A-Z or 2-7 at position 3", assertThrows(
                InvalidCredentialException.class, () -> new ManualEntry("JB8WY3DP", "a").build()).getMessage());
        assertEquals("digits must be 6, 7 or 8, not 4", assertThrows(InvalidCredentialException.class,
                () -> new ManualEntry("JBSWY3DPEHPK3PXP", "a").digits(4).build()).getMessage());
    }
}
