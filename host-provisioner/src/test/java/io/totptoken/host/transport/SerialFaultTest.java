package io.totptoken.host.transport;

import static io.totptoken.host.transport.SerialTransportTest.SHA1_SEED;
import static io.totptoken.host.transport.SerialTransportTest.SHA256_SEED;
import static io.totptoken.host.transport.SerialTransportTest.cred;
import static io.totptoken.host.transport.SerialTransportTest.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.sim.SimulatedToken;
import io.totptoken.sim.serial.SerialDevice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The link through a bad cable ({@link SerialFaultRelay}): every operation completes with the
 * right answer or fails with a one-line TransportException within its bound; a retried command
 * never runs twice; a cable pulled in the middle of any mutating command leaves the old or the
 * new state, never a mix.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("slow")
class SerialFaultTest {
    private static final SerialTransport.Options QUICK =
            SerialTransport.Options.defaults().withRetransmit(Duration.ofMillis(300));
    /** Tries x retransmission timeout + the device's longest command + 1 s, and scheduling slack. */
    private static final long BOUND_MS = 4 * 300 + SerialDevice.MAX_COMMAND_MILLIS + 1_000 + 1_000;

    @TempDir
    Path dir;

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("flipped bits", new SerialFaultRelay.Faults(0.002, 0, 0, 0, 0, 0)),
                Arguments.of("flipped bits", new SerialFaultRelay.Faults(0.01, 0, 0, 0, 0, 0)),
                Arguments.of("dropped bytes", new SerialFaultRelay.Faults(0, 0.002, 0, 0, 0, 0)),
                Arguments.of("dropped bytes", new SerialFaultRelay.Faults(0, 0.01, 0, 0, 0, 0)),
                Arguments.of("duplicated bytes", new SerialFaultRelay.Faults(0, 0, 0.002, 0, 0, 0)),
                Arguments.of("duplicated bytes", new SerialFaultRelay.Faults(0, 0, 0.01, 0, 0, 0)),
                Arguments.of("truncated frames", new SerialFaultRelay.Faults(0, 0, 0, 0.05, 0, 0)),
                Arguments.of("truncated frames", new SerialFaultRelay.Faults(0, 0, 0, 0.25, 0, 0)),
                Arguments.of("frames sent twice", new SerialFaultRelay.Faults(0, 0, 0, 0, 0.1, 0)),
                Arguments.of("frames sent twice", new SerialFaultRelay.Faults(0, 0, 0, 0, 0.6, 0)),
                Arguments.of("garbage between frames", new SerialFaultRelay.Faults(0, 0, 0, 0, 0, 0.1)),
                Arguments.of("garbage between frames", new SerialFaultRelay.Faults(0, 0, 0, 0, 0, 0.5)),
                Arguments.of("everything", new SerialFaultRelay.Faults(0.002, 0.002, 0.002, 0.05, 0.1, 0.1)),
                Arguments.of("everything", new SerialFaultRelay.Faults(0.005, 0.005, 0.005, 0.1, 0.2, 0.2)),
                // beyond what the tries can hide: some operations fail, each clearly and in time
                Arguments.of("a ruined cable", new SerialFaultRelay.Faults(0.02, 0.02, 0.02, 0.3, 0.3, 0.3)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("faults")
    void everyOperationCompletesRightOrFailsClearlyInTime(String kind, SerialFaultRelay.Faults faults) throws Exception {
        try (SerialRig rig = SerialRig.relayed(dir, new SimulatedToken(), kind.hashCode() ^ faults.hashCode())) {
            try (SerialTransport t = rig.open()) {
                OathSession s = OathSession.open(t);
                s.put(name("hotp"), CardCredential.HOTP, 1, 6, SHA1_SEED, false, 0, false);
            }
            rig.relay.faults(faults);
            Map<String, Integer> hotpCounter = hotpCodes(SHA1_SEED, 200);
            Set<String> added = new HashSet<>();
            Set<String> maybe = new HashSet<>();
            List<Integer> counters = new ArrayList<>();
            int hotpFailures = 0;
            int failures = 0;
            Link link = new Link(rig);
            for (int i = 0; i < 16; i++) {
                String n = "c" + i;
                int op = i % 3;
                boolean ok = link.run(s -> {
                    switch (op) {
                        case 0 -> s.put(name(n), CardCredential.TOTP, 1, 8, SHA1_SEED, false, 0, false);
                        case 1 -> counters.add(hotpCounter.get(s.calculate(new CardCredential(name("hotp"),
                                CardCredential.HOTP, 1), 0).value()));
                        default -> {
                            for (CardCredential c : s.list()) {
                                String listed = c.nameText();
                                assertTrue(listed.equals("hotp") || added.contains(listed) || maybe.contains(listed),
                                        "LIST shows " + listed);
                            }
                            for (String a : added) {
                                assertEquals("94287082", s.calculate(cred(a), 1).value());
                            }
                        }
                    }
                });
                if (!ok) {
                    failures++;
                    if (op == 0) {
                        maybe.add(n);
                    } else if (op == 1) {
                        hotpFailures++;
                        counters.add(null);
                    }
                } else if (op == 0) {
                    added.add(n);
                }
            }
            rig.relay.faults(SerialFaultRelay.Faults.NONE);
            link.close();
            try (SerialTransport t = rig.open()) {
                OathSession s = OathSession.open(t);
                Set<String> listed = new HashSet<>();
                for (CardCredential c : s.list()) {
                    listed.add(c.nameText());
                }
                assertTrue(listed.containsAll(added), "every credential added is there");
                for (String n : listed) {
                    assertTrue(n.equals("hotp") || added.contains(n) || maybe.contains(n), n);
                    if (!n.equals("hotp")) {
                        assertEquals("94287082", s.calculate(cred(n), 1).value(), "no partial credential: " + n);
                    }
                }
                int next = hotpCounter.get(s.calculate(new CardCredential(name("hotp"), CardCredential.HOTP, 1), 0).value());
                checkCounters(counters, next);
            }
            System.out.printf("%s %s: %d failures in 16 operations, %d frames spoiled%n", kind, faults, failures,
                    rig.relay.framesSpoiled.get());
            assertTrue(hotpFailures <= failures);
        }
    }

    @Test
    void retriedCommandsNeverRunTwice() throws Exception {
        try (SerialRig rig = SerialRig.relayed(dir, new SimulatedToken(), 7)) {
            rig.relay.faults(new SerialFaultRelay.Faults(0, 0, 0, 0.2, 0.5, 0));
            try (SerialTransport t = rig.open(SerialTransport.Options.defaults().withTries(10))) {
                TraceTransport counted = new TraceTransport(t, null);
                long before = rig.device.stats().commandsExecuted();
                OathSession s = OathSession.open(counted);
                s.put(name("hotp"), CardCredential.HOTP, 1, 6, SHA1_SEED, false, 0, false);
                Map<String, Integer> hotpCounter = hotpCodes(SHA1_SEED, 100);
                for (int i = 0; i < 20; i++) {
                    CardCredential hotp = new CardCredential(name("hotp"), CardCredential.HOTP, 1);
                    assertEquals(i, hotpCounter.get(s.calculate(hotp, 0).value()), "the counter moved once per code");
                    s.put(name("same"), CardCredential.TOTP, 1, 8, SHA1_SEED, false, 0, false);
                }
                s.setPassword("pw".toCharArray());
                for (int i = 0; i < 5; i++) {
                    OathSession again = OathSession.open(counted);
                    again.unlock("pw".toCharArray()); // a VALIDATE run twice would answer 6985 the second time
                }
                assertTrue(t.stats().resends() > 10, "the faults made the host resend: " + t.stats());
                assertTrue(rig.device.stats().repeatsAnswered() > 10, "and the device answered repeats");
                assertEquals(counted.count(), rig.device.stats().commandsExecuted() - before,
                        "the device ran exactly the commands the host sent");
            }
        }
    }

    enum Command { PUT, DELETE, RENAME, SET_CODE, RESET }

    static Stream<Arguments> pulls() {
        return Stream.of(Command.values()).flatMap(c -> Stream.of(SerialFaultRelay.Point.values())
                .map(p -> Arguments.of(c, p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pulls")
    void aCablePulledDuringACommandLeavesTheOldOrTheNewState(Command command, SerialFaultRelay.Point point)
            throws Exception {
        try (SerialRig rig = SerialRig.relayed(dir, new SimulatedToken(), 1)) {
            try (SerialTransport t = rig.open(QUICK)) {
                OathSession s = OathSession.open(t);
                s.put(name("old"), CardCredential.TOTP, 1, 8, SHA1_SEED, false, 0, false);
                s.put(name("other"), CardCredential.TOTP, 1, 8, SHA1_SEED, false, 0, false);
                rig.relay.pullDuring(ins(command), point);
                long start = System.nanoTime();
                TransportException e = assertThrows(TransportException.class, () -> run(command, s));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(e.getMessage().startsWith("the token on " + rig.hostPort() + " stopped answering"),
                        e.getMessage());
                assertTrue(ms < 4 * 300 + SerialDevice.MAX_COMMAND_MILLIS + 1_000, ms + " ms");
            }
            rig.relay.replug();
            boolean ran = point != SerialFaultRelay.Point.MID_REQUEST;
            try (SerialTransport t = rig.open(QUICK)) {
                OathSession s = OathSession.open(t);
                assertEquals(ran && command == Command.SET_CODE, s.locked());
                if (s.locked()) {
                    s.unlock("pw".toCharArray());
                }
                Set<String> names = new HashSet<>();
                for (CardCredential c : s.list()) {
                    names.add(c.nameText());
                }
                Set<String> expected = switch (command) {
                    case PUT -> ran ? Set.of("old", "other", "new") : Set.of("old", "other");
                    case DELETE -> ran ? Set.of("other") : Set.of("old", "other");
                    case RENAME -> ran ? Set.of("renamed", "other") : Set.of("old", "other");
                    case SET_CODE -> Set.of("old", "other");
                    case RESET -> ran ? Set.of() : Set.of("old", "other");
                };
                assertEquals(expected, names);
                for (String n : names) {
                    assertEquals(n.equals("new") ? "46119246" : "94287082", s.calculate(cred(n), 1).value(), n);
                }
            }
        }
    }

    @Test
    void aCablePulledForGoodFailsEveryCallInTime() throws Exception {
        try (SerialRig rig = SerialRig.relayed(dir, new SimulatedToken(), 3)) {
            try (SerialTransport t = rig.open(QUICK)) {
                OathSession s = OathSession.open(t);
                rig.relay.pull();
                long start = System.nanoTime();
                TransportException e = assertThrows(TransportException.class, s::list);
                assertEquals("the token on " + rig.hostPort() + " stopped answering (no reply in 1.2 s after 4 tries)",
                        e.getMessage());
                assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2_500));
                assertThrows(TransportException.class, s::list);
            }
            TransportException reopen = assertThrows(TransportException.class, () -> rig.open(QUICK));
            assertTrue(reopen.getMessage().contains("does not answer"), reopen.getMessage());
        }
    }

    private static void run(Command c, OathSession s) {
        switch (c) {
            case PUT -> s.put(name("new"), CardCredential.TOTP, 2, 8, SHA256_SEED, false, 0, false);
            case DELETE -> s.delete(name("old"));
            case RENAME -> s.rename(name("old"), name("renamed"));
            case SET_CODE -> s.setPassword("pw".toCharArray());
            case RESET -> s.reset();
        }
    }

    private static int ins(Command c) {
        return switch (c) {
            case PUT -> 0x01;
            case DELETE -> 0x02;
            case SET_CODE -> 0x03;
            case RESET -> 0x04;
            case RENAME -> 0x05;
        };
    }

    /**
     * HOTP counters seen by successful CALCULATEs, null for a failed one: each success is one
     * more than the last, plus at most the failures between them (a failed one may have run).
     */
    private static void checkCounters(List<Integer> counters, int next) {
        int expected = 0;
        int unknown = 0;
        for (Integer c : counters) {
            if (c == null) {
                unknown++;
                continue;
            }
            assertTrue(c >= expected && c <= expected + unknown, "counter " + c + " after " + expected + " with "
                    + unknown + " failures: " + counters);
            expected = c + 1;
            unknown = 0;
        }
        assertTrue(next >= expected && next <= expected + unknown, "final counter " + next + ": " + counters);
    }

    /** HOTP code (RFC 4226, SHA-1, 6 digits) to counter, for the first n counters. */
    static Map<String, Integer> hotpCodes(byte[] key, int n) throws Exception {
        Map<String, Integer> m = new HashMap<>();
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        for (int c = 0; c < n; c++) {
            byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(c).array());
            int o = h[19] & 0xF;
            int v = ((h[o] & 0x7F) << 24) | ((h[o + 1] & 0xFF) << 16) | ((h[o + 2] & 0xFF) << 8) | (h[o + 3] & 0xFF);
            m.put(String.format("%06d", v % 1_000_000), c);
        }
        return m;
    }

    /** A connection that is opened again after each failure, as a user would run the command again. */
    private static final class Link {
        private final SerialRig rig;
        private SerialTransport transport;
        private OathSession session;

        Link(SerialRig rig) {
            this.rig = rig;
        }

        interface Op {
            void run(OathSession s);
        }

        /** Runs the operation; false when it failed with a clear TransportException in time. */
        boolean run(Op op) {
            long start = System.nanoTime();
            try {
                if (session == null) {
                    transport = timed(() -> rig.open(QUICK));
                    session = timed(() -> OathSession.open(transport));
                }
                timed(() -> {
                    op.run(session);
                    return null;
                });
                return true;
            } catch (TransportException e) {
                assertFalse(e.getMessage().isBlank() || e.getMessage().contains("\n"), e.getMessage());
                System.out.println("  failed: " + e.getMessage());
                close();
                return false;
            } catch (RuntimeException e) {
                fail("not a TransportException after " + (System.nanoTime() - start) / 1_000_000 + " ms", e);
                return false;
            }
        }

        private static <T> T timed(Supplier<T> step) {
            long start = System.nanoTime();
            try {
                return step.get();
            } finally {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms <= BOUND_MS, "a step took " + ms + " ms, more than its bound");
            }
        }

        void close() {
            if (transport != null) {
                transport.close();
            }
            transport = null;
            session = null;
        }
    }
}
