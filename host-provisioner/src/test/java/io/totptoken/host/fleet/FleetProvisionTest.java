package io.totptoken.host.fleet;

import static io.totptoken.host.fleet.FleetFixture.CLOCK;
import static io.totptoken.host.fleet.FleetFixture.NOW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.fleet.TokenOutcome.Result;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.sim.SimulatedToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs over simulated fleets: outputs against tokens and oathtool, and each bad condition.
 * The tests taking a {@link JournalKind} run on the file journal and on a PostgreSQL one.
 */
@ExtendWith(PgCluster.Databases.class)
class FleetProvisionTest {
    enum JournalKind { FILE, POSTGRESQL }

    @TempDir
    Path tmp;

    private FleetResult run(Path out, List<FleetRow> rows, FleetOptions o, TokenSource source, boolean resume) {
        return run(JournalKind.FILE, null, out, rows, o, source, resume);
    }

    private FleetResult run(JournalKind kind, PgCluster.Lazy pg, Path out, List<FleetRow> rows, FleetOptions o,
                            TokenSource source, boolean resume) {
        try (FleetRun run = kind == JournalKind.FILE ? FleetRun.start(out, rows, o, resume)
                : FleetRun.startShared(pg.database(), null, "station", out, rows, o, resume)) {
            FleetResult r = run.provision(source, FleetListener.NONE);
            run.writeOutputs(FleetOutputs.Options.plain());
            return r;
        }
    }

    /** Every token's code equals the code of its seed in each output file and oathtool's. */
    private static void assertOutputsAgreeWithTokens(Path out, Path sims, int expected, char[] password) throws Exception {
        List<SeedEntry> pskc = PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)), PskcProtection.none());
        List<SeedEntry> linotp = ServerCsv.read(Files.readString(out.resolve(FleetOutputs.LINOTP)));
        assertEquals(expected, pskc.size());
        assertEquals(expected, linotp.size());
        Map<String, SeedEntry> pi = new HashMap<>();
        if (Files.exists(out.resolve(FleetOutputs.PRIVACYIDEA))) {
            for (SeedEntry e : ServerCsv.read(Files.readString(out.resolve(FleetOutputs.PRIVACYIDEA)))) {
                pi.put(e.serial(), e);
            }
            assertEquals(expected, pi.size());
        }
        Map<String, SeedEntry> lin = linotp.stream().collect(Collectors.toMap(SeedEntry::serial, e -> e));
        Map<String, String> entra = new HashMap<>(); // serial -> base32 secret
        if (Files.exists(out.resolve(FleetOutputs.ENTRA))) {
            Files.readAllLines(out.resolve(FleetOutputs.ENTRA)).stream().skip(1)
                    .forEach(l -> entra.put(l.split(",")[1], l.split(",")[2]));
            assertEquals(expected, entra.size());
        }
        Map<String, String> pamOath = new HashMap<>(); // hex secret -> "TYPE USER"
        if (Files.exists(out.resolve(FleetOutputs.PAM_OATH))) {
            Files.readAllLines(out.resolve(FleetOutputs.PAM_OATH)).forEach(l -> pamOath.put(l.split(" ")[3],
                    l.split(" ")[0] + " " + l.split(" ")[1]));
            assertEquals(expected, pamOath.size());
        }
        Set<String> accounts = new java.util.HashSet<>();
        for (SeedEntry e : pskc) {
            assertTrue(accounts.add(e.issuer() + ":" + e.account()), "one seed per user: " + e.account());
            long moving = e.type() == OathType.TOTP ? NOW / e.period() : e.counter();
            String onToken = FleetFixture.tokenCode(sims.resolve(e.serial() + SimulatedFleet.SUFFIX), e, moving, password);
            String host = Otp.hotp(e.algorithm(), e.secret(), moving, e.digits());
            assertEquals(host, onToken, "token " + e.serial());
            if (e.type() == OathType.TOTP || e.algorithm() == HashAlgorithm.SHA1) { // oathtool's HOTP is SHA-1 only
                assertEquals(host, FleetFixture.oathtool(e, e.type() == OathType.TOTP ? NOW : moving), "oathtool " + e.serial());
            }
            assertArrayEquals(e.secret(), lin.get(e.serial()).secret());
            if (!entra.isEmpty()) {
                assertArrayEquals(e.secret(), io.totptoken.host.provisioning.Base32.decode(entra.get(e.serial())));
            }
            if (!pamOath.isEmpty()) {
                assertEquals(PamOathUsers.type(e) + " " + e.user(), pamOath.get(java.util.HexFormat.of().formatHex(e.secret())));
            }
            if (!pi.isEmpty()) {
                assertArrayEquals(e.secret(), pi.get(e.serial()).secret());
                assertEquals(e.digits(), pi.get(e.serial()).digits());
            }
        }
    }

    @Test
    void provisionsAFleetWithTwoWorkersAndEveryOutputAgreesWithTheTokens() throws Exception {
        Path out = tmp.resolve("seeds");
        Path sims = tmp.resolve("tokens");
        FleetResult r = run(out, FleetFixture.rows(24), FleetFixture.options(), SimulatedFleet.open(sims, 24, 2), false);
        assertEquals(24, r.verified());
        assertEquals(24, r.outcomes().stream().filter(o -> o.result() == Result.PROVISIONED).count());
        assertTrue(r.complete(), r.toString());
        assertOutputsAgreeWithTokens(out, sims, 24, null);
        assertTrue(Files.exists(out.resolve(FleetOutputs.ENTRA)) && Files.exists(out.resolve(FleetOutputs.PAM_OATH)));
        assertEquals("rwx------", FleetFixture.mode(out));
        assertEquals("rwx------", FleetFixture.mode(sims));
        try (var files = Files.list(out)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", FleetFixture.mode(f), f.toString());
            }
        }
        String v2 = Files.readString(out.resolve(FleetOutputs.PRIVACYIDEA_V2));
        assertTrue(v2.startsWith("# version: 2\nuser001,ldap,staff,"), v2);
        String report = Files.readString(out.resolve(FleetOutputs.REPORT));
        assertEquals(25, report.lines().count());
        assertTrue(report.lines().skip(1).allMatch(l -> l.contains(",verified,")), report);
    }

    /** What FleetBench adds up as key generation: one call per seed made, none for a seed the manifest gives. */
    @Test
    void theListenerHearsOfEachSeedGeneratedAndNotOfTheManifestsSeeds() throws Exception {
        List<FleetRow> rows = Manifest.parse("account,seed\nalice,\nbob,3132333435363738393031323334353637383930\ncarol,\n",
                "Corp", OathType.TOTP, 30);
        List<Long> generated = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        FleetListener listener = new FleetListener() {
            @Override
            public void seedGenerated(long nanos) {
                generated.add(nanos);
            }
        };
        try (FleetRun run = FleetRun.start(tmp.resolve("seeds"), rows, FleetFixture.options(), false)) {
            assertEquals(3, run.provision(SimulatedFleet.open(tmp.resolve("tokens"), 3, 2), listener).verified());
            JournalStore.JournalStats stats = run.journal().stats();
            assertTrue(stats.records() >= 9, "bound, written and verified for each token: " + stats);
            assertTrue(stats.syncs() >= 1 && stats.syncs() <= stats.records(), stats.toString());
        }
        assertEquals(2, generated.size(), "alice's and carol's seeds were generated, bob's came with the manifest");
        assertTrue(generated.stream().allMatch(n -> n >= 0), generated.toString());
    }

    @Test
    void hotpAndSha512WithAPasswordAndUris() throws Exception {
        Path out = tmp.resolve("seeds");
        Path sims = tmp.resolve("tokens");
        char[] pw = "admin secret".toCharArray();
        FleetOptions o = FleetFixture.options().withType(OathType.HOTP).withAlgorithm(HashAlgorithm.SHA512)
                .withDigits(8).withAdminPassword(pw).withIssuer("Corp");
        List<FleetRow> rows = Manifest.parse("account\nalice\nbob\ncarol\n", "Corp", OathType.HOTP, 30);
        try (FleetRun run = FleetRun.start(out, rows, o, false)) {
            FleetResult r = run.provision(SimulatedFleet.open(sims, 3, 1), FleetListener.NONE);
            assertEquals(3, r.verified());
            FleetOutputs.Written w = run.writeOutputs(new FleetOutputs.Options(PskcProtection.none(), true));
            assertFalse(Files.exists(out.resolve(FleetOutputs.PRIVACYIDEA)), "no privacyIDEA CSV for SHA-512");
            assertTrue(w.notes().get(0).contains("hash column"), w.notes().toString());
        }
        List<SeedEntry> pskc = PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)), PskcProtection.none());
        for (SeedEntry e : pskc) {
            assertEquals(64, e.secret().length);
            assertEquals(1, e.counter(), "verification used counter 0: the server expects 1");
            try (SimulatorTransport t = SimulatorTransport.open(sims.resolve(e.serial() + SimulatedFleet.SUFFIX))) {
                assertTrue(OathSession.open(t).locked(), "the admin password is set");
            }
        }
        assertOutputsAgreeWithTokens(out, sims, 3, pw);
        String uris = Files.readString(out.resolve(FleetOutputs.URIS));
        assertTrue(uris.startsWith("otpauth://hotp/Corp:alice?secret="), uris);
    }

    @ParameterizedTest
    @EnumSource(JournalKind.class)
    void theSameTokenTwiceIsNotWrittenAgain(JournalKind kind, PgCluster.Lazy pg) {
        Path sims = tmp.resolve("tokens");
        SimulatedFleet fleet = SimulatedFleet.open(sims, 2, 1);
        Path first = fleet.files().get(0);
        TokenSource twice = () -> List.of(lane(List.of(first, first, fleet.files().get(1))));
        FleetResult r = run(kind, pg, tmp.resolve("out"), FleetFixture.rows(3), FleetFixture.options(), twice, false);
        assertEquals(List.of(Result.PROVISIONED, Result.ALREADY_DONE, Result.PROVISIONED),
                r.outcomes().stream().map(TokenOutcome::result).toList());
        assertEquals(2, r.verified());
        assertEquals(1, r.outcomes().get(0).serial().equals(r.outcomes().get(1).serial()) ? 1 : 0);
    }

    @ParameterizedTest
    @EnumSource(JournalKind.class)
    void usedAndPasswordProtectedTokensAreRefusedUnlessReset(JournalKind kind, PgCluster.Lazy pg) {
        Path sims = tmp.resolve("tokens");
        SimulatedFleet fleet = SimulatedFleet.open(sims, 3, 1);
        try (SimulatorTransport t = SimulatorTransport.open(fleet.files().get(0),
                SimulatedToken.Config.defaults().withSerial(SimulatedFleet.FIRST_SERIAL))) {
            OathSession.open(t).put("old".getBytes(StandardCharsets.UTF_8), 0x20, 1, 6, new byte[20], false, 0, false);
        }
        try (SimulatorTransport t = SimulatorTransport.open(fleet.files().get(1),
                SimulatedToken.Config.defaults().withSerial(SimulatedFleet.FIRST_SERIAL + 1))) {
            OathSession.open(t).setPassword("someone else's".toCharArray());
        }
        FleetResult r = run(kind, pg, tmp.resolve("out"), FleetFixture.rows(3), FleetFixture.options(), fleet, false);
        assertEquals(Result.REFUSED, r.outcomes().get(0).result());
        assertTrue(r.outcomes().get(0).reason().contains("already holds 1 credential"), r.outcomes().get(0).reason());
        assertEquals(Result.REFUSED, r.outcomes().get(1).result());
        assertTrue(r.outcomes().get(1).reason().contains("has a password"), r.outcomes().get(1).reason());
        assertEquals(Result.PROVISIONED, r.outcomes().get(2).result());
        assertEquals(2, r.failures());
        assertEquals("user001@example.com", r.outcomes().get(2).account(), "refused tokens take no row");

        FleetResult again = run(kind, pg, tmp.resolve("out"), FleetFixture.rows(3), FleetFixture.options().withReset(true),
                SimulatedFleet.open(sims, 3, 1), true);
        // The third token is not even opened: every row is verified once the first two are done.
        assertEquals(List.of(Result.PROVISIONED, Result.PROVISIONED),
                again.outcomes().stream().map(TokenOutcome::result).toList());
        assertTrue(again.complete());
    }

    @ParameterizedTest
    @EnumSource(JournalKind.class)
    void aFullTokenIsRefusedAndItsRowGoesToTheNextToken(JournalKind kind, PgCluster.Lazy pg) {
        Path sims = tmp.resolve("tokens");
        SimulatorTransport.open(sims.resolve(SimulatedFleet.FIRST_SERIAL + SimulatedFleet.SUFFIX),
                SimulatedToken.Config.defaults().withSerial(SimulatedFleet.FIRST_SERIAL).withSlots(1)).close();
        FleetOptions o = FleetFixture.options().withAlgorithm(HashAlgorithm.SHA512);
        FleetResult r = run(kind, pg, tmp.resolve("out"), FleetFixture.rows(1), o, SimulatedFleet.open(sims, 2, 1), false);
        assertEquals(Result.REFUSED, r.outcomes().get(0).result());
        assertTrue(r.outcomes().get(0).reason().contains("full"), r.outcomes().get(0).reason());
        assertEquals(Result.PROVISIONED, r.outcomes().get(1).result());
        assertEquals("user001@example.com", r.outcomes().get(1).account());
    }

    /**
     * A lane that may wait for someone (a reader and its operator) has each token reported, its
     * verification durable, before it asks for the next; a lane with its tokens at hand gets one
     * commit per token: the binding, which also makes the previous token's verification durable.
     */
    @ParameterizedTest
    @EnumSource(JournalKind.class)
    void eachTokenIsDoneBeforeAnOperatorIsAskedForTheNextAndTakesOneCommitOtherwise(JournalKind kind, PgCluster.Lazy pg) {
        SimulatedFleet forOperator = SimulatedFleet.open(tmp.resolve("a"), 4, 1);
        java.util.Iterator<Path> files = forOperator.files().iterator();
        java.util.concurrent.atomic.AtomicInteger reported = new java.util.concurrent.atomic.AtomicInteger();
        List<Integer> reportedWhenAsked = new java.util.ArrayList<>();
        TokenSource.Lane operator = new TokenSource.Lane() {
            @Override
            public String label() {
                return "reader";
            }

            @Override
            public io.totptoken.host.transport.Transport next() {
                reportedWhenAsked.add(reported.get());
                return files.hasNext() ? SimulatorTransport.open(files.next()) : null;
            }
        };
        FleetListener counting = new FleetListener() {
            @Override
            public void token(TokenOutcome outcome, int done, int rows) {
                reported.incrementAndGet();
            }
        };
        long operatorCommits = commits(kind, kind == JournalKind.FILE ? null : pg.database(), tmp.resolve("out-a"),
                () -> List.of(operator), counting);
        assertEquals(List.of(0, 1, 2, 3), reportedWhenAsked, "each token reported before the next is asked for");
        assertEquals(4, reported.get());

        long atHand = commits(kind, kind == JournalKind.FILE ? null : pg.another(), tmp.resolve("out-b"),
                SimulatedFleet.open(tmp.resolve("b"), 4, 1), FleetListener.NONE);
        int header = kind == JournalKind.FILE ? 1 : 0;
        assertEquals(header + 2 * 4, operatorCommits, "a binding and a verification per token");
        assertEquals(header + 4 + 1, atHand, "a binding per token, and the last verification");
    }

    private static long commits(JournalKind kind, PgLocation db, Path out, TokenSource source, FleetListener l) {
        try (FleetRun run = kind == JournalKind.FILE ? FleetRun.start(out, FleetFixture.rows(4), FleetFixture.options(), false)
                : FleetRun.startShared(db, null, "station", out, FleetFixture.rows(4), FleetFixture.options(), false)) {
            FleetResult r = run.provision(source, l);
            assertEquals(4, r.verified(), r.toString());
            assertTrue(r.complete(), r.toString());
            return run.journal().stats().syncs();
        }
    }

    private static TokenSource.Lane lane(List<Path> files) {
        java.util.Iterator<Path> it = files.iterator();
        return new TokenSource.Lane() {
            @Override
            public String label() {
                return "test lane";
            }

            @Override
            public io.totptoken.host.transport.Transport next() {
                return it.hasNext() ? SimulatorTransport.open(it.next()) : null;
            }
        };
    }

    static Map<Long, String> seedsInJournal(Path journal) throws Exception {
        Map<Long, String> seeds = new HashMap<>();
        List<JournalRecord> records = new java.util.ArrayList<>();
        Journal.replay(Files.readAllBytes(journal), records);
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.Assigned a) {
                assertNull(seeds.put(a.serial(), hex(a.seed())), "one assignment per serial");
            }
        }
        return seeds;
    }

    static void assertNotEmpty(Object o) {
        assertNotNull(o);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void aNewRunRefusesADirectoryWithAJournalAndAResumeRefusesOtherOptions() {
        Path out = tmp.resolve("out");
        run(out, FleetFixture.rows(2), FleetFixture.options(), SimulatedFleet.open(tmp.resolve("t"), 2, 1), false);
        FleetException e = assertThrows(FleetException.class,
                () -> FleetRun.start(out, FleetFixture.rows(2), FleetFixture.options(), false));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        e = assertThrows(FleetException.class,
                () -> FleetRun.start(out, FleetFixture.rows(2), FleetFixture.options().withDigits(8), true));
        assertTrue(e.getMessage().contains("differ"), e.getMessage());
        e = assertThrows(FleetException.class,
                () -> FleetRun.start(out, FleetFixture.rows(3), FleetFixture.options(), true));
        assertTrue(e.getMessage().contains("differ"), e.getMessage());
        e = assertThrows(FleetException.class,
                () -> FleetRun.start(tmp.resolve("none"), FleetFixture.rows(2), FleetFixture.options(), true));
        assertTrue(e.getMessage().contains("no journal"), e.getMessage());
    }
}
