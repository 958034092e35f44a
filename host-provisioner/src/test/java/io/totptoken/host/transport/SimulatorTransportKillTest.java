package io.totptoken.host.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.session.OathSession;
import io.totptoken.sim.SimulatedToken;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM saving a token over and over is SIGKILLed at random moments: the next open finds
 * a whole state (never a damaged one, never the backup) and no temporary file left behind.
 */
@Tag("slow")
class SimulatorTransportKillTest {
    @TempDir
    Path dir;

    @Test
    void aSaverKilledAtAnyMomentLeavesAWholeStateAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("token.sim");
        for (int round = 0; round < 3; round++) {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SaveLoopMain.class.getName(), file.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            Thread.sleep(ThreadLocalRandom.current().nextInt(50, 400));
            assertTrue(p.isAlive(), "the saver was still saving");
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue(), "killed by SIGKILL");

            List<String> notices = new ArrayList<>();
            try (SimulatorTransport t = SimulatorTransport.open(file, SimulatedToken.Config.defaults(),
                    SimulatorTransport.Opening.defaults().withNotices(notices::add))) {
                assertTrue(OathSession.open(t).list().size() <= 5);
            }
            assertEquals(List.of(), notices, "the file was whole: no recovery needed");
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of(), s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
            }
        }
    }
}
