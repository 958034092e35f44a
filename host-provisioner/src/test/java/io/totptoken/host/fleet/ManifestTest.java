package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.OathType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    private static final String SHA1_HEX = "3132333435363738393031323334353637383930";
    private static final String SHA1_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    private static List<FleetRow> parse(String text) {
        return Manifest.parse(text, null, OathType.TOTP, 30);
    }

    @Test
    void readsEveryColumnAndBothSeedEncodings() {
        List<FleetRow> rows = parse("\uFEFFAccount,Issuer,Serial,Seed,User,Realm,Resolver\n"
                + "alice@example.com,Example,10000001," + SHA1_HEX + ",alice,staff,ldap\n"
                + "# a comment\n\n"
                + "\"bob, jr\",,," + SHA1_B32.toLowerCase() + ",bob,,\n"
                + "carol,Example,,base32:" + SHA1_B32 + ",,,\n"
                + "dave,,,,,,\n");
        assertEquals(4, rows.size());
        FleetRow a = rows.get(0);
        assertEquals(2, a.line());
        assertEquals("Example", a.issuer());
        assertEquals(10000001L, a.serial());
        assertArrayEquals("12345678901234567890".getBytes(StandardCharsets.US_ASCII), a.seed());
        assertEquals("alice", a.user());
        assertEquals("staff", a.realm());
        assertEquals("ldap", a.resolver());
        assertEquals("bob, jr", rows.get(1).account());
        assertEquals(5, rows.get(1).line());
        assertEquals("bob", rows.get(1).user(), "privacyIDEA's user cannot hold the comma: the row names one");
        assertEquals("dave", rows.get(3).user(), "the user defaults to the account");
        assertArrayEquals(a.seed(), rows.get(1).seed());
        assertArrayEquals(a.seed(), rows.get(2).seed());
        assertNull(rows.get(3).seed());
        assertNull(rows.get(3).serial());
    }

    @Test
    void reportsEveryBadRowWithItsLineNumberAndNeverTheSeed() {
        ManifestException e = assertThrows(ManifestException.class, () -> parse("account,serial,seed\n"
                + "ok,,\n"
                + ",,\n"
                + "x,12ab,\n"
                + "y,99999999999,\n"
                + "z,,zz1!zzzzSECRETzz\n"
                + "w,,abcd\n"
                + "v,,,extra\n"
                + "\"unclosed,,\n"
                + "has:colon,,\n"
                + "a-very-long-account-name-that-goes-on-and-on-and-on-past-the-token-limit@example.com,,\n"));
        List<String> p = e.problems();
        assertEquals(9, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("line 3: the account is empty"), p.get(0));
        assertTrue(p.get(1).startsWith("line 4: serial '12ab'"), p.get(1));
        assertTrue(p.get(2).startsWith("line 5: serial"), p.get(2));
        assertTrue(p.get(3).startsWith("line 6: seed is neither hex nor base32"), p.get(3));
        assertTrue(p.get(4).startsWith("line 7: seed is 2 bytes"), p.get(4));
        assertTrue(p.get(5).startsWith("line 8: 4 fields"), p.get(5));
        assertTrue(p.get(6).startsWith("line 9: a quoted field"), p.get(6));
        assertTrue(p.get(7).startsWith("line 10: account 'has:colon' contains ':'"), p.get(7));
        assertTrue(p.get(8).startsWith("line 11: credential name"), p.get(8));
        assertFalse(e.getMessage().contains("SECRET"), "the seed is never echoed");
        assertTrue(e.getMessage().startsWith("9 problems, nothing was written"), e.getMessage());
    }

    @Test
    void refusesDuplicateAccountsAndSerialsNamingBothLines() {
        ManifestException e = assertThrows(ManifestException.class, () -> parse("account,issuer,serial\n"
                + "alice,Example,1\n"
                + "bob,Example,2\n"
                + "alice,Example,3\n"
                + "alice,Other,4\n"
                + "carol,Example,2\n"
                + "bob,Example,2\n"));
        assertEquals(List.of("line 4: account 'alice' is already on line 2",
                "line 6: serial 2 is already on line 3",
                "line 7: account 'bob' is already on line 3"), e.problems());
    }

    @Test
    void refusesBadHeaders() {
        assertEquals(List.of("line 1: unknown column 'acount' (columns: account, issuer, serial, seed, user, realm, resolver, upn)",
                        "line 1: the header has no 'account' column"),
                assertThrows(ManifestException.class, () -> parse("acount,issuer\nx,y\n")).problems());
        assertEquals(List.of("the manifest has a header but no rows"),
                assertThrows(ManifestException.class, () -> parse("account\n\n")).problems());
        assertEquals(List.of("the manifest is empty: it needs a header row with an 'account' column"),
                assertThrows(ManifestException.class, () -> parse("")).problems());
    }

    @Test
    void aBadManifestWritesNothing(@TempDir Path tmp) throws Exception {
        Path manifest = tmp.resolve("users.csv");
        Files.writeString(manifest, "account\nalice\nalice\n");
        Path out = tmp.resolve("seeds");
        assertThrows(ManifestException.class, () -> Manifest.read(manifest, null, OathType.TOTP, 30));
        assertFalse(Files.exists(out));
        Files.write(manifest, new byte[] {'a', 'c', 'c', 'o', 'u', 'n', 't', '\n', (byte) 0xC3, '\n'});
        assertTrue(assertThrows(ManifestException.class, () -> Manifest.read(manifest, null, OathType.TOTP, 30))
                .getMessage().contains("not UTF-8"));
    }
}
