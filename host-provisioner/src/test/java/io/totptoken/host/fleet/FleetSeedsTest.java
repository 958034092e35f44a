package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.fleet.TokenOutcome.Result;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.transport.SimulatorTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --seeds: a vendor's seed file written to tokens by serial, and audited afterwards. */
class FleetSeedsTest {
    @TempDir
    Path tmp;

    private static List<SeedEntry> vendorSeeds(int n) {
        List<SeedEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long serial = SimulatedFleet.FIRST_SERIAL + i;
            out.add(new SeedEntry(Long.toString(serial), OathType.TOTP, i % 2 == 0 ? HashAlgorithm.SHA256 : HashAlgorithm.SHA1,
                    i % 3 == 0 ? 8 : 6, 30, 0, "Vendor", "token" + i, "", "", "", Ledger.generate(HashAlgorithm.SHA256)));
        }
        return out;
    }

    @Test
    void writesAnEncryptedPskcsSeedsByTokenSerialAndAuditsThem() throws Exception {
        Path seedFile = tmp.resolve("vendor.pskc");
        char[] password = "vendor password".toCharArray();
        Files.write(seedFile, PskcWriter.write(vendorSeeds(6), new PskcProtection.Password(password, 1000)));
        List<SeedEntry> entries = SeedFiles.read(seedFile, new PskcProtection.Password(password, 0));
        List<FleetRow> rows = SeedRows.rows(entries, null);
        Path sims = tmp.resolve("tokens");
        Path out = tmp.resolve("out");
        try (FleetRun run = FleetRun.start(out, rows, FleetFixture.options(), false)) {
            // Workers take tokens in any order; each gets the entry of its own serial.
            FleetResult r = run.provision(SimulatedFleet.open(sims, 6, 2), FleetListener.NONE);
            assertTrue(r.complete(), r.toString());
            run.writeOutputs(FleetOutputs.Options.plain());
        }
        FleetVerifier verifier = new FleetVerifier(entries, null, FleetFixture.CLOCK);
        List<TokenOutcome> audit = verifier.verify(SimulatedFleet.open(sims, 6, 2), FleetListener.NONE);
        assertEquals(6, audit.size());
        assertTrue(audit.stream().allMatch(o -> o.result() == Result.PROVISIONED), audit.toString());
        for (SeedEntry e : entries) {
            long step = FleetFixture.NOW / 30;
            assertEquals(FleetFixture.oathtool(e, FleetFixture.NOW),
                    FleetFixture.tokenCode(sims.resolve(e.serial() + SimulatedFleet.SUFFIX), e, step, null));
        }
    }

    @Test
    void theAuditReportsWrongSeedsMissingSerialsAndSkipsHotpWithoutWriting() throws Exception {
        Path sims = tmp.resolve("tokens");
        List<SeedEntry> seeds = vendorSeeds(3);
        try (FleetRun run = FleetRun.start(tmp.resolve("out"), SeedRows.rows(seeds, null), FleetFixture.options(), false)) {
            assertTrue(run.provision(SimulatedFleet.open(sims, 3, 1), FleetListener.NONE).complete());
        }
        SeedEntry first = seeds.get(0);
        SeedEntry wrong = new SeedEntry(first.serial(), first.type(), first.algorithm(), first.digits(), first.period(), 0,
                first.issuer(), first.account(), "", "", "", Ledger.generate(HashAlgorithm.SHA256));
        SeedEntry hotp = new SeedEntry(seeds.get(1).serial(), OathType.HOTP, HashAlgorithm.SHA1, 6, 30, 0, null, "h",
                "", "", "", new byte[20]);
        byte[] before = Files.readAllBytes(sims.resolve(first.serial() + SimulatedFleet.SUFFIX));
        List<TokenOutcome> audit = new FleetVerifier(List.of(wrong, hotp), null, FleetFixture.CLOCK)
                .verify(SimulatedFleet.open(sims, 3, 1), FleetListener.NONE);
        assertEquals(Result.FAILED, audit.get(0).result());
        assertTrue(audit.get(0).reason().contains("no credential"), audit.get(0).reason());
        assertEquals(Result.REFUSED, audit.get(1).result());
        assertTrue(audit.get(1).reason().contains("HOTP"), audit.get(1).reason());
        assertEquals(Result.FAILED, audit.get(2).result());
        assertTrue(audit.get(2).reason().contains("no entry"), audit.get(2).reason());
        try (SimulatorTransport t = SimulatorTransport.open(sims.resolve(first.serial() + SimulatedFleet.SUFFIX))) {
            assertEquals(1, OathSession.open(t).list().size());
        }
        assertEquals(before.length, Files.readAllBytes(sims.resolve(first.serial() + SimulatedFleet.SUFFIX)).length);
    }

    @Test
    void aManifestWithSeedsNeedsASerialFoundInTheFile() {
        List<FleetRow> manifest = Manifest.parse("account,serial\nalice,10000001\nbob,\ncarol,42\n", null, OathType.TOTP, 30);
        ManifestException e = assertThrows(ManifestException.class, () -> SeedRows.rows(vendorSeeds(2), manifest));
        assertEquals(List.of("line 3: with --seeds every row needs the serial of its token",
                "line 4: the seed file has no entry for serial 42"), e.problems());
        List<FleetRow> ok = SeedRows.rows(vendorSeeds(2), manifest.subList(0, 1));
        assertEquals("alice", ok.get(0).account());
        assertEquals(HashAlgorithm.SHA256, ok.get(0).params().algorithm());
    }
}
