package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** accounts add - and --secret -: secrets piped in, so they are in neither the process list nor the shell history. */
class StdinCliTest extends CliTest {
    static final String ALICE = AccountsCliTest.ALICE;
    static final String RFC = AccountsCliTest.RFC;
    static final String OTHER = AccountsCliTest.OTHER;

    @Override
    String[] secrets() {
        return new String[] {ALICE, RFC, OTHER};
    }

    @Test
    void addsUrisPipedInOneALine() {
        h.stdin("\r\n" + AccountsCliTest.ALICE_URI + "\r\n\n  otpauth://totp/Other:carol?secret=" + OTHER + "&period=60  \n");
        CliHarness.Result r = h.run("accounts", "add", "-").expect(0);
        assertTrue(r.err().contains("Added 2 accounts"), r.err());
        List<Map<String, Object>> codes = JsonReader.array(h.run("accounts", "code", "--json", "-t", "1234567890").out());
        assertEquals(List.of("Other:carol", "WiseMo:alice"), codes.stream().map(c -> c.get("name")).toList());
        assertEquals(oathtool("--totp", "-s", "60s", "-b", OTHER, "-N", "@1234567890"), codes.get(0).get("code"));
        assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@1234567890"), codes.get(1).get("code"));
    }

    @Test
    void addsAGoogleExportPipedIn() {
        List<String> batches = AccountsCliTest.export(9);
        h.stdin(batches.get(1) + "\n" + batches.get(0) + "\n");
        h.run("accounts", "add", "-").expect(0);
        List<Map<String, Object>> codes = JsonReader.array(h.run("accounts", "code", "--json", "-t", "59").out());
        assertEquals(List.of("Bank:bob", "Mail:carol", "Shop:dave"), codes.stream().map(c -> c.get("name")).toList());
        assertEquals(oathtool("--totp=SHA256", "-d", "8", "-b", RFC, "-N", "@59"), codes.get(1).get("code"));
    }

    @Test
    void addsPngAndJpegImagesPipedInKnownByTheirBytes() throws Exception {
        h.stdin(qr(AccountsCliTest.ALICE_URI, "png"));
        h.run("accounts", "add", "-").expect(0);
        CliHarness jpeg = new CliHarness(tmp.resolve("jpeg"));
        jpeg.stdin(qr("otpauth://totp/Other:carol?secret=" + OTHER, "jpg"));
        jpeg.run("accounts", "add", "-").expect(0);
        assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@59"), single(h, "alice"));
        assertEquals(oathtool("--totp", "-b", OTHER, "-N", "@59"), single(jpeg, "carol"));
        jpeg.assertNoSecretIn(OTHER);
        // An image with a URI piped in goes with URIs given as arguments.
        CliHarness both = new CliHarness(tmp.resolve("both"));
        both.stdin(qr(AccountsCliTest.ALICE_URI, "png"));
        both.run("accounts", "add", "otpauth://totp/Rfc:x?secret=" + RFC, "-").expect(0);
        assertEquals(2, JsonReader.array(both.run("accounts", "list", "--json").out()).size());
        both.assertNoSecretIn(ALICE, RFC);
    }

    @Test
    void secretDashReadsOneTrimmedLine() {
        h.stdin("  " + RFC + "  \n\n");
        h.run("accounts", "add", "--secret", "-", "--name", "Rfc:piped", "-a", "SHA256", "-d", "8").expect(0);
        h.stdin(OTHER);
        h.run("accounts", "add", "-s", "-", "-N", "Other:noeol").expect(0);
        assertEquals(oathtool("--totp=SHA256", "-d", "8", "-b", RFC, "-N", "@59"), single(h, "piped"));
        assertEquals(oathtool("--totp", "-b", OTHER, "-N", "@59"), single(h, "noeol"));
    }

    @Test
    void badStandardInputIsOneLineExitTwoAndLeavesTheTokenUnchanged() throws Exception {
        h.run("accounts", "add", "-s", OTHER, "-N", "Other:carol").expect(0);
        String before = h.run("accounts", "list", "--json").out();
        byte[] tooBig = new byte[StandardInput.MAX_BYTES + 1];
        tooBig[0] = (byte) 0x89;
        Object[][] cases = {
            {"", new String[] {"accounts", "add", "-"}, "standard input is empty"},
            {"\n  \n", new String[] {"accounts", "add", "-"}, "only blank lines"},
            {"", new String[] {"accounts", "add", "-s", "-", "-N", "A:b"}, "standard input is empty"},
            {RFC + "\n" + OTHER + "\n", new String[] {"accounts", "add", "-s", "-", "-N", "A:b"}, "more than one line"},
            {RFC + "\n", new String[] {"accounts", "add", "-s", "-", "-N", "A:b", "-"}, "only once"},
            {"not base32!\n", new String[] {"accounts", "add", "-s", "-", "-N", "A:b"}, "base32"},
            {AccountsCliTest.ALICE_URI + "\nhttps://example.com/?secret=" + RFC + "\n", new String[] {"accounts", "add", "-"},
                "standard input, line 2:"},
            {new byte[] {0, 1, 2, 3, (byte) 0xFE}, new String[] {"accounts", "add", "-"}, "nor a PNG, JPEG, GIF or BMP image"},
            {new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0}, new String[] {"accounts", "add", "-"}, "standard input"},
            {tooBig, new String[] {"accounts", "add", "-"}, "more than 8 MB"},
        };
        for (Object[] c : cases) {
            h.stdin(c[0] instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) c[0]);
            String[] args = (String[]) c[1];
            CliHarness.Result r = h.run(args).expect(2).oneErrorLine();
            assertTrue(r.err().contains((String) c[2]), String.join(" ", args) + ": " + r.err());
            assertEquals(before, h.run("accounts", "list", "--json").out(), String.join(" ", args));
        }
    }

    private static String single(CliHarness harness, String query) {
        return harness.run("accounts", "code", "-s", query, "-t", "59").expect(0).out().strip();
    }

    private static byte[] qr(String text, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MatrixToImageWriter.writeToStream(new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 400, 400), format, out);
        return out.toByteArray();
    }
}
