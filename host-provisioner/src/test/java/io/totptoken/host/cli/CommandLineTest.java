package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version, completion, info and the exit codes of usage errors. */
class CommandLineTest {
    @TempDir
    Path tmp;

    @Test
    void everyHelpListsTheExitCodes() {
        CliHarness h = new CliHarness(tmp);
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"accounts", "--help"},
                new String[] {"accounts", "code", "--help"}, new String[] {"accounts", "add", "-h"},
                new String[] {"access", "change", "--help"}, new String[] {"reset", "--help"},
                new String[] {"sim", "serve", "--help"}, new String[] {"help", "accounts"})) {
            String out = h.run(args).expect(0).out();
            assertTrue(out.contains("Exit codes:") && out.contains("some of several tokens failed"), String.join(" ", args) + ":\n" + out);
        }
        assertTrue(h.run("accounts", "add", "--help").out().contains("Google Authenticator exports"));
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        CliHarness h = new CliHarness(tmp);
        for (String[] args : List.of(new String[] {"bogus"}, new String[] {"accounts", "code", "--bogus"},
                new String[] {"accounts", "code", "a", "b"}, new String[] {"accounts", "delete"}, new String[] {"sim", "serve"},
                new String[] {"accounts", "list", "--sim", "a", "--sim", "b"}, new String[] {"sim", "serve", "--vpcd", "host:99999"},
                new String[] {"accounts", "code", "-t"})) {
            h.run(args).expect(2).oneErrorLine();
        }
    }

    @Test
    void versionAndCompletion() {
        CliHarness h = new CliHarness(tmp);
        assertTrue(h.run("--version").expect(0).out().startsWith("tokenctl "));
        String script = h.run("completion").expect(0).out();
        assertTrue(script.contains("complete -F") && script.contains("tokenctl") && script.contains("rename"), script);
    }

    @Test
    void infoShowsCapacityAndPassword() {
        CliHarness h = new CliHarness(tmp.resolve("home"));
        h.run("accounts", "add", "-s", AccountsCliTest.RFC, "-N", "Big:one", "-a", "SHA512").expect(0);
        String info = h.run("info").expect(0).out();
        assertTrue(info.contains("OATH version:  5.3.1"), info);
        assertTrue(info.contains("Credentials:   1 (slots: 2 used"), info);
        assertTrue(info.contains("Password:      not set"), info);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonReader.parse(h.run("info", "--json").expect(0).out());
        assertEquals("5.3.1", json.get("oath_version"));
        assertEquals(1L, json.get("credentials"));
        assertEquals(Boolean.FALSE, json.get("password_set"));
    }

    @Test
    void aReaderThatIsNotThereExitsFour() {
        CliHarness h = new CliHarness(tmp);
        CliHarness.Result r = h.run("accounts", "code", "--reader", "no such reader 1b2c").expect(4).oneErrorLine();
        assertTrue(r.err().contains("no PC/SC readers found") || r.err().contains("no reader matches"), r.err());
    }
}
