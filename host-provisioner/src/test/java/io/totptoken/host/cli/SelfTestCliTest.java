package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.SelfTest;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.transport.ForwardingTransport;
import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.host.transport.Transport;
import io.totptoken.sim.SimulatedToken;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * tokenctl selftest: it passes on good tokens and leaves their accounts and HOTP counters as they
 * were, unlocks as every command does, refuses a token without room, and reports a wrong code.
 */
class SelfTestCliTest extends CliTest {
    static final String ALICE_URI = AccountsCliTest.ALICE_URI;
    /** A user's HOTP account; its counter is moved to 7 before each self-test. */
    static final String BOB_URI = "otpauth://hotp/Counter:bob?secret=" + AccountsCliTest.OTHER + "&counter=5";
    static final String[] GROUPS = {"RFC 4226 HOTP SHA-1 6 digits", "RFC 4226 HOTP SHA-1 8 digits",
        "RFC 6238 TOTP SHA-1 8 digits", "RFC 6238 TOTP SHA-1 6 digits", "RFC 6238 TOTP SHA-256 8 digits",
        "RFC 6238 TOTP SHA-256 6 digits", "RFC 6238 TOTP SHA-512 8 digits", "RFC 6238 TOTP SHA-512 6 digits"};

    @Override
    String[] secrets() {
        return new String[] {AccountsCliTest.ALICE, AccountsCliTest.OTHER};
    }

    /** Alice (TOTP) and Bob (HOTP, counter moved from 5 to 7) on the token the options name. */
    private void userAccounts(String... token) {
        h.run(args(token, "accounts", "add", ALICE_URI)).expect(0);
        h.run(args(token, "accounts", "add", BOB_URI)).expect(0);
        h.run(args(token, "accounts", "code", "Counter:bob")).expect(0);
        h.run(args(token, "accounts", "code", "Counter:bob")).expect(0);
    }

    private static String[] args(String[] token, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(token));
        return all.toArray(new String[0]);
    }

    /** What must not change: the listing, the slots and credentials TOKEN INFO counts. */
    private String observable(Path stateFile, String... unlock) throws Exception {
        String[] token = {"--sim", stateFile.toString()};
        List<String> list = new ArrayList<>(List.of(args(token, "accounts", "list", "--json", "-H")));
        list.addAll(List.of(unlock));
        String accounts = h.run(list.toArray(new String[0])).expect(0).out();
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) JsonReader.parse(h.run(args(token, "info", "--json")).expect(0).out());
        return accounts + " credentials=" + info.get("credentials") + " slots_used=" + info.get("slots_used");
    }

    /** Bob's next code, computed on a copy of the state so that the token's own counter stays. */
    private String bobsNextCodeOnACopy(Path stateFile, String... unlock) throws Exception {
        Path copy = Files.copy(stateFile, tmp.resolve("copy-" + System.nanoTime() + ".sim"));
        List<String> a = new ArrayList<>(List.of("accounts", "code", "Counter:bob", "--json", "--sim", copy.toString()));
        a.addAll(List.of(unlock));
        @SuppressWarnings("unchecked")
        Map<String, Object> code = (Map<String, Object>) JsonReader.array(h.run(a.toArray(new String[0])).expect(0).out()).get(0);
        return (String) code.get("code");
    }

    private static void assertAllGroupsPassed(CliHarness.Result r) {
        String[] lines = r.out().split("\n");
        assertEquals(GROUPS.length + 1, lines.length, r.out());
        for (int i = 0; i < GROUPS.length; i++) {
            assertTrue(lines[i].startsWith(GROUPS[i] + " ") && lines[i].endsWith("  ok"), lines[i]);
        }
        assertTrue(lines[GROUPS.length].startsWith("Passed: ") && lines[GROUPS.length].contains("all 56 codes of 8 groups"),
                lines[GROUPS.length]);
        assertFalse(r.out().contains("FAILED"), r.out());
    }

    @Test
    void passesOnTheEmbeddedTokenAndLeavesItsAccountsAndHotpCounterAsTheyWere() throws Exception {
        userAccounts();
        Path state = h.home.resolve("token.sim");
        String before = observable(state);
        assertEquals(oathtool("--hotp", "-c", "7", "-b", AccountsCliTest.OTHER), bobsNextCodeOnACopy(state));

        CliHarness.Result r = h.run("selftest").expect(0);
        assertAllGroupsPassed(r);
        assertTrue(r.out().contains("the embedded token computed all 56 codes"), r.out());

        assertEquals(before, observable(state));
        assertFalse(before.contains("tokenctl-selftest"), before);
        assertEquals(oathtool("--hotp", "-c", "7", "-b", AccountsCliTest.OTHER), bobsNextCodeOnACopy(state));
    }

    @Test
    void passesOnASimulatedTokenNamedBeforeOrAfterTheCommand() throws Exception {
        Path state = tmp.resolve("card.sim");
        String[] token = {"--sim", state.toString()};
        userAccounts(token);
        String before = observable(state);
        assertAllGroupsPassed(h.run("selftest", "--sim", state.toString()).expect(0));
        assertAllGroupsPassed(h.run("--sim", state.toString(), "selftest").expect(0));
        assertEquals(before, observable(state));
        assertEquals(oathtool("--hotp", "-c", "7", "-b", AccountsCliTest.OTHER), bobsNextCodeOnACopy(state));
        // The embedded token was never created: the self-test ran where it was told to.
        assertFalse(Files.exists(h.home.resolve("token.sim")));
    }

    @Test
    void unlocksAPasswordProtectedTokenAsEveryCommandDoes() throws Exception {
        userAccounts();
        Path password = Files.writeString(tmp.resolve("pw"), "correct horse battery\n");
        h.run("access", "change", "--new-password-file", password.toString()).expect(0);
        Path state = h.home.resolve("token.sim");
        String unlock = "--password-file=" + password;
        String before = observable(state, unlock);
        assertTrue(before.contains("Counter:bob"), before);

        CliHarness.Result locked = h.run("selftest").expect(1).oneErrorLine();
        assertTrue(locked.err().contains("the embedded token is protected by a password"), locked.err());
        assertAllGroupsPassed(h.run("selftest", "--password-file", password.toString()).expect(0));
        h.env.put("TOKENCTL_PASSWORD", "correct horse battery");
        assertAllGroupsPassed(h.run("selftest", "--remember").expect(0));
        h.env.remove("TOKENCTL_PASSWORD");
        assertAllGroupsPassed(h.run("selftest").expect(0)); // the remembered key

        assertEquals(before, observable(state, unlock));
        assertEquals(oathtool("--hotp", "-c", "7", "-b", AccountsCliTest.OTHER), bobsNextCodeOnACopy(state, unlock));
        assertTrue(h.run("info").out().contains("Password:      set (key remembered)"));
        for (String out : h.outputs) {
            assertFalse(out.contains("horse"), out);
        }
    }

    /** A token of {@code slots} slots holding {@code accounts} SHA-1 accounts. */
    private Path tokenWith(String name, int slots, int accounts) {
        Path state = tmp.resolve(name);
        try (SimulatorTransport t = SimulatorTransport.open(state, SimulatedToken.Config.defaults().withSlots(slots))) {
            t.save();
        }
        for (int i = 0; i < accounts; i++) {
            h.run("accounts", "add", "--sim", state.toString(), "otpauth://totp/Fill:n" + i + "?secret="
                    + AccountsCliTest.ALICE).expect(0);
        }
        return state;
    }

    @Test
    void aTokenWithoutTwoFreeSlotsIsRefusedUntouched() throws Exception {
        for (Path state : List.of(tokenWith("full.sim", 3, 3), tokenWith("one-free.sim", 3, 2))) {
            String before = observable(state);
            CliHarness.Result r = h.run("selftest", "--sim", state.toString()).expect(1).oneErrorLine();
            assertTrue(r.err().contains("simulated token " + state + " has no room for the self-test's temporary credential: "
                    + "it needs 2 free slots"), r.err());
            assertTrue(r.err().contains((state.endsWith("full.sim") ? "0" : "1") + " of 3 are free"), r.err());
            assertEquals("", r.out());
            assertEquals(before, observable(state));
        }
        // Two free slots are enough.
        assertAllGroupsPassed(h.run("selftest", "--sim", tokenWith("two-free.sim", 3, 1).toString()).expect(0));
    }

    @Test
    void aCredentialLeftByAnInterruptedRunIsRemovedAndNoOtherIsTouched() throws Exception {
        Path state = tmp.resolve("left.sim");
        String sim = state.toString();
        h.run("accounts", "add", "--sim", sim, ALICE_URI).expect(0);
        h.run("accounts", "add", "--sim", sim, "otpauth://totp/_hidden:other?secret=" + AccountsCliTest.ALICE).expect(0);
        h.run("accounts", "add", "--sim", sim, "otpauth://totp/tokenctl-selftest?secret=" + AccountsCliTest.ALICE).expect(0);
        String before = observable(state);
        String leftover = "otpauth://hotp/" + SelfTest.NAME + "?secret=" + AccountsCliTest.OTHER + "&counter=0";
        h.run("accounts", "add", "--sim", sim, leftover).expect(0);
        assertTrue(h.run("accounts", "list", "-H", "--sim", sim).out().contains(SelfTest.NAME));

        CliHarness.Result r = h.run("selftest", "--sim", sim).expect(0);
        assertAllGroupsPassed(r);
        assertTrue(r.out().contains("removed " + SelfTest.NAME + ", left by an interrupted self-test"), r.out());
        assertEquals(before, observable(state));
        assertFalse(h.run("selftest", "--sim", sim).expect(0).out().contains("removed"));
    }

    @Test
    void theRoomALeftoverTookCountsAsFree() throws Exception {
        Path state = tokenWith("left-full.sim", 3, 1);
        String before = observable(state);
        h.run("accounts", "add", "--sim", state.toString(), "--secret", AccountsCliTest.RFC, "--name", SelfTest.NAME,
                "-a", "SHA512").expect(0);
        assertTrue(h.run("info", "--sim", state.toString()).out().contains("slots: 3 used, 0 free of 3"));
        CliHarness.Result r = h.run("selftest", "--sim", state.toString()).expect(0);
        assertAllGroupsPassed(r);
        assertTrue(r.out().contains("removed " + SelfTest.NAME), r.out());
        assertEquals(before, observable(state));
    }

    /**
     * A bad cable or card in between: the answer to the CALCULATE for T = 59 on the SHA-256
     * 8-digit credential comes back with the lowest bit of the code flipped. A hand-written
     * forwarding transport, as the project's other fault wrappers are: it only has to look at
     * the PUT before and change one byte, which a Mockito spy would need the same code for.
     */
    static final class FlipsOneCode extends ForwardingTransport {
        private int credential;
        int flipped;

        FlipsOneCode(Transport inner) {
            super(inner);
        }

        @Override
        public byte[] transmit(byte[] apdu) {
            byte[] answer = inner.transmit(apdu);
            int ins = apdu[1] & 0xFF;
            int data = apdu.length > 7 && apdu[4] == 0 ? 7 : 5; // after an extended or a short Lc
            if (apdu.length <= data + 2 || apdu[data] != 0x71) {
                return answer;
            }
            int afterName = data + 2 + (apdu[data + 1] & 0xFF);
            if (ins == 0x01) { // PUT: 71 len name, 73 len (type|algorithm) digits key...
                credential = ((apdu[afterName + 2] & 0xFF) << 8) | (apdu[afterName + 3] & 0xFF);
            }
            // CALCULATE: 71 len name, 74 08 time step; T = 59 is step 1.
            boolean t59 = apdu.length == afterName + 10 && apdu[afterName] == 0x74 && apdu[afterName + 1] == 8
                    && ByteBuffer.wrap(apdu, afterName + 2, 8).getLong() == 1;
            if (ins == 0xA2 && credential == 0x2208 && t59 && answer.length == 9) { // 76 05 digits code(4) 90 00
                answer[answer.length - 3] ^= 1;
                flipped++;
            }
            return answer;
        }
    }

    @Test
    void aTokenThatComputesAWrongCodeFailsNamingTheVectorAndIsLeftAsItWas() throws Exception {
        Path state = tmp.resolve("faulty.sim");
        userAccounts("--sim", state.toString());
        String before = observable(state);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Invocation run = new Invocation(new CliEnvironment(Map.of(), tmp, null,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC()));
        int exit;
        FlipsOneCode faulty;
        try (Transport t = faulty = new FlipsOneCode(SimulatorTransport.open(state))) {
            exit = SelfTestCommand.check(run, OathSession.open(t), "the faulty token");
        }
        assertEquals(1, faulty.flipped);
        assertEquals(ExitCodes.FAILED, exit);
        String report = out.toString(StandardCharsets.UTF_8);
        String[] lines = report.split("\n");
        assertEquals(GROUPS.length + 1, lines.length, report);
        assertEquals("RFC 6238 TOTP SHA-256 8 digits   6 codes  FAILED: 1 wrong", lines[4]);
        assertEquals("  T = 59: expected 46119246, got 46119247", lines[5]);
        for (int i = 0; i < lines.length; i++) {
            assertTrue(i == 4 || i == 5 || lines[i].endsWith("  ok"), lines[i]);
        }
        String verdict = err.toString(StandardCharsets.UTF_8);
        assertEquals("tokenctl: self-test FAILED: the faulty token computed 1 of 56 test-vector codes wrong (see above); "
                + "do not rely on its codes. Its accounts are as they were\n", verdict);
        assertEquals(before, observable(state));
        assertEquals(oathtool("--hotp", "-c", "7", "-b", AccountsCliTest.OTHER), bobsNextCodeOnACopy(state));
    }

    @Test
    void isListedInHelpAndTakesNoOtherToken() {
        String help = h.run("--help").expect(0).out();
        assertTrue(help.contains("selftest"), help);
        String own = h.run("selftest", "--help").expect(0).out();
        assertTrue(own.contains("RFC 4226") && own.contains("--password-file") && own.contains("--reader")
                && own.contains("Exit codes:"), own);
        h.run("selftest", "--sim", tmp.resolve("a").toString(), "--sim", tmp.resolve("b").toString()).expect(2).oneErrorLine();
        h.run("selftest", "extra").expect(2).oneErrorLine();
    }
}
