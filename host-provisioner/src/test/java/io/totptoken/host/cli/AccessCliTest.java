package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Passwords (files, environment, prompt, remembered keys) and reset, on the embedded token. */
class AccessCliTest extends CliTest {
    Path password;
    Path wrong;

    @BeforeEach
    void token() throws Exception {
        password = Files.writeString(tmp.resolve("pw"), "correct horse battery\n");
        wrong = Files.writeString(tmp.resolve("wrong"), "incorrect\n");
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("access", "change", "--new-password-file", password.toString()).expect(0);
    }

    @AfterEach
    void noSecretWasPrinted() {
        h.assertNoSecretIn(AccountsCliTest.ALICE);
        for (String out : h.outputs) {
            assertTrue(!out.contains("horse") && !out.contains("incorrect"), out);
        }
    }

    @Test
    void aLockedTokenTakesItsPasswordFromAFileTheEnvironmentOrThePrompt() {
        CliHarness.Result locked = h.run("accounts", "list").expect(1).oneErrorLine();
        assertTrue(locked.err().contains("the embedded token is protected by a password; give it with --password-file"),
                locked.err());
        h.run("accounts", "list", "--password-file", password.toString()).expect(0);
        h.env.put("TOKENCTL_PASSWORD", "correct horse battery");
        h.run("accounts", "list").expect(0);
        h.env.remove("TOKENCTL_PASSWORD");
        h.terminal("correct horse battery");
        assertEquals("WiseMo:alice  TOTP  SHA1  30 s\n", h.run("accounts", "list").expect(0).out());
    }

    @Test
    void aWrongPasswordIsRefusedAndChangesNothing() {
        String before = h.run("accounts", "code", "--json", "-t", "59", "--password-file", password.toString()).expect(0).out();
        h.run("accounts", "add", "otpauth://totp/New:x?secret=" + AccountsCliTest.RFC, "--password-file", wrong.toString())
                .expect(1).oneErrorLine();
        assertTrue(h.outputs.get(h.outputs.size() - 1).contains("wrong password"));
        h.run("accounts", "delete", "alice", "--password-file", wrong.toString()).expect(1).oneErrorLine();
        h.run("access", "clear", "--password-file", wrong.toString()).expect(1).oneErrorLine();
        assertEquals(before, h.run("accounts", "code", "--json", "-t", "59", "--password-file", password.toString()).expect(0).out());
        h.run("accounts", "list", "--password-file", tmp.resolve("missing").toString()).expect(2).oneErrorLine();
    }

    @Test
    void rememberKeepsTheKeyForThisTokenUntilForgotten() throws Exception {
        h.run("accounts", "code", "--password-file", password.toString(), "--remember").expect(0);
        h.run("accounts", "code").expect(0);
        assertTrue(h.run("info").expect(0).out().contains("Password:      set (key remembered)"));
        assertEquals("Forgot the key remembered for the embedded token.\n", h.run("access", "forget").expect(0).out());
        h.run("accounts", "code").expect(1);
        // A changed password with --remember is remembered at once; clear forgets it.
        Path next = Files.writeString(tmp.resolve("next"), "tr0ub4dor&3");
        h.run("access", "change", "--password-file", password.toString(), "--new-password-file", next.toString(), "--remember")
                .expect(0);
        h.run("accounts", "list").expect(0);
        h.run("access", "clear").expect(0);
        assertTrue(h.run("info").expect(0).out().contains("Password:      not set"));
        assertEquals("{\n}\n", Files.readString(h.home.resolve("keys.json")));
        h.run("accounts", "list").expect(0);
        assertEquals("Forgot 0 remembered keys.\n", h.run("access", "forget", "--all").expect(0).out());
    }

    @Test
    void theNewPasswordIsTypedTwiceOnATerminal() {
        h.terminal("correct horse battery", "one", "two");
        h.run("access", "change").expect(2).oneErrorLine();
        h.terminal("correct horse battery", "same", "same");
        h.run("access", "change").expect(0);
        h.env.put("TOKENCTL_PASSWORD", "same");
        h.terminal = null;
        h.run("accounts", "list").expect(0);
        h.run("access", "change").expect(2).oneErrorLine(); // no new password and no terminal
    }

    @Test
    void resetAsksOnATerminalNeedsForceWithoutOneAndForgetsTheKey() {
        h.run("accounts", "list", "--password-file", password.toString(), "--remember").expect(0);
        h.run("reset").expect(2).oneErrorLine();
        h.terminal("n");
        h.run("reset").expect(1);
        h.run("accounts", "list").expect(0); // still there, still remembered
        h.terminal("y");
        assertEquals("Reset the embedded token: no accounts, no password.\n", h.run("reset").expect(0).out());
        h.terminal = null;
        assertEquals("", h.run("accounts", "list").expect(0).out());
        assertTrue(h.run("info").out().contains("Password:      not set"));
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("reset", "--force").expect(0);
        assertEquals("", h.run("accounts", "list").expect(0).out());
    }

    @Test
    void eachWrongPasswordSaysTheTriesLeftAndTheLockOutSaysOnlyResetRecovers() {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            errors.add(h.run("accounts", "list", "--password-file", wrong.toString()).expect(1).oneErrorLine().err().strip());
        }
        assertEquals("tokenctl: wrong password: 7 tries left before the token locks", errors.get(0));
        assertEquals("tokenctl: wrong password: 3 tries left before the token locks", errors.get(4));
        assertTrue(errors.get(5).contains("only 2 tries left; after 2 more wrong passwords the token locks"), errors.get(5));
        assertTrue(errors.get(6).contains("only 1 try left; one more wrong password locks the token"), errors.get(6));
        assertTrue(errors.get(7).contains("that was the last try: the token is now locked"), errors.get(7));
        for (String e : errors.subList(5, 8)) {
            assertTrue(e.contains("only tokenctl reset recovers it, and reset deletes every account"), e);
        }
        // Locked: even the right password is refused, with what to do; reset is the way back.
        String locked = h.run("accounts", "list", "--password-file", password.toString()).expect(1).oneErrorLine().err();
        assertTrue(locked.contains("locked after too many wrong passwords; only tokenctl reset recovers it, and reset "
                + "deletes every account"), locked);
        assertTrue(h.run("info").expect(0).out().contains("Tries left:    0 of 8"));
        h.run("reset", "--force").expect(0);
        assertEquals("", h.run("accounts", "list").expect(0).out());
    }

    @Test
    void statusWordsAppearOnlyWithVerbose() {
        String plain = h.run("accounts", "list", "--password-file", wrong.toString()).expect(1).err();
        assertFalse(plain.contains("6982") || plain.contains("status"), plain);
        String verbose = h.run("accounts", "list", "-v", "--password-file", wrong.toString()).expect(1).err();
        assertTrue(verbose.contains("tokenctl: wrong password: 6 tries left before the token locks (status 6982)"), verbose);
    }

    @Test
    void clearingWhenThereIsNoPasswordSaysSoAndExitsZero() {
        assertEquals("Password removed.\n", h.run("access", "clear", "--password-file", password.toString()).expect(0).out());
        assertEquals("No password is set on the embedded token; nothing was changed.\n",
                h.run("access", "clear").expect(0).out());
        assertTrue(h.run("info").expect(0).out().contains("Password:      not set"));
    }
}
