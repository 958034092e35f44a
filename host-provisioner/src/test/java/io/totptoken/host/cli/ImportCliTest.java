package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * accounts add FILE: exports of FreeOTP+, Bitwarden (JSON and CSV) and a text file of otpauth://
 * URIs, each written in the test by Python's own json and csv modules, imported into the embedded
 * token, every code compared with oathtool's (Steam's with a reference computed here).
 */
class ImportCliTest extends CliTest {
    static final String ALICE = AccountsCliTest.ALICE;
    static final String RFC = AccountsCliTest.RFC;
    static final String OTHER = AccountsCliTest.OTHER;
    /** 65 bytes: longer than SHA-1's 64-byte block. */
    static final String LONG = io.totptoken.host.provisioning.Base32.encode("12345678901234567890".repeat(4)
            .substring(0, 65).getBytes(StandardCharsets.US_ASCII));

    @Override
    String[] secrets() {
        return new String[] {ALICE, RFC, OTHER, LONG};
    }

    /** FreeOTP+: secrets as Java's signed bytes, which Python writes from the raw key here. */
    static final String FREEOTP = """
            import base64, json, sys
            def signed(b32):
                return [b - 256 if b > 127 else b for b in base64.b32decode(b32 + "=" * (-len(b32) % 8))]
            a = sys.argv
            tokens = [
              {"algo": "SHA1", "counter": 0, "digits": 6, "issuerExt": "WiseMo", "issuerInt": "WiseMo",
               "label": "alice", "period": 30, "secret": signed(a[2]), "type": "TOTP"},
              {"algo": "SHA256", "counter": 0, "digits": 8, "issuerExt": "", "issuerInt": "Rfc",
               "label": "bob", "period": 60, "secret": signed(a[3]), "type": "TOTP"},
              {"algo": "SHA1", "counter": 5, "digits": 6, "issuerExt": "Counter", "label": "carol",
               "period": 30, "secret": signed(a[4]), "type": "HOTP"},
              {"algo": "MD5", "counter": 0, "digits": 6, "issuerExt": "Old", "label": "md5",
               "period": 30, "secret": signed(a[4]), "type": "TOTP"},
              {"algo": "SHA1", "counter": 0, "digits": 6, "issuerExt": "Long", "label": "key",
               "period": 30, "secret": signed(a[5]), "type": "TOTP"},
              {"algo": "SHA1", "counter": 0, "digits": 5, "issuerExt": "Steam", "label": "gamer",
               "period": 30, "secret": signed(a[2]), "type": "TOTP"}]
            doc = {"tokenOrder": ["WiseMo:alice", "Rfc:bob"], "tokens": tokens}
            open(a[1], "w").write(json.dumps(doc))
            """;

    @Test
    void freeOtpPlusImportsWithCodesEqualToOathtoolsAndListsWhatItSkips() throws Exception {
        Path file = python(FREEOTP, "freeotp.json", ALICE, RFC, OTHER, LONG);
        CliHarness.Result r = h.run("accounts", "add", file.toString()).expect(3);
        assertTrue(r.err().contains("skipped Old:md5: MD5 is not an algorithm YKOATH has"), r.err());
        assertTrue(r.err().contains("skipped Long:key: its secret of 65 bytes is longer than the 64-byte block of SHA1"),
                r.err());
        assertTrue(r.err().contains("tokenctl: 2 entries of the import skipped (listed above); the other 4 were added"),
                r.err());
        assertFalse(r.err().contains("[y/N]"), "no question without a terminal: " + r.err());
        assertEquals(List.of("Counter:carol", "Rfc:bob", "Steam:gamer", "WiseMo:alice"), names(h));
        assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@1234567890"), code(h, "alice"));
        assertEquals(oathtool("--totp=SHA256", "-d", "8", "-s", "60s", "-b", RFC, "-N", "@1234567890"), code(h, "bob"));
        assertTrue(h.run("accounts", "code", "carol").expect(0).out().contains(oathtool("--hotp", "-c", "5", "-b", OTHER)));
        assertEquals(steam(ALICE, 1234567890L / 30), code(h, "gamer"));
    }

    static final String BITWARDEN_JSON = """
            import json, sys
            a = sys.argv
            items = [
              {"id": "1", "type": 1, "name": "WiseMo", "login": {"username": "alice", "password": "pw",
               "totp": "otpauth://totp/WiseMo:alice?secret=%s&issuer=WiseMo" % a[2]}},
              {"id": "2", "type": 1, "name": "Rfc", "login": {"username": "bob", "totp": a[3].lower()}},
              {"id": "3", "type": 1, "name": "Steam", "login": {"username": "gamer", "totp": "steam://" + a[4]}},
              {"id": "4", "type": 1, "name": "NoOtp", "login": {"username": "x", "password": "y", "totp": None}},
              {"id": "5", "type": 2, "name": "a note", "notes": "text"},
              {"id": "6", "type": 1, "name": "Broken", "login": {"username": "z", "totp": "not base32!"}},
              {"id": "7", "type": 1, "name": "Old", "login": {"username": "md5",
               "totp": "otpauth://totp/Old:md5?secret=%s&algorithm=MD5" % a[2]}}]
            open(a[1], "w").write(json.dumps({"encrypted": False, "folders": [], "items": items}, indent=2))
            """;

    static final String BITWARDEN_CSV = """
            import csv, sys
            a = sys.argv
            with open(a[1], "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["folder", "favorite", "type", "name", "notes", "fields", "reprompt", "login_uri",
                            "login_username", "login_password", "login_totp"])
                w.writerow(["", "", "login", "WiseMo", "two\\nlines, \\"quoted\\"", "", "0", "https://x", "alice",
                            "pw", "otpauth://totp/WiseMo:alice?secret=%s&issuer=WiseMo" % a[2]])
                w.writerow(["", "1", "login", "Rfc", "", "", "0", "", "bob", "pw", a[3]])
                w.writerow(["", "", "login", "Steam", "", "", "0", "", "gamer", "", "steam://" + a[4]])
                w.writerow(["", "", "login", "NoOtp", "", "", "0", "", "x", "y", ""])
                w.writerow(["", "", "login", "Broken", "", "", "0", "", "z", "", "not base32!"])
            """;

    @Test
    void bitwardenJsonAndCsvTakeUrisBareSecretsAndSteam() throws Exception {
        for (String[] format : new String[][] {{BITWARDEN_JSON, "bitwarden.json", "2"}, {BITWARDEN_CSV, "export.csv", "1"}}) {
            CliHarness one = new CliHarness(tmp.resolve("home-" + format[1]));
            Path file = python(format[0], format[1], ALICE, RFC, OTHER);
            CliHarness.Result r = one.run("accounts", "add", file.toString()).expect(3);
            assertTrue(r.err().contains("skipped Broken:z: base32 secret has a character that is not A-Z or 2-7"), r.err());
            assertEquals(format[2].equals("2"), r.err().contains("skipped Old:md5: unsupported algorithm 'MD5'"), r.err());
            assertTrue(r.err().contains(format[2] + (format[2].equals("1") ? " entry" : " entries") + " of the import skipped"),
                    r.err());
            assertEquals(List.of("Rfc:bob", "Steam:gamer", "WiseMo:alice"), names(one), format[1]);
            assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@1234567890"), code(one, "alice"), format[1]);
            assertEquals(oathtool("--totp", "-b", RFC, "-N", "@1234567890"), code(one, "bob"), format[1]);
            assertEquals(steam(OTHER, 1234567890L / 30), code(one, "gamer"), format[1]);
            one.assertNoSecretIn(ALICE, RFC, OTHER);
        }
    }

    @Test
    void aTextFileOfUrisSkipsCommentsAndBlankLinesAndPutsAGoogleExportTogether() throws Exception {
        List<String> batches = AccountsCliTest.export(9);
        Path file = tmp.resolve("uris.txt");
        Files.writeString(file, "# my accounts\n\n" + AccountsCliTest.ALICE_URI + "\r\n   # indented comment\n"
                + batches.get(1) + "\n" + batches.get(0) + "\n\n");
        h.run("accounts", "add", file.toString()).expect(0);
        assertEquals(List.of("Bank:bob", "Mail:carol", "Shop:dave", "WiseMo:alice"), names(h));
        assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@1234567890"), code(h, "alice"));
        assertEquals(oathtool("--totp=SHA256", "-d", "8", "-b", RFC, "-N", "@59"),
                h.run("accounts", "code", "-s", "carol", "-t", "59").expect(0).out().strip());
        // A bad line is named by its number, and nothing is added.
        Files.writeString(file, "# header\n" + AccountsCliTest.ALICE_URI + "\notpauth://totp/X:y?secret=1\n");
        CliHarness fresh = new CliHarness(tmp.resolve("fresh"));
        CliHarness.Result r = fresh.run("accounts", "add", file.toString()).expect(2).oneErrorLine();
        assertTrue(r.err().contains("file 'uris.txt': line 3:"), r.err());
        assertEquals("", fresh.run("accounts", "list").out());
    }

    @Test
    void onATerminalItShowsWhatWillBeAddedAndAsksOnce() throws Exception {
        Path file = python(FREEOTP, "freeotp.json", ALICE, RFC, OTHER, LONG);
        String[] prompt = new String[1];
        h.terminal("n");
        CliHarness.Result no = h.runAsking(prompt, "accounts", "add", file.toString()).expect(1);
        assertEquals("Add 4 accounts to the embedded token? [y/N] ", prompt[0]);
        assertTrue(no.err().contains("Nothing was changed."), no.err());
        for (String row : List.of("ISSUER   ACCOUNT  TYPE  ALGORITHM  DIGITS  PERIOD", "WiseMo   alice    TOTP  SHA1       6       30s",
                "Rfc      bob      TOTP  SHA256     8       60s", "Counter  carol    HOTP  SHA1       6       counter 5",
                "Steam    gamer    TOTP  SHA1       6       30s")) {
            assertTrue(no.err().contains("  " + row + "\n"), row + " in\n" + no.err());
        }
        assertEquals("", h.run("accounts", "list").out());
        h.terminal("y");
        h.run("accounts", "add", file.toString()).expect(3);
        assertEquals(4, names(h).size());
        // --yes: no question (the terminal would answer nothing, which is no).
        CliHarness yes = new CliHarness(tmp.resolve("yes"));
        yes.terminal();
        yes.run("accounts", "add", "--yes", file.toString()).expect(3);
        assertEquals(4, names(yes).size());
        yes.assertNoSecretIn(ALICE, RFC, OTHER, LONG);
    }

    @Test
    void writesTwoTokensAtOnceAndReadsAnExportFromStandardInput() throws Exception {
        Path file = python(BITWARDEN_JSON, "bitwarden.json", ALICE, RFC, OTHER);
        String a = tmp.resolve("a.sim").toString();
        String b = tmp.resolve("b.sim").toString();
        h.run("accounts", "add", "--sim", a, "--sim", b, file.toString()).expect(3);
        assertEquals(h.run("accounts", "code", "--sim", a, "-t", "59").expect(0).out(),
                h.run("accounts", "code", "--sim", b, "-t", "59").expect(0).out());
        assertEquals(3, JsonReader.array(h.run("accounts", "list", "--sim", b, "--json").out()).size());
        h.stdin(Files.readAllBytes(python(FREEOTP, "freeotp.json", ALICE, RFC, OTHER, LONG)));
        h.run("accounts", "add", "-").expect(3);
        assertEquals(oathtool("--totp=SHA256", "-d", "8", "-s", "60s", "-b", RFC, "-N", "@1234567890"), code(h, "bob"));
    }

    @Test
    void anUnknownOrDamagedFileIsOneLineAndLeavesTheTokenUnchanged() throws Exception {
        h.run("accounts", "add", "-s", OTHER, "-N", "Other:carol").expect(0);
        String before = h.run("accounts", "list", "--json").out();
        String freeOtp = Files.readString(python(FREEOTP, "freeotp.json", ALICE, RFC, OTHER, LONG));
        Object[][] cases = {
            {"notes.txt", "just some notes\n", "file 'notes.txt' is not a file tokenctl imports"},
            {"cut.json", freeOtp.substring(0, freeOtp.length() / 2), "file 'cut.json' starts as JSON but"},
            {"odd.json", "{\"tokens\":[{\"secret\":\"" + ALICE + "\",\"label\":\"x\"}],\"tokenOrder\":[]}",
                "file 'odd.json': the FreeOTP+ export's token 1 has no secret byte array"},
            {"bytes.json", "{\"tokens\":[{\"secret\":[1,2,999],\"label\":\"x\"}]}", "position 3"},
            {"locked.json", "{\"encrypted\":true,\"passwordProtected\":true,\"data\":\"x\"}", "export it from Bitwarden"},
            {"bad.csv", "name,login_totp\n\"unterminated," + ALICE + "\n", "is not valid CSV"},
            {"none.json", "{\"tokens\":[{\"algo\":\"MD5\",\"secret\":[1,2],\"label\":\"x\"}]}", "no credentials"},
        };
        for (Object[] c : cases) {
            Path file = tmp.resolve((String) c[0]);
            Files.writeString(file, (String) c[1]);
            CliHarness.Result r = h.run("accounts", "add", file.toString()).expect(2);
            assertTrue(r.err().contains((String) c[2]), c[0] + ": " + r.err());
            assertFalse(r.err().contains(ALICE), r.err());
            if (!c[0].equals("none.json")) {
                r.oneErrorLine();
            }
            assertEquals(before, h.run("accounts", "list", "--json").out(), (String) c[0]);
        }
    }

    @Test
    void aSkippedEntrysNameCannotSendTerminalEscapes() throws Exception {
        Path file = tmp.resolve("evil.json");
        Files.writeString(file, "{\"tokens\":[{\"algo\":\"MD5\",\"secret\":[1,2],\"label\":\"x\\u001b[2J\\r\"},"
                + "{\"secret\":[1,2,3],\"issuerExt\":\"Ok\",\"label\":\"y\"}]}");
        CliHarness.Result r = h.run("accounts", "add", file.toString()).expect(3);
        assertTrue(r.err().contains("tokenctl: file 'evil.json': skipped x?[2J: MD5 is not an algorithm YKOATH has\n"),
                r.err());
        assertFalse(r.err().contains("\u001b"), r.err());
        assertEquals(List.of("Ok:y"), names(h));
    }

    private static List<String> names(CliHarness harness) {
        List<Map<String, Object>> list = JsonReader.array(harness.run("accounts", "list", "--json").expect(0).out());
        List<String> out = new ArrayList<>();
        for (Map<String, Object> a : list) {
            out.add((String) a.get("name"));
        }
        out.sort(null);
        return out;
    }

    private static String code(CliHarness harness, String query) {
        return harness.run("accounts", "code", "-s", query, "-t", "1234567890").expect(0).out().strip();
    }

    /** Steam's code from RFC 4226 by hand: the reference the issue asks for, apart from SteamCode. */
    static String steam(String base32, long step) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(io.totptoken.host.provisioning.Base32.decode(base32), "HmacSHA1"));
        byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
        int o = h[19] & 0xF;
        int v = ((h[o] & 0x7F) << 24) | ((h[o + 1] & 0xFF) << 16) | ((h[o + 2] & 0xFF) << 8) | (h[o + 3] & 0xFF);
        String alphabet = "23456789BCDFGHJKMNPQRTVWXY";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            out.append(alphabet.charAt(v % 26));
            v /= 26;
        }
        return out.toString();
    }

    /** Runs {@code script} with Debian's python3: argv[1] is the file it writes, then {@code args}. */
    Path python(String script, String name, String... args) throws IOException, InterruptedException {
        Path file = tmp.resolve(name);
        Path code = tmp.resolve(name + ".py");
        Files.writeString(code, script);
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", code.toString(), file.toString()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("python3 failed: " + out);
        }
        return file;
    }
}
