package io.totptoken.host.fleet;

import static io.totptoken.host.fleet.FleetFixture.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.host.transport.TraceTransport;
import io.totptoken.sim.Keyfob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fleet with a daily period: each token learns the period (tag D2), so its keyfob shows oathtool's code. */
class FleetPeriodTest {
    @TempDir
    Path tmp;

    @Test
    void aDailyPeriodReachesEveryTokensKeyfob() throws Exception {
        Path out = tmp.resolve("seeds");
        Path sims = tmp.resolve("tokens");
        List<FleetRow> rows = Manifest.parse(FleetFixture.manifest(2), null, OathType.TOTP, 86400);
        List<String> wire = Collections.synchronizedList(new ArrayList<>());
        SimulatedFleet fleet = SimulatedFleet.open(sims, 2, 1, t -> new TraceTransport(t, wire::add));
        try (FleetRun run = FleetRun.start(out, rows, FleetFixture.options().withPeriod(86400), false)) {
            assertEquals(2, run.provision(fleet, FleetListener.NONE).verified());
            run.writeOutputs(FleetOutputs.Options.plain());
        }
        List<String> puts = wire.stream().filter(l -> l.startsWith("> 0001")).toList();
        assertEquals(2, puts.size(), wire.toString());
        assertTrue(puts.stream().allMatch(l -> l.contains("d20400015180")), "86400 s in tag D2: " + puts);
        for (SeedEntry e : PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)), PskcProtection.none())) {
            assertEquals(86400, e.period());
            try (SimulatorTransport t = SimulatorTransport.open(sims.resolve(e.serial() + SimulatedFleet.SUFFIX))) {
                OathSession.open(t).setClock(NOW, true); // 6,400 s before the day's step ends
                Keyfob.Display shown = new Keyfob(t.token()).press();
                assertEquals(FleetFixture.oathtool(e, NOW), shown.code(), "token " + e.serial() + ": " + shown);
            }
        }
    }
}
