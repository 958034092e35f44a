package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.fleet.FleetFixture.Run;
import io.totptoken.host.simulated.SimulatedFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenctl bulk provision --journal postgresql://...}, {@code bulk status} and {@code bulk export}, as processes. */
@ExtendWith(PgCluster.Databases.class)
class PgBulkCliTest {
    @TempDir
    Path tmp;

    private Run tokenctl(String... args) throws Exception {
        return FleetFixture.tokenctl(tmp, Map.of("HOME", tmp.toString()), args); // no ~/.pgpass of the machine's
    }

    @Test
    void twoStationsShareARunAndExportWritesItsSeedFiles(PgLocation db) throws Exception {
        // a upn column unlike the accounts: export has no manifest, so entra.csv's UPNs must come from the journal
        Files.writeString(tmp.resolve("users.csv"), FleetFixture.manifest(20).replace("resolver\n", "resolver,upn\n")
                .replaceAll("(?m)^user(\\d+)@example.com(.*)$", "user$1@example.com$2,u$1@corp.example"));
        String uri = db.toString();
        Run a = tokenctl("bulk", "provision", "--manifest", "users.csv", "--journal", uri, "--station", "a",
                "--simulated", "12", "--sim-dir", "ta", "--first-serial", "1000");
        assertEquals(3, a.exit(), "rows left for the other station: " + a.err());
        assertTrue(a.err().contains("12 of 20 rows verified"), a.err());
        assertFalse(Files.exists(tmp.resolve("seeds")), "no --out: no files");

        Run status = tokenctl("bulk", "status", "--journal", uri);
        assertEquals(3, status.exit(), status.err());
        assertEquals("station,done,pending,failed\na,12,0,0\n", status.out());
        assertTrue(status.err().contains("12 of 20 rows done, 8 not on any token yet"), status.err());

        Run b = tokenctl("bulk", "provision", "--manifest", "users.csv", "--journal", uri, "--station", "b",
                "--simulated", "12", "--sim-dir", "tb", "--first-serial", "2000");
        assertEquals(0, b.exit(), b.err());
        assertTrue(b.err().contains("20 of 20 rows verified"), b.err());

        Run other = tokenctl("bulk", "provision", "--manifest", "users.csv", "--issuer", "Other", "--journal", uri,
                "--station", "c", "--simulated", "1", "--sim-dir", "tc", "--first-serial", "3000");
        assertEquals(2, other.exit(), other.err());
        assertTrue(other.err().contains("another manifest or other options"), other.err());

        // export takes every seed-file option provision takes (one mixin), entra.csv's device names too
        Run export = tokenctl("bulk", "export", "--journal", uri, "--out", "seeds",
                "--entra-manufacturer", "Acme", "--entra-model", "Keyfob 2");
        assertEquals(0, export.exit(), export.err());
        List<String> entra = Files.readString(tmp.resolve("seeds/entra.csv")).lines().skip(1).toList();
        assertEquals(20, entra.size());
        assertTrue(entra.stream().allMatch(l -> l.matches("u\\d{3}@corp\\.example,.*,Acme,Keyfob 2")), entra.toString());
        assertEquals(20, entra.stream().map(l -> l.substring(0, l.indexOf(','))).distinct().count(), entra.toString());
        assertTrue(export.out().contains("seeds/tokens.pskc"), export.out());
        assertEquals("rwx------", FleetFixture.mode(tmp.resolve("seeds")));
        assertEquals(20, ServerCsv.read(Files.readString(tmp.resolve("seeds/privacyidea.csv"))).size());
        List<SeedEntry> pi = PskcReader.read(Files.readAllBytes(tmp.resolve("seeds/tokens.pskc")), PskcProtection.none());
        assertEquals(20, pi.size());
        Set<String> serials = new HashSet<>();
        long step = FleetFixture.NOW / 30;
        for (SeedEntry e : pi) {
            assertTrue(serials.add(e.serial()));
            long serial = Long.parseLong(e.serial());
            Path file = tmp.resolve(serial < 2000 ? "ta" : "tb").resolve(serial + SimulatedFleet.SUFFIX);
            assertEquals(FleetFixture.oathtool(e, FleetFixture.NOW), FleetFixture.tokenCode(file, e, step, null));
        }
        assertEquals(List.of("station,done,pending,failed", "a,12,0,0", "b,8,0,0"),
                tokenctl("bulk", "status", "--journal", uri).out().lines().toList());
    }

    @Test
    void aPasswordInTheUriOrNoJournalAtAllIsAUsageError() throws Exception {
        Files.writeString(tmp.resolve("users.csv"), FleetFixture.manifest(2));
        Run pw = tokenctl("bulk", "provision", "--manifest", "users.csv", "--journal",
                "postgresql://u:secret@127.0.0.1:1/db", "--simulated", "2", "--sim-dir", "t");
        assertEquals(2, pw.exit());
        assertTrue(pw.err().contains("must not hold a password; use PGPASSWORD or ~/.pgpass"), pw.err());
        assertFalse(pw.err().contains("secret"), pw.err());
        Run none = tokenctl("bulk", "provision", "--manifest", "users.csv", "--simulated", "2", "--sim-dir", "t");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("--out DIR"), none.err());
        assertFalse(Files.exists(tmp.resolve("t")));
    }
}
