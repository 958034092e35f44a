package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** accounts delete and rename ask on a terminal (with the full name matched) and need --force without one. */
class DeleteRenameCliTest extends CliTest {
    String before;

    @BeforeEach
    void token() {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("accounts", "add", "-s", AccountsCliTest.OTHER, "-N", "Other:carol").expect(0);
        before = list();
    }

    @Override
    String[] secrets() {
        return new String[] {AccountsCliTest.ALICE, AccountsCliTest.OTHER};
    }

    private String list() {
        return h.run("accounts", "list").expect(0).out();
    }

    @Test
    void deleteOfAPartialMatchWithoutATerminalNeedsForceAndNamesTheAccount() {
        CliHarness.Result r = h.run("accounts", "delete", "ali").expect(2).oneErrorLine();
        assertTrue(r.err().contains("accounts delete asks before it deletes WiseMo:alice; with no terminal to ask on, "
                + "add --force"), r.err());
        assertEquals(before, list());
        assertEquals("Deleted WiseMo:alice.\n", h.run("accounts", "delete", "ali", "-f").expect(0).out());
        assertEquals("Other:carol  TOTP  SHA1  30 s\n", list());
    }

    @Test
    void deleteOnATerminalAsksWithTheFullNameAndOnlyYesDeletes() {
        h.terminal("n");
        CliHarness.Result no = h.run("accounts", "delete", "ali").expect(1);
        assertTrue(no.err().contains("Nothing was changed."), no.err());
        assertEquals(before, list());
        h.terminal(""); // Enter alone is the default: no
        h.run("accounts", "delete", "ali").expect(1);
        assertEquals(before, list());
        h.terminal("y");
        assertEquals("Deleted WiseMo:alice.\n", h.run("accounts", "delete", "ali").expect(0).out());
        assertEquals("Other:carol  TOTP  SHA1  30 s\n", list());
    }

    @Test
    void theQuestionShowsTheAccountMatched() {
        String[] asked = new String[1];
        h.terminal("no");
        CliHarness.Result r = h.runAsking(asked, "accounts", "delete", "carol");
        r.expect(1);
        assertEquals("Delete Other:carol from the embedded token? [y/N] ", asked[0]);
        h.terminal("no");
        h.runAsking(asked, "accounts", "rename", "alice", "WiseMo:bob").expect(1);
        assertEquals("Rename WiseMo:alice to WiseMo:bob on the embedded token? [y/N] ", asked[0]);
        assertEquals(before, list());
    }

    @Test
    void renameAsksOnATerminalAndNeedsForceWithoutOne() {
        h.run("accounts", "rename", "alice", "WiseMo:bob").expect(2).oneErrorLine();
        assertEquals(before, list());
        h.terminal("y");
        assertEquals("Renamed WiseMo:alice to WiseMo:bob.\n", h.run("accounts", "rename", "alice", "WiseMo:bob").expect(0).out());
        h.terminal = null;
        assertEquals("Renamed WiseMo:bob to WiseMo:alice.\n", h.run("accounts", "rename", "bob", "WiseMo:alice", "--force")
                .expect(0).out());
        assertEquals(before, list());
    }

    @Test
    void aTakenNameIsRefusedWithAForceThatExistsAndForceReplacesIt() {
        h.terminal("y");
        CliHarness.Result r = h.run("accounts", "rename", "alice", "Other:carol").expect(1).oneErrorLine();
        assertTrue(r.err().contains("already has an account named 'Other:carol'; add --force to replace"), r.err());
        assertEquals(before, list());
        CliHarness.Result forced = h.run("accounts", "rename", "alice", "Other:carol", "--force").expect(0);
        assertEquals("Renamed WiseMo:alice to Other:carol; the account that had that name is deleted.\n", forced.out());
        assertEquals("Other:carol  TOTP  SHA1  30 s\n", list());
        // The account left is alice's: its code is ALICE's.
        assertEquals(CliHarness.oathtool("--totp", "-b", AccountsCliTest.ALICE, "-N", "@59"),
                h.run("accounts", "code", "carol", "-t", "59").expect(0).out().split("  ")[1]);
    }
}
