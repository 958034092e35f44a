package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user types first: nothing, help for a command, and typos. */
class HelpAndTyposCliTest {
    @TempDir
    Path tmp;

    @Test
    void bareTokenctlAndABareGroupPrintTheirCommandsAndExitZero() {
        CliHarness h = new CliHarness(tmp);
        String top = h.run().expect(0).out();
        for (String command : List.of("info", "accounts", "access", "clock", "reset", "sim", "bulk", "help")) {
            assertTrue(top.contains("\n  " + command + " "), command + " in:\n" + top);
        }
        assertTrue(top.startsWith("Usage: tokenctl") && top.contains("Exit codes:"), top);
        assertEquals(h.run("--help").out(), top);
        String accounts = h.run("accounts").expect(0).out();
        for (String command : List.of("add", "list", "code", "delete", "rename")) {
            assertTrue(accounts.contains("\n  " + command + " "), command + " in:\n" + accounts);
        }
        assertEquals(h.run("accounts", "--help").out(), accounts);
    }

    @Test
    void helpWalksDownToTheCommandNamed() {
        CliHarness h = new CliHarness(tmp);
        assertEquals(h.run("accounts", "code", "--help").expect(0).out(), h.run("help", "accounts", "code").expect(0).out());
        assertTrue(h.run("help", "accounts", "code").out().startsWith("Usage: tokenctl accounts code"));
        assertEquals(h.run("sim", "serve", "--help").out(), h.run("help", "sim", "serve").expect(0).out());
        assertEquals(h.run("--help").out(), h.run("help").expect(0).out());
        CliHarness.Result typo = h.run("help", "accounts", "cod").expect(2).oneErrorLine();
        assertTrue(typo.err().contains("'cod' is not a command of tokenctl accounts; did you mean code?"), typo.err());
    }

    @Test
    void typosGetSuggestions() {
        CliHarness h = new CliHarness(tmp);
        assertTrue(h.run("acounts", "list").expect(2).oneErrorLine().err()
                .contains("'acounts' is not a command of tokenctl; did you mean accounts?"));
        assertTrue(h.run("accounts", "lsit").expect(2).oneErrorLine().err()
                .contains("'lsit' is not a command of tokenctl accounts; did you mean list?"));
        assertTrue(h.run("acess", "clear").expect(2).oneErrorLine().err().contains("did you mean access?"));
        assertTrue(h.run("accounts", "code", "--jsn").expect(2).oneErrorLine().err().contains("did you mean --json?"));
        // Nothing close: the plain message, no guess.
        String far = h.run("zzzzzz").expect(2).oneErrorLine().err();
        assertTrue(far.contains("'zzzzzz' is not a command of tokenctl") && !far.contains("did you mean"), far);
    }
}
