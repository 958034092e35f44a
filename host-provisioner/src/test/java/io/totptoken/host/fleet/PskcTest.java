package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PSKC files written, validated against RFC 6030's schema by Debian's pskctool, decrypted by our
 * reader and, independently, by openssl.
 */
class PskcTest {
    private static final byte[] KEY = HexFormat.of().parseHex("12345678901234567890123456789012");

    @TempDir
    Path tmp;

    private static final List<SeedEntry> ENTRIES = List.of(
                new SeedEntry("10000001", OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "Example", "alice@example.com",
                        "alice", "", "", "12345678901234567890".getBytes(StandardCharsets.US_ASCII)),
                new SeedEntry("10000002", OathType.TOTP, HashAlgorithm.SHA256, 8, 60, 0, null, "bob & <co>",
                        "bob", "", "", Ledger.generate(HashAlgorithm.SHA256)),
                new SeedEntry("10000003", OathType.HOTP, HashAlgorithm.SHA512, 7, 30, 42, "Corp", "carol",
                        "", "", "", Ledger.generate(HashAlgorithm.SHA512)));

    static List<SeedEntry> entries() {
        return ENTRIES;
    }

    private Path file(byte[] xml) throws Exception {
        Path p = tmp.resolve("t" + System.nanoTime() + ".pskc");
        Files.write(p, xml);
        return p;
    }

    /**
     * pskctool prints OK or FAIL last and exits 0 either way; with --quiet it exits 1 on FAIL. (Before
     * that, libpskc's own reader warns that it does not parse EncryptionKey, MACMethod and
     * EncryptedValue: a limit of that reader, not of the file.)
     */
    private void assertValid(byte[] xml) throws Exception {
        Path f = file(xml);
        assertEquals("OK", lastLine(FleetFixture.run(List.of("pskctool", "--validate", f.toString()))));
        FleetFixture.run(List.of("pskctool", "--validate", "--quiet", f.toString()));
    }

    @Test
    void pskctoolCatchesASchemaViolation() throws Exception {
        String bad = new String(PskcWriter.write(entries(), PskcProtection.none()), StandardCharsets.UTF_8)
                .replace(" Encoding=\"DECIMAL\"", "");
        assertEquals("FAIL", lastLine(FleetFixture.run(List.of("pskctool", "--validate",
                file(bad.getBytes(StandardCharsets.UTF_8)).toString()))));
    }

    private static String lastLine(String out) {
        return out.strip().lines().reduce((a, b) -> b).orElse("");
    }

    private static void assertSame(List<SeedEntry> expected, List<SeedEntry> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            SeedEntry e = expected.get(i);
            SeedEntry a = actual.get(i);
            assertEquals(e.serial(), a.serial());
            assertEquals(e.type(), a.type());
            assertEquals(e.algorithm(), a.algorithm());
            assertEquals(e.digits(), a.digits());
            assertEquals(e.type() == OathType.TOTP ? e.period() : 30, a.period());
            assertEquals(e.counter(), a.counter());
            assertEquals(e.issuer(), a.issuer());
            assertEquals(e.account(), a.account());
            assertArrayEquals(e.secret(), a.secret());
        }
    }

    @Test
    void plainFileIsValidAndReadsBack() throws Exception {
        byte[] xml = PskcWriter.write(entries(), PskcProtection.none());
        assertValid(xml);
        String text = new String(xml, StandardCharsets.UTF_8);
        assertTrue(text.contains("Algorithm=\"urn:ietf:params:xml:ns:keyprov:pskc:totp\""), text);
        assertTrue(text.contains("<SerialNo>10000001</SerialNo>"), text);
        assertTrue(text.contains("<ResponseFormat Encoding=\"DECIMAL\" Length=\"6\"/>"), text);
        assertTrue(text.contains("<PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue>"), text);
        assertSame(entries(), PskcReader.read(xml, PskcProtection.none()));
        String info = FleetFixture.run(List.of("pskctool", "--info", file(xml).toString()));
        assertTrue(info.contains("10000003"), info);
    }

    @Test
    void preSharedKeyFileIsValidAndDecryptsWithTheKeyOnly() throws Exception {
        byte[] xml = PskcWriter.write(entries(), new PskcProtection.PreSharedKey(KEY, "Pre-shared-key"));
        assertValid(xml);
        assertFalse(new String(xml, StandardCharsets.UTF_8).contains("PlainValue>MTIz"), "no secret in clear");
        assertSame(entries(), PskcReader.read(xml, new PskcProtection.PreSharedKey(KEY, null)));
        byte[] wrong = KEY.clone();
        wrong[0] ^= 1;
        FleetException e = assertThrows(FleetException.class,
                () -> PskcReader.read(xml, new PskcProtection.PreSharedKey(wrong, null)));
        assertTrue(e.getMessage().contains("wrong key") || e.getMessage().contains("ValueMAC"), e.getMessage());
        assertThrows(FleetException.class, () -> PskcReader.read(xml, PskcProtection.none()));
    }

    @Test
    void passwordFileIsValidAndDecryptsWithThePassword() throws Exception {
        byte[] xml = PskcWriter.write(entries(), new PskcProtection.Password("correct horse".toCharArray(), 1000));
        assertValid(xml);
        String text = new String(xml, StandardCharsets.UTF_8);
        assertTrue(text.contains("<IterationCount>1000</IterationCount>"), text);
        assertSame(entries(), PskcReader.read(xml, new PskcProtection.Password("correct horse".toCharArray(), 0)));
        assertThrows(FleetException.class,
                () -> PskcReader.read(xml, new PskcProtection.Password("wrong horse".toCharArray(), 0)));
    }

    @Test
    void anAlteredSecretFailsItsValueMac() {
        String text = new String(PskcWriter.write(entries(), new PskcProtection.PreSharedKey(KEY, null)),
                StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<ValueMAC>([^<]+)</ValueMAC>").matcher(text);
        assertTrue(m.find());
        byte[] mac = Base64.getDecoder().decode(m.group(1));
        mac[0] ^= 1;
        String altered = text.substring(0, m.start(1)) + Base64.getEncoder().encodeToString(mac) + text.substring(m.end(1));
        FleetException e = assertThrows(FleetException.class, () -> PskcReader.read(
                altered.getBytes(StandardCharsets.UTF_8), new PskcProtection.PreSharedKey(KEY, null)));
        assertTrue(e.getMessage().contains("ValueMAC"), e.getMessage());
    }

    /** openssl, not our code, derives the key, checks the MAC and decrypts the first secret. */
    @Test
    void opensslDecryptsWhatWeEncrypt() throws Exception {
        String text = new String(PskcWriter.write(entries(), new PskcProtection.Password("pw".toCharArray(), 1000)),
                StandardCharsets.UTF_8);
        String salt = HexFormat.of().formatHex(Base64.getDecoder().decode(group(text, "<Specified>([^<]+)<")));
        String key = FleetFixture.run(List.of("openssl", "kdf", "-keylen", "16", "-kdfopt", "digest:SHA1",
                "-kdfopt", "pass:pw", "-kdfopt", "hexsalt:" + salt, "-kdfopt", "iter:1000", "PBKDF2"))
                .strip().replace(":", "").toLowerCase();
        Matcher cipher = Pattern.compile("<xenc:CipherValue>([^<]+)<").matcher(text);
        assertTrue(cipher.find());
        byte[] macKey = Base64.getDecoder().decode(cipher.group(1));
        assertTrue(cipher.find());
        byte[] secret = Base64.getDecoder().decode(cipher.group(1));
        String macKeyHex = decrypt(key, macKey);
        Path body = tmp.resolve("body");
        Files.write(body, secret);
        String mac = FleetFixture.run(List.of("openssl", "dgst", "-sha1", "-mac", "HMAC", "-macopt",
                "hexkey:" + macKeyHex, body.toString()));
        String expectedMac = HexFormat.of().formatHex(Base64.getDecoder().decode(group(text, "<ValueMAC>([^<]+)<")));
        assertTrue(mac.strip().endsWith(expectedMac), mac);
        assertEquals(HexFormat.of().formatHex(entries().get(0).secret()), decrypt(key, secret));
    }

    private String decrypt(String keyHex, byte[] ivAndBody) throws Exception {
        Path in = tmp.resolve("in" + System.nanoTime());
        Files.write(in, java.util.Arrays.copyOfRange(ivAndBody, 16, ivAndBody.length));
        Path out = tmp.resolve("out" + System.nanoTime());
        FleetFixture.run(List.of("openssl", "enc", "-d", "-aes-128-cbc", "-K", keyHex,
                "-iv", HexFormat.of().formatHex(ivAndBody, 0, 16), "-in", in.toString(), "-out", out.toString()));
        return HexFormat.of().formatHex(Files.readAllBytes(out));
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }

    @Test
    void readsTheDraftTotpUriAndRefusesDoctypes() {
        String xml = "<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\"><KeyPackage>"
                + "<Key Id=\"7\" Algorithm=\"urn:ietf:params:xml:ns:keyprov:pskc#totp\"><Data><Secret>"
                + "<PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret></Data></Key></KeyPackage></KeyContainer>";
        SeedEntry e = PskcReader.read(xml.getBytes(StandardCharsets.UTF_8), PskcProtection.none()).get(0);
        assertEquals("7", e.serial());
        assertEquals(OathType.TOTP, e.type());
        assertEquals(6, e.digits());
        String evil = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + xml;
        assertThrows(FleetException.class, () -> PskcReader.read(evil.getBytes(StandardCharsets.UTF_8), PskcProtection.none()));
    }
}
