package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A --sim PATH that does not exist: refused by every command but accounts add (and sim serve), which say they made it. */
class SimPathCliTest extends CliTest {
    @Test
    void aMistypedSimPathIsRefusedAndNothingIsCreated() {
        Path typo = tmp.resolve("tokns/work.sim");
        Path missing = tmp.resolve("missing.sim");
        for (Path p : List.of(typo, missing)) {
            for (String[] args : List.of(new String[] {"accounts", "code"}, new String[] {"accounts", "list"},
                    new String[] {"accounts", "delete", "x", "-f"}, new String[] {"info"}, new String[] {"clock", "show"},
                    new String[] {"access", "clear"}, new String[] {"reset", "--force"}, new String[] {"sim", "press"})) {
                String[] withSim = java.util.Arrays.copyOf(args, args.length + 2);
                withSim[args.length] = "--sim";
                withSim[args.length + 1] = p.toString();
                CliHarness.Result r = h.run(withSim).expect(4).oneErrorLine();
                assertTrue(r.err().contains("no simulated token at " + p), String.join(" ", args) + ": " + r.err());
                assertEquals("", r.out());
            }
        }
        assertFalse(Files.exists(tmp.resolve("tokns")), "no directory was made");
        assertFalse(Files.exists(missing), "no token was made");
        assertFalse(Files.exists(tmp.resolve("missing.sim.lock")));
    }

    @Test
    void addCreatesTheTokenAndSaysSoOnce() {
        Path file = tmp.resolve("new.sim");
        CliHarness.Result r = h.run("accounts", "add", "--sim", file.toString(), AccountsCliTest.ALICE_URI).expect(0);
        assertTrue(r.err().startsWith("tokenctl: created the simulated token " + file + "\n"), r.err());
        CliHarness.Result again = h.run("accounts", "add", "--sim", file.toString(), "-s", AccountsCliTest.OTHER, "-N", "B:b")
                .expect(0);
        assertFalse(again.err().contains("created"), again.err());
        assertEquals("B:b           TOTP  SHA1  30 s\nWiseMo:alice  TOTP  SHA1  30 s\n",
                h.run("accounts", "list", "--sim", file.toString()).expect(0).out());
        // Not in a directory that does not exist: a typo there is no reason to make directories.
        Path deep = tmp.resolve("no/such/dir/x.sim");
        CliHarness.Result refused = h.run("accounts", "add", "--sim", deep.toString(), AccountsCliTest.ALICE_URI)
                .expect(4).oneErrorLine();
        assertTrue(refused.err().contains("there is no directory " + deep.getParent()), refused.err());
        assertFalse(Files.exists(tmp.resolve("no")));
    }

    @Test
    void theSameTokenNamedTwiceIsAClearUsageError() {
        Path file = tmp.resolve("a.sim");
        h.run("accounts", "add", "--sim", file.toString(), AccountsCliTest.ALICE_URI).expect(0);
        for (String second : List.of(file.toString(), tmp.resolve("./a.sim").toString(), tmp.resolve("x/../a.sim").toString())) {
            CliHarness.Result r = h.run("accounts", "add", "--sim", file.toString(), "--sim", second, "-f",
                    AccountsCliTest.ALICE_URI).expect(2).oneErrorLine();
            assertTrue(r.err().contains("--sim " + file + " is given twice"), r.err());
            assertFalse(r.err().contains("null"), r.err());
        }
    }

    @Test
    void theEmbeddedTokenIsStillCreatedSilentlyAndTheReadmesFirstCommandPrintsOnlyTheCode() {
        h.at(1_700_000_000L);
        CliHarness.Result r = h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        assertEquals("WiseMo:alice  " + CliHarness.oathtool("--totp", "-b", AccountsCliTest.ALICE, "-N", "@1700000000")
                + "  (10 s left)\n", r.out());
        assertFalse(r.err().contains("created"), r.err());
        assertTrue(Files.exists(h.home.resolve("token.sim")));
    }
}
