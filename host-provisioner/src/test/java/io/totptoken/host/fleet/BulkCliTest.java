package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.fleet.FleetFixture.Run;
import io.totptoken.host.simulated.SimulatedFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenctl bulk} as an admin runs it: a process of its own, exit codes, files, no terminal. */
class BulkCliTest {
    @TempDir
    Path tmp;

    private Run tokenctl(String... args) throws Exception {
        return FleetFixture.tokenctl(tmp, Map.of(), args);
    }

    @Test
    void provisionsVerifiesAndAuditsASimulatedFleet() throws Exception {
        Files.writeString(tmp.resolve("users.csv"), FleetFixture.manifest(40));
        Run r = tokenctl("bulk", "provision", "--manifest", "users.csv", "--simulated", "40", "--sim-dir", "tokens",
                "--out", "seeds");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("40 of 40 rows verified"), r.err());
        assertTrue(r.err().contains("[40/40] token "), "plain lines without a terminal: " + r.err());
        assertTrue(r.out().contains("seeds/privacyidea.csv"), r.out());
        List<SeedEntry> pi = ServerCsv.read(Files.readString(tmp.resolve("seeds/privacyidea.csv")));
        assertEquals(40, pi.size());

        Run audit = tokenctl("bulk", "verify", "--seeds", "seeds/tokens.pskc", "--simulated", "40", "--sim-dir", "tokens");
        assertEquals(0, audit.exit(), audit.err());
        assertEquals(40, audit.out().lines().filter(l -> l.endsWith(",match")).count(), audit.out());

        Run again = tokenctl("bulk", "provision", "--manifest", "users.csv", "--simulated", "40", "--sim-dir", "tokens",
                "--out", "seeds");
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("--resume"), again.err());
        Run resumed = tokenctl("bulk", "provision", "--manifest", "users.csv", "--simulated", "40", "--sim-dir", "tokens",
                "--out", "seeds", "--resume");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.err().contains("40 of 40 rows verified; this run: 0 tokens provisioned"), resumed.err());
    }

    @Test
    void aBadManifestExitsTwoAndCreatesNothing() throws Exception {
        Files.writeString(tmp.resolve("users.csv"), "account,seed\nalice,zz\nbob,\nbob,\n");
        Run r = tokenctl("bulk", "provision", "--manifest", "users.csv", "--simulated", "2", "--sim-dir", "tokens",
                "--out", "seeds");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("line 2: seed is 1 bytes"), r.err());
        assertTrue(r.err().contains("line 4: account 'bob' is already on line 3"), r.err());
        assertFalse(Files.exists(tmp.resolve("seeds")));
        assertFalse(Files.exists(tmp.resolve("tokens")));
    }

    @Test
    void someTokensFailingExitsThreeAndListsEachFailure() throws Exception {
        Files.writeString(tmp.resolve("users.csv"), FleetFixture.manifest(3));
        Run r = tokenctl("bulk", "provision", "--manifest", "users.csv", "--simulated", "2", "--sim-dir", "tokens",
                "--out", "seeds");
        assertEquals(3, r.exit(), "rows left without tokens: " + r.err());
        assertTrue(r.err().contains("2 of 3 rows verified"), r.err());
        // A used token: refused without --reset, listed with its reason.
        Files.writeString(tmp.resolve("more.csv"), "account\ncarol\n");
        Run used = tokenctl("bulk", "provision", "--manifest", "more.csv", "--simulated", "1", "--sim-dir", "tokens",
                "--out", "seeds2");
        assertEquals(3, used.exit(), used.err());
        assertTrue(used.err().contains("refused: the token already holds 1 credential(s); give --reset to wipe it"),
                used.err());
    }

    @Test
    void spareTokensAreLeftUntouchedAndTheRunSucceeds() throws Exception {
        Files.writeString(tmp.resolve("users.csv"), FleetFixture.manifest(3));
        Run r = tokenctl("bulk", "provision", "--manifest", "users.csv", "--simulated", "7", "--sim-dir", "tokens",
                "--out", "seeds", "--workers", "3");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("All 3 rows done, 4 tokens not needed (left untouched)."), r.err());
        assertFalse(r.err().contains("refused"), r.err());
        try (var files = Files.list(tmp.resolve("tokens"))) {
            assertEquals(3, files.filter(p -> p.toString().endsWith(SimulatedFleet.SUFFIX)).count(),
                    "a state file for each token used, none for the spare ones");
        }
        assertEquals(3, Files.readAllLines(tmp.resolve("seeds/report.csv")).size() - 1, "the report names only the tokens used");
    }

    @Test
    void entraAndPamOathAskedForRefuseUnfitRowsUpFrontAndNameTheDevice() throws Exception {
        Files.writeString(tmp.resolve("users.csv"), "account,user\nalice@example.com,alice\nbob,bob smith\n");
        Run r = tokenctl("bulk", "provision", "--manifest", "users.csv", "--simulated", "2", "--sim-dir", "tokens",
                "--out", "seeds", "--entra", "--pam-oath");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("line 3: entra.csv needs a UPN"), r.err());
        assertTrue(r.err().contains("line 3: users.oath: user 'bob smith' is not a login name"), r.err());
        assertFalse(Files.exists(tmp.resolve("seeds")));

        Files.writeString(tmp.resolve("users.csv"), "account,user,upn\nalice@example.com,alice,\nbob,bob,bob@corp.example\n");
        Run ok = tokenctl("bulk", "provision", "--manifest", "users.csv", "--simulated", "2", "--sim-dir", "tokens",
                "--out", "seeds", "--entra", "--pam-oath", "--entra-manufacturer", "Acme", "--entra-model", "K1");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("seeds/entra.csv") && ok.out().contains("seeds/users.oath"), ok.out());
        List<String> entra = Files.readAllLines(tmp.resolve("seeds/entra.csv"));
        assertEquals(3, entra.size());
        assertTrue(entra.get(2).startsWith("bob@corp.example,") && entra.get(2).endsWith(",30,Acme,K1"), entra.toString());
        assertTrue(Files.readString(tmp.resolve("seeds/users.oath")).contains("HOTP/T30/6 bob - "));

        Run badDevice = tokenctl("bulk", "provision", "--manifest", "users.csv", "--simulated", "2", "--sim-dir", "t2",
                "--out", "s2", "--entra-manufacturer", "Acme, Inc");
        assertEquals(2, badDevice.exit(), badDevice.err());
        assertTrue(badDevice.err().contains("the Entra manufacturer 'Acme, Inc' contains a comma"), badDevice.err());
        assertFalse(Files.exists(tmp.resolve("s2")));
    }
}
