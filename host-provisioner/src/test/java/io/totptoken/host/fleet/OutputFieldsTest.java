package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.simulated.SimulatedFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the outputs cannot hold is refused when the manifest is checked, never found when the
 * outputs are written after the tokens; and no CSV a spreadsheet opens runs a cell as a formula.
 */
class OutputFieldsTest {
    @TempDir
    Path tmp;

    private static List<FleetRow> parse(String text) {
        return Manifest.parse(text, "Example", OathType.TOTP, 30);
    }

    @Test
    void theManifestCheckRefusesWhatAServerCsvCannotHold() {
        ManifestException e = assertThrows(ManifestException.class, () -> parse("account,user,realm,resolver\n"
                + "alice,\"x,y\",,\n"
                + "bob,bob,\"=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\",\n"
                + "carol,carol,staff,@SUM(A1)\n"
                + "\"-2+3\",,,\n"
                + "erin,+erin,,\n"
                + "=frank,frank,,\n"));
        assertEquals(List.of(
                "line 2: user 'x,y' contains a comma, quote or line break, which server CSV imports cannot hold",
                "line 3: realm '=HYPERLINK(\"http://evil.example/\",\"click...' contains a comma, quote or line break,"
                        + " which server CSV imports cannot hold",
                "line 4: resolver '@SUM(A1)' starts with '=', '+', '-', '@' or a tab, which a spreadsheet opening"
                        + " the server CSV would run as a formula",
                "line 5: account (the user, as none is given) '-2+3' starts with '=', '+', '-', '@' or a tab, which a"
                        + " spreadsheet opening the server CSV would run as a formula",
                "line 6: user '+erin' starts with '=', '+', '-', '@' or a tab, which a spreadsheet opening the server"
                        + " CSV would run as a formula"), e.problems());
    }

    @Test
    void seedFileEntriesAreCheckedTheSameWay() {
        byte[] secret = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<SeedEntry> entries = List.of(
                new SeedEntry("10000001", OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "Vendor", "x,y", "", "", "", secret),
                new SeedEntry("10000002", OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "Vendor", "ok", "=cmd", "", "", secret),
                new SeedEntry("10000003", OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "Vendor", "fine", "", "", "", secret));
        ManifestException e = assertThrows(ManifestException.class, () -> SeedRows.rows(entries, null));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("entry 1: account (the user, as none is given) 'x,y' contains a comma"),
                e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("entry 2: user '=cmd' starts with"), e.problems().get(1));
    }

    /** A row that reached the outputs anyway (built in code, past every check) replaces no output at all. */
    @Test
    void anOutputThatCannotBeWrittenLeavesTheOthersUnwritten() throws Exception {
        FleetRow bad = new FleetRow(2, null, "alice", null, null, null, "x,y", "", "");
        Path out = tmp.resolve("out");
        try (FleetRun run = FleetRun.start(out, List.of(bad), FleetFixture.options(), false)) {
            assertTrue(run.provision(SimulatedFleet.open(tmp.resolve("tokens"), 1, 1), FleetListener.NONE).complete());
            FleetException e = assertThrows(FleetException.class, () -> run.writeOutputs(FleetOutputs.Options.plain()));
            assertTrue(e.getMessage().contains("server CSV imports cannot hold"), e.getMessage());
        }
        for (String name : List.of(FleetOutputs.PRIVACYIDEA, FleetOutputs.PRIVACYIDEA_V2, FleetOutputs.LINOTP,
                FleetOutputs.PSKC, FleetOutputs.REPORT)) {
            assertFalse(Files.exists(out.resolve(name)), name + " was written");
        }
    }

    @Test
    void theReportPutsAQuoteBeforeWhatASpreadsheetWouldRun() throws Exception {
        List<FleetRow> rows = parse("account,issuer,user\n\"=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\",@corp,alice\n");
        Path out = tmp.resolve("out");
        try (FleetRun run = FleetRun.start(out, rows, FleetFixture.options(), false)) {
            assertTrue(run.provision(SimulatedFleet.open(tmp.resolve("tokens"), 1, 1), FleetListener.NONE).complete());
            run.writeOutputs(FleetOutputs.Options.plain());
        }
        String report = Files.readString(out.resolve(FleetOutputs.REPORT));
        String row = report.lines().skip(1).findFirst().orElseThrow();
        List<String> cells = Csv.split(row);
        assertEquals("'=HYPERLINK(\"http://evil.example/\",\"x\")", cells.get(1), report);
        assertEquals("'@corp", cells.get(2), report);
        for (String name : List.of(FleetOutputs.PRIVACYIDEA, FleetOutputs.PRIVACYIDEA_V2, FleetOutputs.LINOTP,
                FleetOutputs.REPORT)) {
            for (String line : Files.readAllLines(out.resolve(name))) {
                for (String cell : Csv.split(line)) {
                    assertFalse(!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0, name + ": " + line);
                }
            }
        }
    }
}
