package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCsvTest {
    private static final List<SeedEntry> ENTRIES = List.of(
            new SeedEntry("10000001", OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "Example", "alice", "alice", "staff",
                    "ldap", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}),
            new SeedEntry("10000002", OathType.HOTP, HashAlgorithm.SHA1, 8, 30, 5, null, "bob", "bob", "", "",
                    new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}));

    @Test
    void privacyIdeaLayouts() {
        String v1 = ServerCsv.write(ServerCsv.Format.PRIVACYIDEA, ENTRIES);
        assertEquals("10000001,0102030405060708090a0b0c0d0e0f1011121314,totp,6,30\n"
                + "10000002,0909090909090909090909090909090909090909,hotp,8,5\n", v1);
        String v2 = ServerCsv.write(ServerCsv.Format.PRIVACYIDEA_V2, ENTRIES);
        assertEquals("# version: 2\nalice,ldap,staff,10000001,0102030405060708090a0b0c0d0e0f1011121314,totp,6,30\n"
                + "bob,,,10000002,0909090909090909090909090909090909090909,hotp,8,5\n", v2);
        for (String text : List.of(v1, v2)) {
            List<SeedEntry> back = ServerCsv.read(text);
            assertEquals(2, back.size());
            assertArrayEquals(ENTRIES.get(0).secret(), back.get(0).secret());
            assertEquals(30, back.get(0).period());
            assertEquals(5, back.get(1).counter());
            assertEquals(8, back.get(1).digits());
        }
        assertEquals("staff", ServerCsv.read(v2).get(0).realm());
    }

    @Test
    void linotpLayout() {
        String text = ServerCsv.write(ServerCsv.Format.LINOTP,
                List.of(new SeedEntry("7", OathType.TOTP, HashAlgorithm.SHA256, 8, 60, 0, null, "x", "", "", "",
                        new byte[32])));
        assertEquals("7," + "00".repeat(32) + ",totp,8,60,sha256\n", text);
        SeedEntry e = ServerCsv.read(text).get(0);
        assertEquals(HashAlgorithm.SHA256, e.algorithm());
        assertEquals(60, e.period());
    }

    @Test
    void badRowsAreReportedWithLineNumbers() {
        ManifestException e = assertThrows(ManifestException.class,
                () -> ServerCsv.read("1,abcd,totp,6,30\n2,xyz,totp\n3,abcd,ocra\n4,abcd,totp,six\n"));
        assertEquals(3, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("line 2: the seed is not hex"));
        assertTrue(e.problems().get(1).startsWith("line 3: unknown OTP type"));
        assertTrue(e.problems().get(2).startsWith("line 4: a number column"));
    }

    @Test
    void seedFilesAreRecognisedByContent(@TempDir Path tmp) throws Exception {
        Path pskc = tmp.resolve("a");
        Files.write(pskc, PskcWriter.write(ENTRIES, PskcProtection.none()));
        Path pi = tmp.resolve("b");
        Files.writeString(pi, ServerCsv.write(ServerCsv.Format.PRIVACYIDEA_V2, ENTRIES));
        Path lin = tmp.resolve("c");
        Files.writeString(lin, ServerCsv.write(ServerCsv.Format.LINOTP, ENTRIES));
        for (Path p : List.of(pskc, pi, lin)) {
            List<SeedEntry> e = SeedFiles.read(p, PskcProtection.none());
            assertEquals(List.of("10000001", "10000002"), e.stream().map(SeedEntry::serial).toList(), p.toString());
        }
        Files.writeString(pi, "1,abcd,totp\n1,abce,totp\n");
        assertTrue(assertThrows(FleetException.class, () -> SeedFiles.read(pi, PskcProtection.none()))
                .getMessage().contains("serial 1 appears in entries 1 and 2"));
    }
}
