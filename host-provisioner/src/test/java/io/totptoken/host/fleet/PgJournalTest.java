package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.simulated.SimulatedFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Stations sharing one journal in a real PostgreSQL ({@link PgCluster}), in this JVM. */
@ExtendWith(PgCluster.Databases.class)
class PgJournalTest {
    @TempDir
    Path tmp;

    private FleetRun station(PgLocation db, String name, List<FleetRow> rows, boolean resume) {
        return FleetRun.startShared(db, null, name, null, rows, FleetFixture.options(), resume);
    }

    @Test
    void twoStationsAtOnceGiveEveryRowToExactlyOneToken(PgLocation db) throws Exception {
        List<FleetRow> rows = FleetFixture.rows(40);
        try (FleetRun a = station(db, "a", rows, false); FleetRun b = station(db, "b", rows, false)) {
            // Each station has more tokens than rows: only the database keeps them from taking a row twice.
            SimulatedFleet ta = SimulatedFleet.open(tmp.resolve("a"), 40, 2, 1000);
            SimulatedFleet tb = SimulatedFleet.open(tmp.resolve("b"), 40, 2, 2000);
            CompletableFuture<FleetResult> ra = CompletableFuture.supplyAsync(() -> a.provision(ta, FleetListener.NONE));
            CompletableFuture<FleetResult> rb = CompletableFuture.supplyAsync(() -> b.provision(tb, FleetListener.NONE));
            FleetResult x = ra.get();
            FleetResult y = rb.get();
            assertEquals(40, x.outcomes().stream().filter(o -> o.result() == TokenOutcome.Result.PROVISIONED).count()
                    + y.outcomes().stream().filter(o -> o.result() == TokenOutcome.Result.PROVISIONED).count());
            assertEquals(null, x.stopped());
            assertEquals(null, y.stopped());
        }
        Path out = tmp.resolve("export");
        FleetRun.export(db, null, out, FleetOutputs.Options.plain());
        List<SeedEntry> pskc = PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)), PskcProtection.none());
        assertEquals(40, pskc.size());
        Set<String> accounts = new HashSet<>();
        Set<String> serials = new HashSet<>();
        for (SeedEntry e : pskc) {
            assertTrue(accounts.add(e.account()), "a row twice: " + e.account());
            assertTrue(serials.add(e.serial()), "a serial twice: " + e.serial());
            long serial = Long.parseLong(e.serial());
            Path file = tmp.resolve(serial < 2000 ? "a" : "b").resolve(serial + SimulatedFleet.SUFFIX);
            long step = FleetFixture.NOW / 30;
            assertEquals(Otp.hotp(e.algorithm(), e.secret(), step, 6), FleetFixture.tokenCode(file, e, step, null));
        }
        assertEquals(pskc.stream().map(SeedEntry::account).toList(),
                rows.stream().map(FleetRow::account).toList(), "manifest order");
        try (PgJournal r = PgJournal.reader(db, null)) {
            Map<String, Long> verified = new HashMap<>();
            r.status().forEach(c -> verified.merge(c.state(), c.rows(), Long::sum));
            assertEquals(Map.of("verified", 40L), verified);
        }
    }

    @Test
    void anotherManifestIsRefusedAndAStationRunsOnce(PgLocation db) {
        try (FleetRun a = station(db, "a", FleetFixture.rows(5), false)) {
            a.ledger().assign(700, FleetListener.NONE);
            FleetException other = assertThrows(FleetException.class, () -> station(db, "b", FleetFixture.rows(6), false));
            assertTrue(other.getMessage().contains("another manifest"), other.getMessage());
            FleetException twice = assertThrows(FleetException.class, () -> station(db, "a", FleetFixture.rows(5), true));
            assertTrue(twice.getMessage().contains("station a is running already"), twice.getMessage());
        }
        FleetException fresh = assertThrows(FleetException.class, () -> station(db, "a", FleetFixture.rows(5), false));
        assertTrue(fresh.getMessage().contains("--resume"), fresh.getMessage());
        station(db, "a", FleetFixture.rows(5), true).close();
    }

    @Test
    void aRowBoundByADeadStationIsFinishedWhereItsTokenTurnsUp(PgLocation db) {
        List<FleetRow> rows = FleetFixture.rows(3);
        Path sims = tmp.resolve("tokens");
        SimulatedFleet tokens = SimulatedFleet.open(sims, 3, 1, 500);
        long serial;
        try (FleetRun a = station(db, "a", rows, false)) {
            serial = 500;
            Assignment bound = a.ledger().assign(serial, FleetListener.NONE); // bound, never written: station a dies
            assertEquals(rows.get(0).line(), bound.row().line());
        }
        try (FleetRun b = station(db, "b", rows, false)) {
            FleetResult r = b.provision(tokens, FleetListener.NONE);
            assertTrue(r.complete(), r.toString());
            Assignment a = b.ledger().lookup(serial);
            assertEquals(Assignment.State.VERIFIED, a.state());
            assertEquals(rows.get(0).account(), a.row().account(), "the row station a bound, with its seed");
        }
    }

    /**
     * An empty token is bound without looking its serial up first: when another station bound it
     * after this one started (and died before writing it), the binding finds that out and the token
     * is finished with that station's row and seed, not given a second row.
     */
    @Test
    void aTokenBoundElsewhereAfterThisStationStartedIsResumedNotBoundAgain(PgLocation db) {
        List<FleetRow> rows = FleetFixture.rows(3);
        SimulatedFleet tokens = SimulatedFleet.open(tmp.resolve("tokens"), 3, 1, 700);
        try (FleetRun b = station(db, "b", rows, false)) {
            Assignment bound;
            try (FleetRun a = station(db, "a", rows, false)) {
                bound = a.ledger().assign(700, FleetListener.NONE); // bound, never written: station a dies
            }
            assertEquals(null, b.ledger().known(700), "station b has not read a's binding yet");
            FleetResult r = b.provision(tokens, FleetListener.NONE);
            assertTrue(r.complete(), r.toString());
            Assignment done = b.ledger().lookup(700);
            assertEquals(Assignment.State.VERIFIED, done.state());
            assertEquals(bound.row().line(), done.row().line(), "a's row");
            assertArrayEquals(bound.entry.secret(), done.entry.secret(), "with a's seed");
        }
        try (PgJournal r = PgJournal.reader(db, null)) {
            assertEquals(3, r.replayed().stream().filter(x -> x instanceof JournalRecord.Assigned).count(),
                    "one binding per row: the token was not bound a second time");
        }
    }

    @Test
    void forceNewSeedReleasesOnlyRowsOfStationsNotRunning(PgLocation db) {
        List<FleetRow> rows = FleetFixture.rows(3);
        try (FleetRun a = station(db, "a", rows, false)) {
            a.ledger().assign(600, FleetListener.NONE); // station a binds a row and dies
        }
        try (FleetRun b = station(db, "b", rows, false)) {
            Assignment working = b.ledger().assign(601, FleetListener.NONE); // station b is still at it
            try (FleetRun c = FleetRun.startShared(db, null, "c", null, rows,
                    FleetFixture.options().withForceNewSeed(true), true)) {
                assertEquals(null, c.ledger().lookup(600), "a's row, bound by a dead station, is released");
                Assignment kept = c.ledger().lookup(601);
                assertTrue(kept != null && kept.row().line() == working.row().line(), "b's row stays bound");
                assertEquals(2, c.ledger().freeRows());
            }
        }
        try (PgJournal r = PgJournal.reader(db, null)) {
            assertEquals(1, r.replayed().stream().filter(x -> x instanceof JournalRecord.Released).count());
        }
    }
}
