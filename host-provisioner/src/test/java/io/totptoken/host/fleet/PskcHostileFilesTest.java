package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PSKC files made to hurt the reader: deep nesting, absurd PBKDF2 iteration counts, entries a token
 * cannot take. Each ends in one {@link FleetException} with a sentence, never an Error, a stall or
 * a seed that a run would journal and then fail on.
 */
class PskcHostileFilesTest {
    /** Only a guard against a hang: the assertions are about the outcome. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);
    private static final String GOOD_SECRET = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA="; // "12345678901234567890"

    @TempDir
    Path tmp;

    private static String container(String inside) {
        return "<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\">" + inside + "</KeyContainer>";
    }

    private static String keyPackage(String serial, String issuer, String length, String secret, String interval) {
        return "<KeyPackage><DeviceInfo><SerialNo>" + serial + "</SerialNo></DeviceInfo>"
                + "<Key Id=\"" + serial + "\" Algorithm=\"urn:ietf:params:xml:ns:keyprov:pskc:totp\">"
                + "<Issuer>" + issuer + "</Issuer>"
                + "<AlgorithmParameters><ResponseFormat Length=\"" + length + "\" Encoding=\"DECIMAL\"/></AlgorithmParameters>"
                + "<Data><Secret><PlainValue>" + secret + "</PlainValue></Secret>"
                + "<TimeInterval><PlainValue>" + interval + "</PlainValue></TimeInterval></Data></Key></KeyPackage>";
    }

    private static byte[] bytes(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static FleetException refused(byte[] xml, PskcProtection unlock) {
        FleetException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThrows(FleetException.class, () -> PskcReader.read(xml, unlock)));
        assertFalse(e.getMessage().contains("\n") && !(e instanceof ManifestException), e.getMessage());
        return e;
    }

    @Test
    void deepNestingIsRefusedWithASentence() {
        String open = "<x>".repeat(200_000);
        String close = "</x>".repeat(200_000);
        byte[] xml = bytes(container("<EncryptionKey>" + open + close + "</EncryptionKey>"
                + keyPackage("1", "Vendor", "6", GOOD_SECRET, "30")));
        FleetException e = refused(xml, new PskcProtection.Password("pw".toCharArray(), 0));
        assertTrue(e.getMessage().startsWith("the PSKC file nests elements deeper than 32 (line 1, column "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483647", "5000001", "0", "-1", "ten", "99999999999999999999"})
    void iterationCountsOutsideTheDocumentedRangeAreRefused(String count) {
        char[] password = "vendor password".toCharArray();
        String file = new String(PskcWriter.write(PskcTest.entries(), new PskcProtection.Password(password, 1000)),
                StandardCharsets.UTF_8);
        assertTrue(file.contains("<IterationCount>1000</IterationCount>"), file);
        byte[] xml = bytes(file.replace("<IterationCount>1000</IterationCount>", "<IterationCount>" + count + "</IterationCount>"));
        FleetException e = refused(xml, new PskcProtection.Password(password, 0));
        assertTrue(e.getMessage().startsWith("the PSKC PBKDF2 iteration count is "), e.getMessage());
        assertTrue(e.getMessage().contains("; it must be 1 to 5000000")
                || e.getMessage().endsWith("is not a whole number"), e.getMessage());
    }

    @Test
    void everyEntryATokenCannotTakeIsListedWithItsNumber() {
        byte[] xml = bytes(container(keyPackage("10000001", "Vendor", "6", GOOD_SECRET, "30")
                + keyPackage("10000002", "Vendor", "6", "MTIz*NDU2Nzg5MDEyMzQ1Njc4OTA=", "30")
                + keyPackage("10000003", "Vendor", "6", GOOD_SECRET, "0")
                + keyPackage("10000004", "Vendor", "99", GOOD_SECRET, "30")
                + keyPackage("10000005", "V".repeat(1_000_000), "6", GOOD_SECRET, "30")
                + keyPackage("10000006", "Vendor", "8", GOOD_SECRET, "60")));
        ManifestException e = assertThrows(ManifestException.class, () -> PskcReader.read(xml, PskcProtection.none()));
        List<String> problems = e.problems();
        assertEquals(4, problems.size(), problems.toString());
        assertEquals("PSKC KeyPackage 2: a secret's PlainValue is not base64", problems.get(0));
        assertEquals("PSKC KeyPackage 3: period must be a positive number of seconds, not 0", problems.get(1));
        assertEquals("PSKC KeyPackage 4: digits must be 6, 7 or 8, not 99", problems.get(2));
        assertTrue(problems.get(3).startsWith("PSKC KeyPackage 5: credential name 'VVVV"), problems.get(3));
        assertTrue(e.getMessage().length() < 1000, "the long issuer is not repeated");
        assertFalse(e.getMessage().contains("MTIzNDU2") || e.getMessage().contains("1234567890"), e.getMessage());
    }

    /** The seed file is refused as a whole, so a run never starts, journals nor writes a token. */
    @Test
    void aSeedFileWithABadEntryIsRefusedBeforeARunStarts() throws Exception {
        Path seeds = Files.write(tmp.resolve("vendor.pskc"), bytes(container(
                keyPackage("10000001", "Vendor", "6", GOOD_SECRET, "30")
                + keyPackage("10000002", "Vendor", "6", GOOD_SECRET, "0"))));
        ManifestException e = assertThrows(ManifestException.class, () -> SeedFiles.read(seeds, PskcProtection.none()));
        assertEquals(List.of("vendor.pskc: PSKC KeyPackage 2: period must be a positive number of seconds, not 0"),
                e.problems());

        Path csv = Files.writeString(tmp.resolve("vendor.csv"),
                "10000001,3132333435363738393031323334353637383930,totp,6,30\n"
                + "10000002,3132333435363738393031323334353637383930,totp,99,30\n"
                + "10000003,3132333435363738393031323334353637383930,totp,6,0\n");
        e = assertThrows(ManifestException.class, () -> SeedFiles.read(csv, PskcProtection.none()));
        assertEquals(List.of("vendor.csv: line 2: digits must be 6, 7 or 8, not 99",
                "vendor.csv: line 3: period must be a positive number of seconds, not 0"), e.problems());
    }

    @Test
    void aSeedFileThatNeverEndsIsRefused() {
        FleetException e = assertTimeoutPreemptively(HANG_GUARD, () -> assertThrows(FleetException.class,
                () -> SeedFiles.read(Path.of("/dev/zero"), PskcProtection.none())));
        assertEquals("the seed file /dev/zero is larger than 64 MiB; split it", e.getMessage());
    }

    @Test
    void goodEntriesStillRead() {
        byte[] xml = bytes(container(keyPackage("10000001", "Vendor", "8", GOOD_SECRET, "60")));
        SeedEntry e = PskcReader.read(xml, PskcProtection.none()).get(0);
        assertEquals(OathType.TOTP, e.type());
        assertEquals(HashAlgorithm.SHA1, e.algorithm());
        assertEquals(8, e.digits());
        assertEquals(60, e.period());
        assertEquals("12345678901234567890", new String(e.secret(), StandardCharsets.US_ASCII));
    }
}
