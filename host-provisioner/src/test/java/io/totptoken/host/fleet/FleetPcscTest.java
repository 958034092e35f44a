package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.totptoken.host.fleet.TokenOutcome.Result;
import io.totptoken.host.provisioning.TokenTarget;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.simulated.VirtualReader;
import io.totptoken.host.transport.PcscTransport;
import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.host.transport.TransportException;
import io.totptoken.sim.SimulatedToken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single-reader station through the real PC/SC stack: pcscd with the vpcd driver (as .ci/run
 * starts it; TOKEN_SKIP_PCSC=1 skips this on a machine without them), vpcd's second slot
 * ("Virtual PCD 00 01", port 35964) serving simulated tokens one after another. The prompt
 * callback "inserts" the next token by serving the next state file.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FleetPcscTest {
    private static final String READER = "Virtual PCD 00 01";
    private static final int SLOT1_PORT = 35964;

    @TempDir
    Path tmp;

    private VirtualReader serve(Path file) {
        VirtualReader r = VirtualReader.open(TokenTarget.simulated(file)).start("127.0.0.1", SLOT1_PORT);
        assertTrue(r.awaitConnected(10_000), "vpcd did not connect: is pcscd running with vsmartcard-vpcd?");
        // pcscd polls its readers: wait until the card answers, as an operator waits for the reader's light.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (PcscTransport t = PcscTransport.open(READER)) {
                io.totptoken.host.session.OathSession.open(t); // answers a SELECT: the token is up
                return r;
            } catch (TransportException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Test
    void aSingleReaderStationAsksForEachNextToken() throws Exception {
        assumeFalse("1".equals(System.getenv("TOKEN_SKIP_PCSC")), "TOKEN_SKIP_PCSC=1");
        assertTrue(PcscTransport.readers().contains(READER), "no '" + READER + "' reader: is pcscd running with vsmartcard-vpcd?");
        boolean busy;
        try {
            PcscTransport.open(READER).close();
            busy = true;
        } catch (TransportException e) {
            busy = false;
        }
        // On a shared workstation another process may be serving this slot (tokenctl sim serve); CI has it to itself.
        assumeFalse(busy, "vpcd's second slot is in use by another process");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path f = tmp.resolve("tokens").resolve((30_000_001L + i) + SimulatedFleet.SUFFIX);
            SimulatorTransport.open(f, SimulatedToken.Config.defaults().withSerial(30_000_001L + i)).close();
            files.add(f);
        }
        VirtualReader[] current = {serve(files.get(0))};
        int[] next = {1};
        List<String> asked = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        InsertPrompt prompt = (lane, problem) -> {
            asked.add(lane + (problem == null ? "" : " | " + problem));
            try {
                current[0].close(); // the operator pulls the token...
                if (next[0] == files.size()) {
                    return false; // ...and has none left
                }
                current[0] = serve(files.get(next[0]++)); // ...and inserts the next one
                return true;
            } catch (Throwable e) {
                errors.add(e);
                return false;
            }
        };
        try (FleetRun run = FleetRun.start(tmp.resolve("out"), FleetFixture.rows(5), FleetFixture.options(), false)) {
            FleetResult r = run.provision(AttachedTokens.readers(List.of(READER), prompt), FleetListener.NONE);
            assertEquals(List.of(), errors);
            assertEquals(List.of(Result.PROVISIONED, Result.PROVISIONED, Result.PROVISIONED),
                    r.outcomes().stream().map(TokenOutcome::result).toList(), r.outcomes() + " " + asked);
            assertEquals(List.of(30_000_001L, 30_000_002L, 30_000_003L),
                    r.outcomes().stream().map(TokenOutcome::serial).toList());
            assertEquals(3, asked.size());
            assertTrue(asked.get(0).contains(READER), asked.get(0));
        } finally {
            current[0].close();
        }
    }
}
