package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.fleet.TokenOutcome.Result;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.simulated.SimulatedFleet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal written by tokenctl before the journal records were typed (journal-v1.log, made with
 * the classes of that time over journal-v1-users.csv) still resumes: an existing run must survive
 * an upgrade. It holds every kind of record: the header, a verified token, a written token that
 * failed (its reason escaped), a released row with its seed kept, a refused token, and the kept
 * seed bound again to another token.
 */
class SampleJournalResumeTest {
    private static final String SEED_1 = "cd9003024768cec2fa3ff6921f90d446e99673a1";
    private static final String SEED_2 = "4bb9fbf2102cb436a580ecbd8dc7d081c3aca447";
    private static final String SEED_3 = "4c9ac1700c1da46d0e7b1818e15e5e07ad18ed69";

    @TempDir
    Path tmp;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SampleJournalResumeTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    private List<FleetRow> rows() throws IOException {
        return Manifest.parse(new String(resource("journal-v1-users.csv"), StandardCharsets.UTF_8), null,
                OathType.TOTP, 30);
    }

    private Path outWithSample() throws IOException {
        Path out = PrivateFiles.directory(tmp.resolve("seeds"));
        Files.write(out.resolve(FleetRun.JOURNAL), resource("journal-v1.log"));
        return out;
    }

    @Test
    void theSampleResumesIntoTheStateItRecords() throws Exception {
        try (FleetRun run = FleetRun.start(outWithSample(), rows(), FleetFixture.options(), true)) {
            Ledger l = run.ledger();
            assertEquals(6, l.rows());
            assertEquals(1, l.verifiedCount());
            Assignment verified = l.verified().get(0);
            assertEquals(10000001L, verified.serial());
            assertEquals(2, verified.row().line());
            assertEquals(SEED_1, HexFormat.of().formatHex(verified.output().secret()));
            assertEquals("user001", verified.output().user());
            assertEquals("Example", verified.output().issuer());
            assertEquals("123456", verified.code);
            assertEquals(FleetFixture.NOW / 30, verified.moving);
            assertEquals(FleetFixture.NOW, verified.checkedAt);

            List<Assignment> pending = l.pending();
            assertEquals(List.of(10000002L, 10000005L), pending.stream().map(Assignment::serial).toList());
            assertEquals(Assignment.State.FAILED, pending.get(0).state());
            assertEquals("the token was pulled\tat APDU 3 (100% sure)\nretry", pending.get(0).failure());
            assertEquals(Assignment.State.WRITTEN, pending.get(1).state());
            assertEquals(4, pending.get(1).row().line(), "the released row went to the next token");
            assertEquals(SEED_3, HexFormat.of().formatHex(pending.get(1).output().secret()), "with the kept seed");

            assertEquals(Map.of(10000004L, "no TOKEN INFO"), l.refusals());
            Assignment released = l.all().stream().filter(a -> a.serial() == 10000003L).findFirst().orElseThrow();
            assertEquals(Assignment.State.RELEASED, released.state());
            assertEquals("the token refused the PUT", released.failure());
            assertEquals(3, l.freeRows());
        }
    }

    @Test
    void theSampleRunFinishesWithTheSeedsItRecords() throws Exception {
        Path out = outWithSample();
        Path sims = tmp.resolve("tokens");
        try (FleetRun run = FleetRun.start(out, rows(), FleetFixture.options(), true)) {
            FleetResult r = run.provision(SimulatedFleet.open(sims, 7, 1), FleetListener.NONE);
            assertTrue(r.complete(), r.toString());
            assertEquals(6, r.verified());
            Map<Long, Result> results = r.outcomes().stream()
                    .collect(Collectors.toMap(TokenOutcome::serial, TokenOutcome::result));
            assertEquals(Result.ALREADY_DONE, results.get(10000001L));
            assertEquals(Result.PROVISIONED, results.get(10000002L));
            assertEquals(Result.PROVISIONED, results.get(10000005L));
            run.writeOutputs(FleetOutputs.Options.plain());
        }
        Map<String, SeedEntry> pskc = PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)),
                PskcProtection.none()).stream().collect(Collectors.toMap(SeedEntry::serial, e -> e));
        assertEquals(6, pskc.size());
        assertArrayEquals(HexFormat.of().parseHex(SEED_1), pskc.get("10000001").secret());
        assertArrayEquals(HexFormat.of().parseHex(SEED_2), pskc.get("10000002").secret());
        assertArrayEquals(HexFormat.of().parseHex(SEED_3), pskc.get("10000005").secret());
        assertEquals("user003@example.com", pskc.get("10000005").account());
        // The failed token got the journal's seed again, and answers with it.
        SeedEntry e = pskc.get("10000002");
        assertEquals(Otp.hotp(e.algorithm(), e.secret(), FleetFixture.NOW / 30, e.digits()),
                FleetFixture.tokenCode(sims.resolve("10000002" + SimulatedFleet.SUFFIX), e, FleetFixture.NOW / 30, null));
    }
}
