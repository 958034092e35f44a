package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.sim.SimulatedToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens beyond what the rows need are never taken; a lane that finds the rows spoken for waits for the others. */
class SpareTokensTest {
    @TempDir
    Path tmp;

    /** Lanes like readers (one token each, no prompt) whose tokens are simulated files; records which were opened. */
    private AttachedTokens lanes(List<String> files, Set<String> opened) {
        return AttachedTokens.of(files, "reader", name -> {
            opened.add(name);
            long serial = Long.parseLong(Path.of(name).getFileName().toString().replace(SimulatedFleet.SUFFIX, ""));
            return SimulatorTransport.open(Path.of(name), SimulatedToken.Config.defaults().withSerial(serial));
        }, InsertPrompt.UNATTENDED);
    }

    private String token(long serial) {
        return tmp.resolve(serial + SimulatedFleet.SUFFIX).toString();
    }

    @Test
    void readersBeyondTheRowsAreNeverOpened() {
        Set<String> opened = ConcurrentHashMap.newKeySet();
        List<String> three = List.of(token(1), token(2), token(3));
        try (FleetRun run = FleetRun.start(tmp.resolve("out"), FleetFixture.rows(1), FleetFixture.options(), false)) {
            FleetResult r = run.provision(lanes(three, opened), FleetListener.NONE);
            assertTrue(r.complete(), r.toString());
            assertEquals(1, r.outcomes().size(), r.toString());
            assertEquals(1, opened.size(), "only one token was opened: " + opened);
            assertEquals(2, r.notNeeded());
        }
    }

    @Test
    void aRefusedTokenFreesItsRowForALaneThatWaited() {
        // Token 1 already holds a credential: refused without --reset. Token 2 is fresh.
        try (SimulatorTransport t = SimulatorTransport.open(Path.of(token(1)), SimulatedToken.Config.defaults().withSerial(1))) {
            OathSession.open(t).put("old".getBytes(StandardCharsets.UTF_8), CardCredential.TOTP, 1, 6, new byte[20], false, 0,
                    false);
        }
        Set<String> opened = ConcurrentHashMap.newKeySet();
        try (FleetRun run = FleetRun.start(tmp.resolve("out"), FleetFixture.rows(1), FleetFixture.options(), false)) {
            FleetResult r = run.provision(lanes(List.of(token(1), token(2)), opened), FleetListener.NONE);
            assertEquals(1, r.verified(), r.toString());
            assertEquals(2L, run.ledger().verified().get(0).serial(), "the row went to the fresh token");
        }
    }
}
