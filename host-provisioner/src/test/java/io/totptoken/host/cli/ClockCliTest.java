package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.sim.SimulatedToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tokenctl clock and sim press in process, on the embedded token and a --sim token: the device
 * clock shown, synced and set (backwards only with --force), and the keyfob's codes from that
 * clock against oathtool, anti-rollback included.
 */
class ClockCliTest extends CliTest {
    static final String ALICE = AccountsCliTest.ALICE;
    static final String OTHER = AccountsCliTest.OTHER;
    /** A multiple of 30: a code shown within 29 s of it belongs to its time step. */
    static final long T = 1_700_000_010L;

    @BeforeEach
    void prepare() {
        h.at(T);
    }

    @Override
    String[] secrets() {
        return new String[] {ALICE, OTHER};
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(CliHarness.Result r) {
        return (Map<String, Object>) JsonReader.parse(r.out());
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }

    @Test
    void showsTokenTimeHostTimeAndDrift() {
        // A new token's clock reads the real time; the harness's host clock says T.
        h.run("clock", "set", "@" + (T + 100), "--force").expect(0);
        Map<String, Object> shown = json(h.run("clock", "show", "--json").expect(0));
        long token = number(shown.get("token_time"));
        assertTrue(token >= T + 100 && token <= T + 110, shown.toString());
        assertEquals(T, number(shown.get("host_time")));
        assertEquals(token - T, number(shown.get("drift")));
        assertNull(shown.get("last_code_time"), "no code from the clock yet");
        String text = h.run("clock", "show").expect(0).out();
        assertTrue(text.contains("host time   2023-11-14T22:13:30Z  (" + T + ")"), text);
        assertTrue(text.matches("(?s).*drift       \\+10\\d s \\(the token is ahead\\).*"), text);
        assertTrue(text.contains("last code   never"), text);
    }

    @Test
    void syncSetsTheTokenToHostTimeAndNeedsForceToGoBack() {
        // The token's clock runs at the real time, years after the harness's T: syncing moves it back.
        // Made first, so that its one-time note on creation (how its state file is kept) is not in the refusal's output.
        h.run("clock", "show").expect(0);
        CliHarness.Result refused = h.run("clock", "sync").expect(1).oneErrorLine();
        assertTrue(refused.err().contains("s ahead of this computer's; moving it back needs --force"), refused.err());
        assertTrue(h.run("clock", "sync", "--force").expect(0).out().startsWith("Token clock set to 2023-11-14T22:13:30Z"));
        long drift = number(json(h.run("clock", "show", "--json").expect(0)).get("drift"));
        assertTrue(drift >= 0 && drift <= 5, "drift after sync: " + drift);

        h.at(T + 3600); // the host moves on: a forward sync needs no --force
        h.run("clock", "sync").expect(0);
        drift = number(json(h.run("clock", "show", "--json").expect(0)).get("drift"));
        assertTrue(drift >= 0 && drift <= 5, "drift after sync: " + drift);
    }

    @Test
    void setTakesIsoOrEpochAndRefusesToGoBackWithoutForce() {
        h.run("clock", "set", "2030-01-01T00:00:00Z").expect(0);
        long token = number(json(h.run("clock", "show", "--json").expect(0)).get("token_time"));
        assertTrue(token >= 1_893_456_000L && token <= 1_893_456_010L, "token time " + token);
        CliHarness.Result back = h.run("clock", "set", "@" + T).expect(1).oneErrorLine();
        assertTrue(back.err().contains("moves the token's clock backwards; add --force"), back.err());
        h.run("clock", "set", "@" + T, "--force").expect(0);
        CliHarness.Result bad = h.run("clock", "set", "yesterday").expect(2).oneErrorLine();
        assertTrue(bad.err().contains("TIME: 'yesterday' is neither seconds since 1970 nor an ISO 8601 time"), bad.err());
    }

    @Test
    void settingTheClockOfAProtectedTokenNeedsItsPassword() {
        h.env.put("TOKENCTL_NEW_PASSWORD", "pw");
        h.run("access", "change").expect(0);
        h.env.remove("TOKENCTL_NEW_PASSWORD");
        h.run("clock", "show").expect(0); // reading needs no password
        CliHarness.Result locked = h.run("clock", "set", "@" + T, "--force").expect(1).oneErrorLine();
        assertTrue(locked.err().contains("protected by a password"), locked.err());
        h.run("clock", "sync", "--force").expect(1);
        h.env.put("TOKENCTL_PASSWORD", "pw");
        h.run("clock", "set", "@" + T, "--force").expect(0);
        h.run("clock", "sync").expect(0);
    }

    @Test
    void aTokenWithoutAClockSaysSo() throws Exception {
        Path file = tmp.resolve("noclock.sim");
        Files.write(file, new SimulatedToken(SimulatedToken.Config.defaults().withClock(false, 0)).saveState());
        for (String[] args : new String[][] {{"clock", "show"}, {"clock", "sync", "--force"}, {"clock", "set", "@" + T}}) {
            String[] withSim = java.util.Arrays.copyOf(args, args.length + 2);
            withSim[args.length] = "--sim";
            withSim[args.length + 1] = file.toString();
            CliHarness.Result r = h.run(withSim).expect(1).oneErrorLine();
            assertTrue(r.err().contains("the token has no clock"), String.join(" ", args) + ": " + r.err());
        }
        h.run("accounts", "add", "--sim", file.toString(), AccountsCliTest.ALICE_URI).expect(0);
        CliHarness.Result press = h.run("sim", "press", "--sim", file.toString()).expect(1).oneErrorLine();
        assertTrue(press.err().contains("the token shows: no clock on this device"), press.err());
    }

    @Test
    void pressShowsOathtoolsCodeForTheDeviceClockAndLongPressSelectsTheNext() {
        h.run("sim", "press").expect(1); // no credentials yet
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("accounts", "add", "otpauth://totp/Example:bob?secret=" + OTHER + "&issuer=Example").expect(0);
        h.run("clock", "set", "@" + T, "--force").expect(0);

        Map<String, Object> shown = json(h.run("sim", "press", "--json").expect(0));
        assertEquals("WiseMo", shown.get("issuer"));
        assertEquals("alice", shown.get("account"));
        assertEquals(oathtool("--totp", "-b", ALICE, "-N", "@" + T), shown.get("code"));
        long left = number(shown.get("seconds_left"));
        assertTrue(left > 0 && left <= 30, shown.toString());
        long lastCode = number(json(h.run("clock", "show", "--json").expect(0)).get("last_code_time"));
        assertTrue(lastCode >= T && lastCode < T + 30, "last code time " + lastCode);

        String bob = h.run("sim", "press", "--long").expect(0).out();
        assertTrue(bob.matches("Example  bob  \\d{6}  \\(\\d+ s left\\)\n"), bob);
        assertTrue(bob.contains("  " + oathtool("--totp", "-b", OTHER, "-N", "@" + T) + "  "), bob);
        String again = h.run("sim", "press").expect(0).out();
        assertTrue(again.startsWith("Example  bob  "), "the selection is kept in the token's state: " + again);
    }

    @Test
    void aClockSetBackShowsNoCodeUntilItCatchesUp() {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("clock", "set", "@" + T, "--force").expect(0);
        h.run("sim", "press").expect(0);
        h.run("clock", "set", "@" + (T - 300), "--force").expect(0);
        CliHarness.Result rolled = h.run("sim", "press").expect(1).oneErrorLine();
        assertTrue(rolled.err().contains("clock is behind the last code shown"), rolled.err());
        h.run("clock", "set", "@" + (T + 60)).expect(0);
        String later = h.run("sim", "press").expect(0).out();
        assertTrue(later.contains("  " + oathtool("--totp", "-b", ALICE, "-N", "@" + (T + 60)) + "  "), later);
    }

    @Test
    void aClockSetFarAheadRefusesUntilAResetClearsTheMark() {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("clock", "set", "253402300800", "--force").expect(0);
        h.run("sim", "press").expect(0);
        h.run("clock", "sync", "--force").expect(0);
        CliHarness.Result refused = h.run("sim", "press").expect(1).oneErrorLine();
        assertTrue(refused.err().contains("clock is behind the last code shown (10000-01-01): set the clock forward, "
                + "or tokenctl reset to erase the token and clear the mark"), refused.err());
        assertEquals(253_402_300_800L, number(json(h.run("clock", "show", "--json").expect(0)).get("last_code_time")));

        h.run("reset", "--force").expect(0);
        assertNull(json(h.run("clock", "show", "--json").expect(0)).get("last_code_time"), "the mark went with the reset");
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("clock", "set", "@" + T, "--force").expect(0);
        String code = h.run("sim", "press").expect(0).out();
        assertTrue(code.contains("  " + oathtool("--totp", "-b", ALICE, "-N", "@" + T) + "  "), code);
    }

    @Test
    void periodsOf32768And86400SecondsReachTheKeyfob() {
        h.run("accounts", "add", "otpauth://totp/Example:long?secret=" + ALICE + "&issuer=Example&period=32768").expect(0);
        h.run("accounts", "add", "otpauth://totp/Example:daily?secret=" + OTHER + "&issuer=Example&period=86400").expect(0);
        h.run("clock", "set", "@" + T, "--force").expect(0); // hours from either step's end

        Map<String, Object> shown = json(h.run("sim", "press", "--json").expect(0));
        assertEquals("long", shown.get("account"));
        assertEquals(oathtool("--totp", "--time-step-size=32768s", "-b", ALICE, "-N", "@" + T), shown.get("code"));
        long left = number(shown.get("seconds_left"));
        assertTrue(left <= 32768 - T % 32768 && left > 32768 - T % 32768 - 10, shown.toString());

        shown = json(h.run("sim", "press", "--long", "--json").expect(0));
        assertEquals("daily", shown.get("account"));
        assertEquals(oathtool("--totp", "--time-step-size=86400s", "-b", OTHER, "-N", "@" + T), shown.get("code"));
        left = number(shown.get("seconds_left"));
        assertTrue(left <= 86400 - T % 86400 && left > 86400 - T % 86400 - 10, shown.toString());

        String codes = h.run("accounts", "code", "--time", "@" + T).expect(0).out();
        assertTrue(codes.contains(oathtool("--totp", "--time-step-size=86400s", "-b", OTHER, "-N", "@" + T)), codes);
    }
}
