package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.transport.SimulatorTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run in a child JVM, SIGKILLed (Process.destroyForcibly) twice at random points inside its
 * work, then resumed to the end: the outputs and the journal agree, every user has exactly one
 * seed on exactly one token, and every token's code equals its seed's code and oathtool's.
 */
@Tag("slow")
class FleetKillTest {
    private static final int TOKENS = 30;

    @TempDir
    Path tmp;

    private Process child(Path manifest, Path out, Path sims, String mode, long delay) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FleetCrashMain.class.getName(),
                manifest.toString(), out.toString(), sims.toString(), Integer.toString(TOKENS), "2", mode,
                Long.toString(delay));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(mode + ".log").toFile()).start();
    }

    private static int verifiedInJournal(Path journal) throws Exception {
        if (!Files.exists(journal)) {
            return 0;
        }
        List<JournalRecord> records = new ArrayList<>();
        Journal.replay(Files.readAllBytes(journal), records);
        return (int) records.stream().filter(r -> r instanceof JournalRecord.Verified).count();
    }

    /** Starts a run and kills it once the journal has {@code after} verified tokens, plus a random moment. */
    private void runAndKill(Path manifest, Path out, Path sims, String mode, int after) throws Exception {
        Process p = child(manifest, out, sims, mode, 3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (verifiedInJournal(out.resolve(FleetRun.JOURNAL)) < after && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 40));
        assertTrue(p.isAlive(), "the run ended before it could be killed: " + Files.readString(tmp.resolve(mode + ".log")));
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    @Test
    void aRunKilledTwiceResumesWithEveryUserOnExactlyOneToken() throws Exception {
        Path manifest = tmp.resolve("users.csv");
        Files.writeString(manifest, FleetFixture.manifest(TOKENS));
        Path out = tmp.resolve("seeds");
        Path sims = tmp.resolve("tokens");
        runAndKill(manifest, out, sims, "new", 4);
        runAndKill(manifest, out, sims, "resume", 14);

        Process last = child(manifest, out, sims, "resume", 0);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("resume.log"));
        assertEquals(0, last.exitValue(), log);
        assertTrue(log.contains("verified " + TOKENS + " of " + TOKENS), log);

        // The journal: one live assignment per row and per serial, all verified.
        List<JournalRecord> records = new ArrayList<>();
        Journal.replay(Files.readAllBytes(out.resolve(FleetRun.JOURNAL)), records);
        Map<Long, String> seedBySerial = new HashMap<>();
        Set<Integer> rows = new HashSet<>();
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.Assigned a) {
                assertEquals(null, seedBySerial.put(a.serial(), HexFormat.of().formatHex(a.seed())),
                        "a serial assigned twice");
                assertTrue(rows.add(a.line()), "a row assigned twice: " + a.line());
            }
            assertTrue(!(r instanceof JournalRecord.Released), "nothing was released");
        }
        assertEquals(TOKENS, seedBySerial.size());

        // The outputs agree with the journal, and every token with the outputs and oathtool.
        List<SeedEntry> pskc = PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)), PskcProtection.none());
        List<SeedEntry> pi = ServerCsv.read(Files.readString(out.resolve(FleetOutputs.PRIVACYIDEA)));
        assertEquals(TOKENS, pskc.size());
        assertEquals(TOKENS, pi.size());
        Set<String> users = new HashSet<>();
        Map<String, SeedEntry> piBySerial = new HashMap<>();
        pi.forEach(e -> piBySerial.put(e.serial(), e));
        long step = FleetFixture.NOW / 30;
        for (SeedEntry e : pskc) {
            assertTrue(users.add(e.account()), "one seed per user: " + e.account());
            assertEquals(seedBySerial.get(Long.parseLong(e.serial())), HexFormat.of().formatHex(e.secret()));
            assertArrayEquals(e.secret(), piBySerial.get(e.serial()).secret());
            String host = Otp.hotp(e.algorithm(), e.secret(), step, 6);
            assertEquals(host, FleetFixture.tokenCode(sims.resolve(e.serial() + SimulatedFleet.SUFFIX), e, step, null));
            assertEquals(host, FleetFixture.oathtool(e, FleetFixture.NOW));
        }
        // No token holds more than its one credential.
        for (Path f : SimulatedFleet.open(sims, TOKENS, 1).files()) {
            try (SimulatorTransport t = SimulatorTransport.open(f)) {
                List<CardCredential> creds = OathSession.open(t).list();
                assertEquals(1, creds.size(), f + ": " + creds);
                assertTrue(creds.get(0).nameText().startsWith("Example:user"), creds.get(0).nameText());
            }
        }
        String report = Files.readString(out.resolve(FleetOutputs.REPORT), StandardCharsets.UTF_8);
        assertEquals(TOKENS, report.lines().filter(l -> l.contains(",verified,")).count(), report);
    }
}
