package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.fleet.TokenOutcome.Result;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.transport.SimulatorTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Faults that real parts cannot produce on demand, injected around them: a token pulled at a
 * chosen APDU, a disk that fills up under the journal.
 */
class FleetFaultTest {
    @TempDir
    Path tmp;

    /** APDUs of a fresh token without a password: 1 SELECT, 2 TOKEN INFO, 3 PUT, 4 CALCULATE. */
    @ParameterizedTest(name = "pulled at APDU {0}, after the token got it: {1}; resume sends a PUT: {2}")
    @CsvSource({"3, false, true", "3, true, false", "4, false, false", "4, true, false", "2, false, true"})
    void aTokenPulledMidWriteIsFinishedOnResumeWithTheSameSeed(int at, boolean afterToken, boolean rewrite)
            throws Exception {
        Path out = tmp.resolve("out");
        Path sims = tmp.resolve("tokens");
        AtomicInteger sent = new AtomicInteger();
        SimulatedFleet faulty = SimulatedFleet.open(sims, 1, 1, t -> FleetFixture.dyingAt(t, at, afterToken, sent));
        try (FleetRun run = FleetRun.start(out, FleetFixture.rows(1), FleetFixture.options(), false)) {
            FleetResult r = run.provision(faulty, FleetListener.NONE);
            TokenOutcome o = r.outcomes().get(0);
            if (at == 2) {
                assertEquals(Result.REFUSED, o.result(), "no serial read, nothing bound");
                assertTrue(r.pending().isEmpty());
            } else {
                assertEquals(Result.FAILED, o.result());
                assertTrue(o.reason().contains("reinsert it"), o.reason());
                assertEquals(1, r.pending().size(), "the row stays bound to the token");
            }
            run.writeOutputs(FleetOutputs.Options.plain());
            assertEquals(0, PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)), PskcProtection.none()).size(),
                    "an unverified token is in no seed file");
        }
        Map<Long, String> before = FleetProvisionTest.seedsInJournal(out.resolve(FleetRun.JOURNAL));

        AtomicInteger resumed = new AtomicInteger();
        java.util.List<Integer> instructions = new java.util.ArrayList<>();
        SimulatedFleet again = SimulatedFleet.open(sims, 1, 1, t -> new io.totptoken.host.transport.Transport() {
            @Override
            public byte[] transmit(byte[] apdu) {
                resumed.incrementAndGet();
                instructions.add(apdu[1] & 0xFF);
                return t.transmit(apdu);
            }

            @Override
            public String description() {
                return t.description();
            }

            @Override
            public void close() {
                t.close();
            }
        });
        try (FleetRun run = FleetRun.start(out, FleetFixture.rows(1), FleetFixture.options(), true)) {
            FleetResult r = run.provision(again, FleetListener.NONE);
            assertEquals(Result.PROVISIONED, r.outcomes().get(0).result(), r.outcomes().toString());
            assertTrue(r.complete());
            run.writeOutputs(FleetOutputs.Options.plain());
        }
        assertEquals(rewrite, instructions.contains(0x01), "PUT on resume: " + instructions);
        Map<Long, String> after = FleetProvisionTest.seedsInJournal(out.resolve(FleetRun.JOURNAL));
        assertEquals(1, after.size());
        if (!before.isEmpty()) {
            assertEquals(before, after, "the user keeps the seed first assigned");
        }
        SeedEntry e = PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)), PskcProtection.none()).get(0);
        long step = FleetFixture.NOW / 30;
        assertEquals(Otp.hotp(e.algorithm(), e.secret(), step, 6),
                FleetFixture.tokenCode(sims.resolve(e.serial() + SimulatedFleet.SUFFIX), e, step, null));
    }

    /** A sink that fails the n-th write after writing half of it (a partial line), and everything after. */
    private static JournalSink fullAfter(JournalSink inner, int n, AtomicInteger writes) {
        return new JournalSink() {
            @Override
            public void write(ByteBuffer bytes) throws IOException {
                if (writes.incrementAndGet() >= n) {
                    ByteBuffer half = bytes.duplicate();
                    half.limit(half.position() + half.remaining() / 2);
                    inner.write(half);
                    throw new IOException("No space left on device");
                }
                inner.write(bytes);
            }

            @Override
            public void force() throws IOException {
                if (writes.get() >= n) {
                    throw new IOException("No space left on device");
                }
                inner.force();
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Test
    void aFullDiskUnderTheJournalStopsTheRunBeforeTheNextTokenIsWritten() throws Exception {
        Path out = tmp.resolve("out");
        Path sims = tmp.resolve("tokens");
        AtomicInteger writes = new AtomicInteger();
        // Writes: 1 header; token 1: 2 A, 3 W, 4 V; token 2: 5 A (with 3 and 4 in its sync) fails half-way.
        try (FleetRun run = FleetRun.start(out, FleetFixture.rows(3), FleetFixture.options(), false,
                s -> fullAfter(s, 5, writes))) {
            FleetResult r = run.provision(SimulatedFleet.open(sims, 3, 1), FleetListener.NONE);
            assertNotNull(r.stopped());
            assertTrue(r.stopped().contains("No space left on device"), r.stopped());
            assertEquals(1, r.verified());
            // Token 1's verification would have been made durable by token 2's binding, which failed:
            // so it is not reported done (the resume below finds it done, as its line is whole).
            assertEquals(List.of(), r.outcomes());
        }
        try (SimulatorTransport t = SimulatorTransport.open(sims.resolve((SimulatedFleet.FIRST_SERIAL + 1) + SimulatedFleet.SUFFIX))) {
            assertTrue(OathSession.open(t).list().isEmpty(), "no token is written without its journal record");
        }
        byte[] journal = Files.readAllBytes(out.resolve(FleetRun.JOURNAL));
        assertFalse(journal[journal.length - 1] == '\n', "the failed write left a torn line");

        try (FleetRun run = FleetRun.start(out, FleetFixture.rows(3), FleetFixture.options(), true)) {
            FleetResult r = run.provision(SimulatedFleet.open(sims, 3, 1), FleetListener.NONE);
            assertTrue(r.complete(), r.toString());
            assertEquals(List.of(Result.ALREADY_DONE, Result.PROVISIONED, Result.PROVISIONED),
                    r.outcomes().stream().map(TokenOutcome::result).toList());
        }
        assertEquals(3, FleetProvisionTest.seedsInJournal(out.resolve(FleetRun.JOURNAL)).size());
    }

    @Test
    void forceNewSeedReleasesARowWhoseTokenIsLost() throws Exception {
        Path out = tmp.resolve("out");
        AtomicInteger sent = new AtomicInteger();
        SimulatedFleet faulty = SimulatedFleet.open(tmp.resolve("a"), 1, 1, t -> FleetFixture.dyingAt(t, 3, true, sent));
        try (FleetRun run = FleetRun.start(out, FleetFixture.rows(1), FleetFixture.options(), false)) {
            assertEquals(1, run.provision(faulty, FleetListener.NONE).pending().size());
        }
        // The token is lost: another one (another serial) cannot take the bound row without --force-new-seed.
        Path other = tmp.resolve("b");
        SimulatorTransport.open(other.resolve("20000001.token"),
                io.totptoken.sim.SimulatedToken.Config.defaults().withSerial(20_000_001L)).close();
        try (FleetRun run = FleetRun.start(out, FleetFixture.rows(1), FleetFixture.options(), true)) {
            FleetResult r = run.provision(SimulatedFleet.open(other, 1, 1), FleetListener.NONE);
            assertEquals(Result.REFUSED, r.outcomes().get(0).result());
            assertTrue(r.outcomes().get(0).reason().contains("no manifest row"), r.outcomes().get(0).reason());
        }
        String oldSeed = FleetProvisionTest.seedsInJournal(out.resolve(FleetRun.JOURNAL)).get(SimulatedFleet.FIRST_SERIAL);
        try (FleetRun run = FleetRun.start(out, FleetFixture.rows(1), FleetFixture.options().withForceNewSeed(true), true)) {
            FleetResult r = run.provision(SimulatedFleet.open(other, 1, 1), FleetListener.NONE);
            assertEquals(Result.PROVISIONED, r.outcomes().get(0).result());
            assertEquals(1, run.ledger().verified().size());
            assertFalse(FleetProvisionTest.hex(run.ledger().verified().get(0).entry.secret()).equals(oldSeed),
                    "forced: a new seed");
        }
    }

    @Test
    void aHotpTokenWhoseCodeWasReadButNotRecordedIsFoundAheadOnResume() throws Exception {
        Path out = tmp.resolve("out");
        Path sims = tmp.resolve("tokens");
        FleetOptions hotp = FleetFixture.options().withType(io.totptoken.host.provisioning.OathType.HOTP);
        List<FleetRow> rows = Manifest.parse("account\nalice\n", null, io.totptoken.host.provisioning.OathType.HOTP, 30);
        AtomicInteger sent = new AtomicInteger();
        // APDU 4 is the CALCULATE: the token counts it (its counter moves to 1), the answer is lost.
        try (FleetRun run = FleetRun.start(out, rows, hotp, false)) {
            run.provision(SimulatedFleet.open(sims, 1, 1, t -> FleetFixture.dyingAt(t, 4, true, sent)), FleetListener.NONE);
        }
        try (FleetRun run = FleetRun.start(out, rows, hotp, true)) {
            FleetResult r = run.provision(SimulatedFleet.open(sims, 1, 1), FleetListener.NONE);
            assertEquals(Result.PROVISIONED, r.outcomes().get(0).result());
            assertEquals(1, r.outcomes().get(0).moving(), "the check found the token at counter 1, not 0");
            run.writeOutputs(FleetOutputs.Options.plain());
        }
        SeedEntry e = PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)), PskcProtection.none()).get(0);
        assertEquals(2, e.counter(), "the server expects counter 2 next");
        String next = FleetFixture.tokenCode(sims.resolve(e.serial() + SimulatedFleet.SUFFIX), e, 0, null);
        assertEquals(FleetFixture.oathtool(e, 2), next);
    }
}
