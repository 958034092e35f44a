package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.GoogleMigration;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.MigrationBatch;
import io.totptoken.host.provisioning.OathType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** tokenctl accounts on the embedded token, in process: every input kind, codes against oathtool, refusals. */
class AccountsCliTest extends CliTest {
    static final String ALICE = "JBSWY3DPEHPK3PXP";
    static final String RFC = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890"
    static final String OTHER = "MFRGGZDFMZTWQ2LK";
    static final String ALICE_URI = "otpauth://totp/WiseMo:alice?secret=" + ALICE + "&issuer=WiseMo";

    @Override
    String[] secrets() {
        return new String[] {ALICE, RFC, OTHER};
    }

    @Test
    void addFromAUriPrintsOathtoolsCodeAndTheSecondsLeft() {
        h.at(1_700_000_000L);
        CliHarness.Result r = h.run("accounts", "add", ALICE_URI).expect(0);
        String expected = oathtool("--totp", "-b", ALICE, "-N", "@1700000000");
        assertEquals("WiseMo:alice  " + expected + "  (10 s left)", r.out().strip());
        assertTrue(r.err().contains("Added 1 account to the embedded token"), r.err());
    }

    @Test
    void codesAtFixedTimesEqualOathtoolForEveryAlgorithmDigitsAndPeriod() {
        h.run("accounts", "add", "--secret", RFC, "--name", "Rfc:sha1").expect(0);
        h.run("accounts", "add", "-s", RFC, "-N", "Rfc:sha256-8-60", "-a", "SHA256", "-d", "8", "-P", "60").expect(0);
        h.run("accounts", "add", "--secret", RFC, "--name", "Rfc:sha512-8", "--algorithm", "sha512", "--digits", "8").expect(0);
        h.run("accounts", "add", "otpauth://totp/Uri:sha256-7-45?secret=" + OTHER + "&algorithm=SHA256&digits=7&period=45").expect(0);
        for (long t : new long[] {59, 1111111109L, 1234567890L, 2000000000L, 20000000000L}) {
            List<Map<String, Object>> codes = JsonReader.array(h.run("accounts", "code", "--json", "--time", Long.toString(t)).expect(0).out());
            assertEquals(4, codes.size());
            assertEquals(oathtool("--totp", "-b", RFC, "-N", "@" + t), code(codes, "Rfc:sha1"), "t=" + t);
            assertEquals(oathtool("--totp=SHA256", "-d", "8", "-s", "60s", "-b", RFC, "-N", "@" + t), code(codes, "Rfc:sha256-8-60"));
            assertEquals(oathtool("--totp=SHA512", "-d", "8", "-b", RFC, "-N", "@" + t), code(codes, "Rfc:sha512-8"));
            assertEquals(oathtool("--totp=SHA256", "-d", "7", "-s", "45s", "-b", OTHER, "-N", "@" + t), code(codes, "Uri:sha256-7-45"));
        }
        // ISO 8601 is the same instant; --next is the following step of each account's own period.
        assertEquals(h.run("accounts", "code", "sha1", "--time", "1111111109").out(),
                h.run("accounts", "code", "sha1", "--time", "2005-03-18T01:58:29Z").out());
        String next = JsonReader.array(h.run("accounts", "code", "sha256-8-60", "--json", "--time", "1111111109", "--next")
                .expect(0).out()).get(0).get("code").toString();
        assertEquals(oathtool("--totp=SHA256", "-d", "8", "-s", "60s", "-b", RFC, "-N", "@" + (1111111109L + 60)), next);
    }

    @Test
    void jsonShapesOfListAndCode() {
        h.run("accounts", "add", "otpauth://totp/Example:alice@example.com?secret=" + RFC + "&digits=8").expect(0);
        h.run("accounts", "add", "-s", OTHER, "-N", "solo", "-P", "60", "-a", "SHA256").expect(0);
        List<Map<String, Object>> list = JsonReader.array(h.run("accounts", "list", "--json").expect(0).out());
        assertEquals(Map.of("name", "Example:alice@example.com", "issuer", "Example", "account", "alice@example.com",
                "type", "totp", "algorithm", "SHA1", "period", 30L, "stored_name", "Example:alice@example.com",
                "touch", false), list.get(0));
        assertEquals("60/solo", list.get(1).get("stored_name"));
        assertEquals(null, list.get(1).get("issuer"));
        Map<String, Object> code = JsonReader.array(h.run("accounts", "code", "example", "--json", "-t", "1111111109")
                .expect(0).out()).get(0);
        assertEquals("07081804", code.get("code"), "zero-padded string");
        assertEquals(List.of("name", "issuer", "account", "type", "period", "code", "digits", "touch", "valid_from",
                "valid_to", "seconds_left", "valid_in", "next"), List.copyOf(code.keySet()));
        // 1 s left: the next code comes along, RFC 6238's for 1111111111 (the same time step).
        assertEquals("14050471", ((Map<?, ?>) code.get("next")).get("code"));
        assertEquals(1111111080L, code.get("valid_from"));
        assertEquals(1111111110L, code.get("valid_to"));
        assertEquals(1L, code.get("seconds_left"));
        assertEquals("[]", new CliHarness(tmp.resolve("empty")).run("accounts", "code", "--json", "--time", "0")
                .expect(0).out().strip());
    }

    @Test
    void addFromAQrImage() throws Exception {
        Path png = qr(ALICE_URI, "enrol.png");
        h.at(1_700_000_000L);
        CliHarness.Result r = h.run("accounts", "add", "--qr", png.toString()).expect(0);
        assertTrue(r.out().contains(oathtool("--totp", "-b", ALICE, "-N", "@1700000000")), r.out());
        // An image path as a positional argument works too.
        h.run("accounts", "add", "--force", png.toString()).expect(0);
    }

    @Test
    void addsAGoogleExportGivenAsTextInTwoBatchesAndAsTwoQrImages() throws Exception {
        List<String> batches = export(77);
        CliHarness.Result r = h.run("accounts", "add", batches.get(1), batches.get(0)).expect(0);
        assertTrue(r.err().contains("Added 3 accounts"), r.err());
        assertExported();

        CliHarness images = new CliHarness(tmp.resolve("home2"));
        images.run("accounts", "add", "--qr", qr(batches.get(0), "b1.png").toString(), qr(batches.get(1), "b2.png").toString())
                .expect(0);
        assertEquals(h.run("accounts", "list").out(), images.run("accounts", "list").out());
        images.assertNoSecretIn(ALICE, RFC, OTHER);
        // One batch alone names the missing one and adds nothing.
        CliHarness half = new CliHarness(tmp.resolve("home3"));
        half.run("accounts", "add", batches.get(0)).expect(2).oneErrorLine();
        assertTrue(half.outputs.get(1).contains("batch 2 of 2 is missing"), half.outputs.get(1));
        assertEquals("", half.run("accounts", "list").expect(0).out());
    }

    private void assertExported() {
        List<Map<String, Object>> codes = JsonReader.array(h.run("accounts", "code", "--json", "-t", "1234567890").out());
        assertEquals(List.of("Bank:bob", "Mail:carol", "Shop:dave"), codes.stream().map(c -> c.get("name")).toList());
        assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@1234567890"), code(codes, "Bank:bob"));
        assertEquals(oathtool("--totp=SHA256", "-d", "8", "-b", RFC, "-N", "@1234567890"), code(codes, "Mail:carol"));
        assertEquals(oathtool("--totp", "-b", OTHER, "-N", "@1234567890"), code(codes, "Shop:dave"));
    }

    /** A Google Authenticator export of three credentials in two QR codes. */
    static List<String> export(int batchId) {
        CredentialSpec bob = spec(HashAlgorithm.SHA1, 6, "Bank", "bob", ALICE);
        CredentialSpec carol = spec(HashAlgorithm.SHA256, 8, "Mail", "carol", RFC);
        CredentialSpec dave = spec(HashAlgorithm.SHA1, 6, "Shop", "dave", OTHER);
        return List.of(GoogleMigration.encode(new MigrationBatch(batchId, 0, 2, List.of(bob, carol))),
                GoogleMigration.encode(new MigrationBatch(batchId, 1, 2, List.of(dave))));
    }

    private static CredentialSpec spec(HashAlgorithm alg, int digits, String issuer, String account, String secret) {
        return new CredentialSpec(OathType.TOTP, alg, digits, 30, 0, issuer, account, Base32.decode(secret), false);
    }

    @Test
    void listRenameDeleteAndTheStatePersistsAcrossInvocations() {
        h.run("accounts", "add", ALICE_URI).expect(0);
        h.run("accounts", "add", "-s", OTHER, "-N", "Other:carol", "-P", "60").expect(0);
        assertEquals("Other:carol   TOTP  SHA1  60 s\nWiseMo:alice  TOTP  SHA1  30 s\n", h.run("accounts", "list").expect(0).out());
        assertEquals("Renamed WiseMo:alice to WiseMo:bob.\n", h.run("accounts", "rename", "alice", "WiseMo:bob", "--force")
                .expect(0).out());
        h.run("accounts", "rename", "carol", "Other:dave", "-f").expect(0);
        assertEquals("60/Other:dave", JsonReader.array(h.run("accounts", "list", "--json").out()).get(0).get("stored_name"));
        // A new process (a new harness) sees the same token.
        CliHarness again = new CliHarness(h.home);
        assertEquals("Deleted WiseMo:bob.\n", again.run("accounts", "delete", "wisemo:BOB", "--force").expect(0).out());
        assertEquals("Other:dave  TOTP  SHA1  60 s\n", h.run("accounts", "list").out());
        again.assertNoSecretIn(ALICE, OTHER);
    }

    @Test
    void forceReplacesAnAccountOfTheSameNameAndWithoutItTheTokenIsUnchanged() {
        h.run("accounts", "add", ALICE_URI).expect(0);
        String before = snapshot();
        String sameName = "otpauth://totp/WiseMo:alice?secret=" + OTHER + "&issuer=WiseMo";
        h.run("accounts", "add", sameName).expect(1).oneErrorLine();
        assertTrue(h.outputs.get(h.outputs.size() - 1).contains("already has an account named 'WiseMo:alice'; add --force"));
        assertEquals(before, snapshot());
        h.run("accounts", "add", sameName, "--force").expect(0);
        assertEquals(oathtool("--totp", "-b", OTHER, "-N", "@1111111109"),
                JsonReader.array(h.run("accounts", "code", "--json", "-t", "1111111109").out()).get(0).get("code"));
    }

    @Test
    void everyBadInputLeavesTheTokenUnchangedWithItsExitCodeAndOneLine() throws Exception {
        h.run("accounts", "add", ALICE_URI).expect(0);
        h.run("accounts", "add", "-s", OTHER, "-N", "Other:carol").expect(0);
        String before = snapshot();
        Path garbage = tmp.resolve("garbage.png");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5});
        Path noQr = tmp.resolve("blank.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(50, 50, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", noQr.toFile());
        String good = "otpauth://totp/New:one?secret=" + RFC;
        String[][] usage = {
            {"accounts", "add", "otpauth://totp/?secret=" + RFC},
            {"accounts", "add", good, "otpauth://totp/Bad:b32?secret=JBSWY3DP1HPK3PXP"},
            {"accounts", "add", "otpauth://totp/A:b?secret=" + RFC + "&digits=12"},
            {"accounts", "add", "otpauth://totp/A:b?secret=" + RFC + "&algorithm=MD5"},
            {"accounts", "add", "https://example.com/?secret=" + RFC},
            {"accounts", "add", good, "--qr", garbage.toString()},
            {"accounts", "add", good, "--qr", noQr.toString()},
            {"accounts", "add", good, "--qr", tmp.resolve("missing.png").toString()},
            {"accounts", "add", "-s", RFC, "-N", "Issuer:" + "x".repeat(70)},
            {"accounts", "add", "-s", "not base32!", "-N", "A:b"},
            {"accounts", "add", "-s", RFC},
            {"accounts", "add", "--digits", "8", good},
            {"accounts", "add"},
            {"accounts", "add", export(5).get(0)},
            {"accounts", "add", "--bogus", good},
            {"accounts", "code", "--time", "yesterday"},
            {"accounts", "rename", "alice", "New:" + "y".repeat(70)},
            {"accounts", "rename", "alice", "New:"},
        };
        for (String[] args : usage) {
            h.run(args).expect(2).oneErrorLine();
            assertEquals(before, snapshot(), String.join(" ", args));
        }
        String[][] refused = {
            {"accounts", "add", good, ALICE_URI},
            {"accounts", "delete", "nobody"},
            {"accounts", "delete", "o"},
            {"accounts", "rename", "alice", "Other:carol"},
            {"accounts", "code", "nobody"},
        };
        for (String[] args : refused) {
            h.run(args).expect(1).oneErrorLine();
            assertEquals(before, snapshot(), String.join(" ", args));
        }
    }

    @Test
    void hotpAndTouchAccountsGetACodeOnlyWhenAskedForAlone() {
        h.run("accounts", "add", "otpauth://hotp/Counter:rfc?secret=" + RFC + "&counter=0").expect(0)
                .out().contains("HOTP: no code computed");
        h.run("accounts", "add", "--touch", "otpauth://totp/Touch:me?secret=" + OTHER).expect(0);
        String all = h.run("accounts", "code", "--time", "59").expect(0).out();
        assertTrue(all.contains("Counter:rfc  [HOTP: run tokenctl accounts code Counter:rfc to compute]"), all);
        assertTrue(all.contains("Touch:me     [touch required: run tokenctl accounts code Touch:me to compute]"), all);
        assertTrue(h.run("accounts", "code", "Counter").expect(0).out().contains(oathtool("--hotp", "-c", "0", "-b", RFC)));
        assertTrue(h.run("accounts", "code", "Counter").expect(0).out().contains(oathtool("--hotp", "-c", "1", "-b", RFC)));
        h.env.put("TOKENCTL_AUTO_TOUCH", "1");
        Map<String, Object> touched = JsonReader.array(h.run("accounts", "code", "touch", "--json", "-t", "59").expect(0).out()).get(0);
        assertEquals(oathtool("--totp", "-b", OTHER, "-N", "@59"), touched.get("code"));
        assertEquals(Boolean.TRUE, touched.get("touch"));
    }

    @Test
    void severalTokensAreAllCheckedBeforeAnyIsWritten() throws Exception {
        String a = tmp.resolve("a.sim").toString();
        String b = tmp.resolve("b.sim").toString();
        CliHarness.Result r = h.run("accounts", "add", "--sim", a, "--sim", b, ALICE_URI).expect(0);
        assertTrue(r.out().startsWith("simulated token " + tmp.resolve("a.sim") + ":\n  WiseMo:alice  "), r.out());
        assertEquals(h.run("accounts", "code", "--sim", a, "-t", "59").out(), h.run("accounts", "code", "--sim", b, "-t", "59").out());
        // The second token cannot be opened: the first is not written either.
        Path dir = Files.createDirectory(tmp.resolve("not-a-file.sim"));
        h.run("accounts", "add", "--sim", a, "--sim", dir.toString(), "otpauth://totp/New:x?secret=" + RFC).expect(4).oneErrorLine();
        // A name taken on one of them: refused everywhere (the new token c is made, and said to be, when it is opened).
        String c = tmp.resolve("c.sim").toString();
        h.run("accounts", "add", "--sim", c, "--sim", a, ALICE_URI).expect(1);
        assertEquals("WiseMo:alice  TOTP  SHA1  30 s\n", h.run("accounts", "list", "--sim", a).out());
        assertEquals("", h.run("accounts", "list", "--sim", c).out());
    }

    @Test
    void aTokenThatFailsWhileOthersWereWrittenGivesExitCodeThree() {
        String a = tmp.resolve("a.sim").toString();
        Path full = tmp.resolve("full.sim");
        try (var t = io.totptoken.host.transport.SimulatorTransport.open(full,
                io.totptoken.sim.SimulatedToken.Config.defaults().withSlots(1))) {
            t.save();
        }
        h.run("accounts", "add", "--sim", full.toString(), "otpauth://totp/Fill:it?secret=" + RFC).expect(0);
        CliHarness.Result r = h.run("accounts", "add", "--sim", a, "--sim", full.toString(), ALICE_URI).expect(3);
        assertTrue(r.err().contains("tokenctl: simulated token " + full + ": the token is full"), r.err());
        assertTrue(r.err().contains("1 of 2 tokens failed"), r.err());
        assertEquals("WiseMo:alice  TOTP  SHA1  30 s\n", h.run("accounts", "list", "--sim", a).out());
        assertEquals("Fill:it  TOTP  SHA1  30 s\n", h.run("accounts", "list", "--sim", full.toString()).out());
    }

    @Test
    void filesHoldingKeysAreOwnerOnly() throws Exception {
        h.run("accounts", "add", ALICE_URI).expect(0);
        assertEquals("rwx------", perms(h.home));
        assertEquals("rw-------", perms(h.home.resolve("token.sim")));
        assertEquals("rw-------", perms(h.home.resolve("token.sim.lock")));
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "correct horse\n");
        h.run("access", "change", "--new-password-file", pw.toString(), "--remember").expect(0);
        assertEquals("rw-------", perms(h.home.resolve("keys.json")));
        assertFalse(Files.readString(h.home.resolve("keys.json")).contains("horse"));
        // Under XDG_CONFIG_HOME, the parents made on the way are owner-only too.
        CliHarness xdg = new CliHarness(tmp);
        xdg.env.remove("TOKENCTL_HOME");
        xdg.env.put("XDG_CONFIG_HOME", tmp.resolve("cfg/deeper").toString());
        xdg.run("accounts", "list").expect(0);
        assertEquals("rwx------", perms(tmp.resolve("cfg/deeper/tokenctl")));
        assertEquals("rwx------", perms(tmp.resolve("cfg/deeper")));
        assertEquals("rw-------", perms(tmp.resolve("cfg/deeper/tokenctl/token.sim")));
    }

    @Test
    void verboseTracesApdusWithTheKeyMaskedAndCountsThem() {
        CliHarness.Result r = h.run("-v", "accounts", "add", ALICE_URI, "--force").expect(0);
        assertTrue(r.err().contains("tokenctl: > 00010000"), r.err());
        // The key TLV (type, digits, key zero-padded to 14 bytes) and the precomputed states are masked whole.
        assertTrue(r.err().contains("7310" + "**".repeat(16) + "d140" + "**".repeat(64)), r.err());
        assertTrue(r.err().contains("tokenctl: 3 APDUs to the embedded token"), r.err());
        CliHarness.Result code = h.run("accounts", "code", "-v").expect(0);
        assertTrue(code.err().contains("tokenctl: 2 APDUs to the embedded token"), code.err());
        // A failure shows its stack trace only with -v.
        CliHarness.Result bad = h.run("accounts", "add", "-v", "otpauth://totp/A:b").expect(2);
        assertTrue(bad.err().contains("at io.totptoken"), bad.err());
    }

    @Test
    void showSecretPrintsTheUriOnlyWhenAsked() {
        CliHarness shown = new CliHarness(tmp.resolve("shown"));
        String out = shown.run("accounts", "add", "--show-secret", ALICE_URI).expect(0).out();
        assertTrue(out.contains("otpauth://totp/WiseMo:alice?secret=" + ALICE + "&issuer=WiseMo"), out);
    }

    private String snapshot() {
        return h.run("accounts", "list", "--json").expect(0).out()
                + h.run("accounts", "code", "--json", "--time", "1111111109").expect(0).out();
    }

    private static String code(List<Map<String, Object>> codes, String name) {
        for (Map<String, Object> c : codes) {
            if (c.get("name").equals(name)) {
                return (String) c.get("code");
            }
        }
        throw new AssertionError("no " + name + " in " + codes);
    }

    private Path qr(String text, String name) throws Exception {
        Path file = tmp.resolve(name);
        MatrixToImageWriter.writeToPath(new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 400, 400), "PNG", file);
        return file;
    }

    static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
