package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a ykman user reaches for: -i/--issuer, --oath-type, code -s/--single, hidden accounts and
 * Steam codes, the last two checked against yubikey-manager's own functions (Debian's
 * python3-ykman, run by the system python as REFERENCE.md section 7 says).
 */
class YkmanParityCliTest extends CliTest {
    static final String ALICE = AccountsCliTest.ALICE;
    static final String RFC = AccountsCliTest.RFC;
    static final String OTHER = AccountsCliTest.OTHER;

    @Override
    String[] secrets() {
        return new String[] {ALICE, RFC, OTHER};
    }

    @Test
    void issuerOptionMakesTheNameTheAccountOrReplacesTheUrisIssuer() {
        h.run("accounts", "add", "-i", "Bank", "-s", RFC, "-N", "bob").expect(0);
        // As ykman's NAME with -i: all of --name is the account, even with a ':' in it.
        h.run("accounts", "add", "--issuer", "Shop", "--secret", OTHER, "--name", "dave:work").expect(0);
        h.run("accounts", "add", "-i", "Work", AccountsCliTest.ALICE_URI).expect(0);
        h.run("accounts", "add", "--issuer=Mail", "otpauth://totp/carol?secret=" + ALICE).expect(0);
        List<Map<String, Object>> list = JsonReader.array(h.run("accounts", "list", "--json").expect(0).out());
        assertEquals(List.of("Bank:bob", "Mail:carol", "Shop:dave:work", "Work:alice"), list.stream().map(m -> m.get("name")).toList());
        assertEquals("dave:work", list.get(2).get("account"));
        assertEquals("Shop", list.get(2).get("issuer"));
        List<Map<String, Object>> codes = JsonReader.array(h.run("accounts", "code", "--json", "-t", "1234567890").out());
        assertEquals(oathtool("--totp", "-b", RFC, "-N", "@1234567890"), codes.get(0).get("code"));
        assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@1234567890"), codes.get(3).get("code"));
        // One credential only, and a real issuer.
        String before = h.run("accounts", "list", "--json").out();
        h.run("accounts", "add", "-i", "X", "otpauth://totp/a?secret=" + RFC, "otpauth://totp/b?secret=" + RFC).expect(2).oneErrorLine();
        h.run("accounts", "add", "-i", "", "-s", RFC, "-N", "e").expect(2).oneErrorLine();
        h.run("accounts", "add", "-i", "A:B", "-s", RFC, "-N", "e").expect(2).oneErrorLine();
        assertEquals(before, h.run("accounts", "list", "--json").out());
    }

    @Test
    void oathTypeIsAnotherNameForType() {
        h.run("accounts", "add", "--oath-type", "hotp", "-s", RFC, "-N", "Counter:a").expect(0);
        h.run("accounts", "add", "-o", "HOTP", "-s", RFC, "-N", "Counter:b").expect(0);
        List<Map<String, Object>> list = JsonReader.array(h.run("accounts", "list", "--json").expect(0).out());
        assertEquals("hotp", list.get(0).get("type"));
        assertEquals("hotp", list.get(1).get("type"));
        assertEquals(oathtool("--hotp", "-c", "0", "-b", RFC), h.run("accounts", "code", "-s", "Counter:a").expect(0).out().strip());
    }

    @Test
    void singlePrintsOnlyTheCodeOfTheOneMatchingAccount() {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("accounts", "add", "-s", OTHER, "-N", "Other:carol", "-P", "60").expect(0);
        assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@59") + "\n",
                h.run("accounts", "code", "-s", "alice", "-t", "59").expect(0).out());
        assertEquals(oathtool("--totp", "-s", "60s", "-b", OTHER, "-N", "@100") + "\n",
                h.run("accounts", "code", "--single", "carol", "--time", "100").expect(0).out());
        assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@89") + "\n",
                h.run("accounts", "code", "-s", "alice", "-t", "59", "--next").expect(0).out());
        // Several, none, or the whole token of two accounts: a clear error, exit 1, nothing on stdout.
        for (String[] args : List.of(new String[] {"accounts", "code", "-s", "o"}, new String[] {"accounts", "code", "-s"},
                new String[] {"accounts", "code", "-s", "nobody"})) {
            CliHarness.Result r = h.run(args).expect(1).oneErrorLine();
            assertEquals("", r.out());
        }
        assertTrue(h.run("accounts", "code", "-s", "o").err().contains("matches 2 accounts (Other:carol, WiseMo:alice)"));
        h.run("accounts", "code", "-s", "--json", "alice").expect(2).oneErrorLine();
        // A token holding one account: -s needs no query, and a HOTP account gets its code.
        CliHarness lone = new CliHarness(tmp.resolve("lone"));
        lone.run("accounts", "add", "otpauth://hotp/Counter:rfc?secret=" + RFC + "&counter=0").expect(0);
        assertEquals(oathtool("--hotp", "-c", "0", "-b", RFC) + "\n", lone.run("accounts", "code", "-s").expect(0).out());
        lone.assertNoSecretIn(RFC);
    }

    @Test
    void hiddenAccountsAreLeftOutAsYkmanLeavesThemOut() {
        List<String> names = List.of("_hidden:backup", "_hidden:60/x", "Bank:_hidden", "_Hidden:caps", "plain", "hidden:not");
        for (String n : names) {
            h.run("accounts", "add", "-s", RFC, "-N", n).expect(0);
        }
        // Every name here has the default period, so the stored name is the name.
        List<String> stored = names.stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
        List<String> ykmanHides = ykmanHidden(stored);
        assertTrue(ykmanHides.contains("_hidden:backup"), ykmanHides.toString());
        List<String> shown = new ArrayList<>(stored);
        shown.removeAll(ykmanHides);

        assertEquals(shown, storedNames(h.run("accounts", "list", "--json").expect(0).out()));
        assertEquals(shown, storedNames(h.run("accounts", "code", "--json", "-t", "59").expect(0).out()));
        assertEquals(stored, storedNames(h.run("accounts", "list", "--json", "-H").expect(0).out()));
        assertEquals(stored.size(), JsonReader.array(h.run("accounts", "code", "--json", "--show-hidden").expect(0).out()).size());
        String plain = h.run("accounts", "list").expect(0).out();
        assertTrue(!plain.contains("backup") && plain.contains("Bank:_hidden"), plain);
        assertTrue(h.run("accounts", "list", "-H").expect(0).out().contains("_hidden:backup"));
        // As in ykman's search, a hidden account is not found without -H, even by its exact name.
        h.run("accounts", "code", "_hidden:backup").expect(1).oneErrorLine();
        assertEquals(oathtool("--totp", "-b", RFC, "-N", "@59") + "\n",
                h.run("accounts", "code", "-H", "-s", "_hidden:backup", "-t", "59").expect(0).out());
        // Nor by part of it.
        h.run("accounts", "code", "-s", "backup").expect(1).oneErrorLine();
    }

    @Test
    void steamAccountsShowSteamCodesAsYkmanComputesThem() {
        // Steam URIs say 5 digits; ykman's accounts uri takes them (as 6), and so does add.
        h.run("accounts", "add", "otpauth://totp/Steam:gamer?secret=" + ALICE + "&issuer=Steam&digits=5").expect(0);
        h.run("accounts", "add", "-s", OTHER, "-N", "Steam:second").expect(0);
        h.run("accounts", "add", "-s", RFC, "-N", "steam:lowercase").expect(0);
        h.run("accounts", "add", "-o", "hotp", "-s", RFC, "-N", "Steam:counter").expect(0);
        for (long t : new long[] {59, 1111111109L, 1234567890L, 1700000000L, 2000000000L}) {
            List<Map<String, Object>> codes = JsonReader.array(h.run("accounts", "code", "--json", "-t", Long.toString(t)).expect(0).out());
            assertEquals(ykmanSteam(ALICE, t), code(codes, "Steam:gamer"), "t=" + t);
            assertEquals(ykmanSteam(OTHER, t), code(codes, "Steam:second"), "t=" + t);
            assertEquals(5L, codes.stream().filter(c -> c.get("name").equals("Steam:gamer")).findFirst().get().get("digits"));
            // ykman compares the issuer exactly, and only TOTP accounts are Steam's.
            assertEquals(oathtool("--totp", "-b", RFC, "-N", "@" + t), code(codes, "steam:lowercase"));
        }
        assertEquals(ykmanSteam(ALICE, 1234567890L) + "\n", h.run("accounts", "code", "-s", "gamer", "-t", "1234567890").expect(0).out());
        assertEquals(oathtool("--hotp", "-c", "0", "-b", RFC) + "\n", h.run("accounts", "code", "-s", "Steam:counter").expect(0).out());
        String line = h.run("accounts", "code", "gamer", "-t", "1234567890").expect(0).out();
        assertEquals(List.of("Steam:gamer", ykmanSteam(ALICE, 1234567890L)), List.of(line.split("\\s+")).subList(0, 2));
        // Only Steam's URIs may say 5.
        h.run("accounts", "add", "otpauth://totp/Other:five?secret=" + RFC + "&digits=5").expect(2).oneErrorLine();
        // The code printed on adding is Steam's too.
        CliHarness add = new CliHarness(tmp.resolve("add"));
        add.at(1_700_000_000L);
        String out = add.run("accounts", "add", "otpauth://totp/Steam:gamer?secret=" + ALICE + "&issuer=Steam").expect(0).out();
        assertTrue(out.startsWith("Steam:gamer  " + ykmanSteam(ALICE, 1_700_000_000L) + "  (10 s left)"), out);
        add.assertNoSecretIn(ALICE);
    }

    private static String code(List<Map<String, Object>> codes, String name) {
        for (Map<String, Object> c : codes) {
            if (c.get("name").equals(name)) {
                return (String) c.get("code");
            }
        }
        throw new AssertionError("no " + name + " in " + codes);
    }

    private static List<String> storedNames(String json) {
        return JsonReader.array(json).stream().map(m -> m.containsKey("stored_name") ? (String) m.get("stored_name")
                : (String) m.get("name")).toList();
    }

    /** The stored names ykman's {@code is_hidden} hides, each parsed by yubikit's {@code _parse_cred_id}. */
    private static List<String> ykmanHidden(List<String> stored) {
        List<String> args = new ArrayList<>(List.of("-c", "import sys, types\n"
                + "from ykman.oath import is_hidden\n"
                + "from yubikit.oath import _parse_cred_id, OATH_TYPE\n"
                + "for n in sys.argv[1:]:\n"
                + "    issuer, name, period = _parse_cred_id(n.encode(), OATH_TYPE.TOTP)\n"
                + "    if is_hidden(types.SimpleNamespace(issuer=issuer)): print(n)\n"));
        args.addAll(stored);
        String out = python(args);
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    /** ykman's {@code calculate_steam}, given the full HMAC-SHA1 of Python's hmac module for the 30-s step. */
    static String ykmanSteam(String base32, long time) {
        return python(List.of("-c", "import sys, types, hmac, hashlib, base64\n"
                + "from ykman.oath import calculate_steam\n"
                + "key = base64.b32decode(sys.argv[1])\n"
                + "app = types.SimpleNamespace(calculate=lambda cid, ch: hmac.new(key, ch, hashlib.sha1).digest())\n"
                + "print(calculate_steam(app, types.SimpleNamespace(id=b'x'), int(sys.argv[2])))\n", base32, Long.toString(time)));
    }

    /** Debian's system python, which has python3-ykman; the test fails (not skips) without it: CI installs it. */
    private static String python(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/python3");
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("python3 with yubikey-manager failed (Debian: apt-get install yubikey-manager): " + out);
            }
            return out;
        } catch (IOException e) {
            return fail("these tests need /usr/bin/python3 with yubikey-manager: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }
}
