package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.transport.SimulatorTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stations in child JVMs on one manifest and one PostgreSQL journal; station a is SIGKILLed
 * twice at random points of its work while b runs, then resumed: every row is on exactly one
 * token, every serial on at most one row, and every token holds exactly its row's credential.
 */
@Tag("slow")
@ExtendWith(PgCluster.Databases.class)
class PgKillTest {
    private static final int ROWS = 40;
    private static final int TOKENS_EACH = 30; // more than half the rows each: the stations compete for the last ones

    @TempDir
    Path tmp;

    private Process station(PgLocation db, Path manifest, String name, long first, String mode) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FleetCrashMain.class.getName(),
                manifest.toString(), tmp.resolve("unused").toString(), tmp.resolve(name).toString(),
                Integer.toString(TOKENS_EACH), "2", mode, "3", db.toString(), name, Long.toString(first));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve(name + ".log").toFile())).start();
    }

    private static long verifiedBy(PgLocation db, String station) throws Exception {
        try (Connection c = PgSchema.connect(db, null);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM tokenctl_record WHERE kind = 'V' AND station = ?")) {
            s.setString(1, station);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            return 0; // the tables are not there yet
        }
    }

    private void kill(PgLocation db, Process p, String name, long after) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (verifiedBy(db, name) < after && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 40));
        assertTrue(p.isAlive(), "station " + name + " ended before it could be killed: " + Files.readString(tmp.resolve(name + ".log")));
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    @Test
    void twoStationsOneKilledTwiceGiveEveryRowExactlyOnce(PgLocation db) throws Exception {
        Path manifest = tmp.resolve("users.csv");
        Files.writeString(manifest, FleetFixture.manifest(ROWS));
        Process a = station(db, manifest, "a", 1000, "new");
        kill(db, a, "a", 3);
        Process b = station(db, manifest, "b", 2000, "new");
        a = station(db, manifest, "a", 1000, "resume");
        kill(db, a, "a", verifiedBy(db, "a") + 4);
        a = station(db, manifest, "a", 1000, "resume");
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, b.exitValue(), Files.readString(tmp.resolve("b.log")));
        assertEquals(0, a.exitValue(), Files.readString(tmp.resolve("a.log")));

        // The journal: every row bound once and verified, every serial once, nothing released.
        Map<Long, JournalRecord.Assigned> bySerial = new HashMap<>();
        Set<Integer> lines = new HashSet<>();
        Set<Long> verified = new HashSet<>();
        try (PgJournal r = PgJournal.reader(db, null)) {
            for (JournalRecord rec : r.replayed()) {
                if (rec instanceof JournalRecord.Assigned x) {
                    assertEquals(null, bySerial.put(x.serial(), x), "a serial bound twice: " + x.serial());
                    assertTrue(lines.add(x.line()), "a row bound twice: " + x.line());
                } else if (rec instanceof JournalRecord.Verified v) {
                    verified.add(v.serial());
                }
                assertTrue(!(rec instanceof JournalRecord.Released), "nothing was released");
            }
        }
        assertEquals(ROWS, lines.size());
        assertEquals(bySerial.keySet(), verified);

        // Every token holds exactly its row's credential, and the export agrees.
        Path out = tmp.resolve("export");
        FleetRun.export(db, null, out, FleetOutputs.Options.plain());
        List<SeedEntry> pskc = PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)), PskcProtection.none());
        assertEquals(ROWS, pskc.size());
        long step = FleetFixture.NOW / 30;
        Set<String> exported = new HashSet<>();
        pskc.forEach(e -> exported.add(e.serial() + SimulatedFleet.SUFFIX));
        // A token that holds no row's seed holds nothing: no seed was written without its binding kept.
        for (String station : List.of("a", "b")) {
            try (var files = Files.list(tmp.resolve(station))) {
                for (Path f : files.filter(f -> f.toString().endsWith(SimulatedFleet.SUFFIX)).toList()) {
                    if (!exported.contains(f.getFileName().toString())) {
                        try (SimulatorTransport t = SimulatorTransport.open(f)) {
                            assertEquals(List.of(), OathSession.open(t).list(), f + " holds a seed of no row");
                        }
                    }
                }
            }
        }
        for (SeedEntry e : pskc) {
            long serial = Long.parseLong(e.serial());
            assertEquals(HexFormat.of().formatHex(bySerial.get(serial).seed()), HexFormat.of().formatHex(e.secret()));
            Path file = tmp.resolve(serial < 2000 ? "a" : "b").resolve(serial + SimulatedFleet.SUFFIX);
            assertEquals(Otp.hotp(e.algorithm(), e.secret(), step, 6), FleetFixture.tokenCode(file, e, step, null));
            assertEquals(FleetFixture.oathtool(e, FleetFixture.NOW), FleetFixture.tokenCode(file, e, step, null));
            try (SimulatorTransport t = SimulatorTransport.open(file)) {
                List<CardCredential> creds = OathSession.open(t).list();
                assertEquals(1, creds.size(), file + ": " + creds);
                assertEquals(e.issuer() + ":" + e.account(), creds.get(0).nameText());
            }
        }
    }
}
