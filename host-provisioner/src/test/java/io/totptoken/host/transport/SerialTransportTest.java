package io.totptoken.host.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.session.ApduException;
import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.serial.DeviceIdentity;
import io.totptoken.serial.PtyPair;
import io.totptoken.sim.SimulatedToken;
import io.totptoken.sim.serial.SerialDevice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The host's SerialTransport against a simulated device on the other end of a pty pair. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerialTransportTest {
    static final byte[] SHA1_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SHA256_SEED = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SHA512_SEED = "1234567890".repeat(7).substring(0, 64).getBytes(StandardCharsets.US_ASCII);
    static final byte[] SELECT = {0x00, (byte) 0xA4, 0x04, 0x00, 0x07, (byte) 0xA0, 0x00, 0x00, 0x05, 0x27, 0x21, 0x01};

    @TempDir
    Path dir;

    @Test
    void helloTellsWhoIsOnTheLine() throws Exception {
        SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withSerial(4_000_000_001L));
        try (SerialRig rig = SerialRig.direct(dir, token); SerialTransport t = rig.open()) {
            DeviceIdentity id = t.identity();
            assertEquals(4_000_000_001L, id.serial());
            assertTrue(id.simulated() && id.button() && id.rtc());
            assertEquals(token.config().touchTimeoutMillis(), id.touchTimeoutMillis());
            assertEquals("serial port " + rig.hostPort(), t.description());
        }
    }

    @Test
    void addsAndComputesTheRfc6238VectorsOverTheLink() throws Exception {
        try (SerialRig rig = SerialRig.direct(dir, new SimulatedToken()); SerialTransport t = rig.open()) {
            OathSession s = OathSession.open(t);
            s.put(name("sha1"), CardCredential.TOTP, 1, 8, SHA1_SEED, false, 0, false);
            s.put(name("sha256"), CardCredential.TOTP, 2, 8, SHA256_SEED, false, 0, true);
            s.put(name("sha512"), CardCredential.TOTP, 3, 8, SHA512_SEED, false, 0, false);
            // RFC 6238 Appendix B, T = 59 s and T = 1111111109 s
            assertEquals("94287082", s.calculate(cred("sha1"), 59 / 30).value());
            assertEquals("46119246", s.calculate(cred("sha256"), 59 / 30).value());
            assertEquals("90693936", s.calculate(cred("sha512"), 59 / 30).value());
            assertEquals("07081804", s.calculate(cred("sha1"), 1111111109L / 30).value());
            assertEquals(3, s.list().size());
            assertEquals(0, t.stats().resends(), "a clean line needs no resends");
        }
    }

    @Test
    void longAnswersComeInPartsThroughTheLink() throws Exception {
        try (SerialRig rig = SerialRig.direct(dir, new SimulatedToken()); SerialTransport t = rig.open()) {
            TraceTransport counted = new TraceTransport(t, null);
            OathSession s = OathSession.open(new SendRemainingTransport(counted));
            for (int i = 0; i < 30; i++) {
                String n = String.format("Issuer number %02d:a.rather.long.account.name.%02d@example.com", i, i);
                s.put(name(n), CardCredential.TOTP, 1, 6, SHA1_SEED, false, 0, false);
            }
            int before = counted.count();
            List<CardCredential> all = s.list();
            assertEquals(30, all.size());
            assertTrue(counted.count() - before > 1, "LIST took SEND REMAINING");
            assertEquals(30, s.calculateAll(1).size());
        }
    }

    @Test
    void reportsATouchWaitAndTakesThePressFromTheHost() throws Exception {
        SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withButton(true, 5_000));
        try (SerialRig rig = SerialRig.direct(dir, token); SerialTransport t = rig.open()) {
            OathSession s = OathSession.open(t);
            s.put(name("touchy"), CardCredential.TOTP, 1, 8, SHA1_SEED, true, 0, false);
            CountDownLatch asked = new CountDownLatch(1);
            CountDownLatch pressed = new CountDownLatch(1);
            t.onTouchRequested(() -> {
                asked.countDown();
                assertNull(t.press(false), "the press goes to the waiting command");
            });
            t.onTouchPressed(pressed::countDown);
            assertEquals("94287082", s.calculate(cred("touchy"), 1).value());
            assertTrue(asked.await(1, TimeUnit.SECONDS));
            assertTrue(pressed.await(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void aTouchNobodyGivesEndsWithTheDevicesTimeout() throws Exception {
        SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withButton(true, 2_500));
        try (SerialRig rig = SerialRig.direct(dir, token); SerialTransport t = rig.open()) {
            OathSession s = OathSession.open(t);
            s.put(name("touchy"), CardCredential.TOTP, 1, 8, SHA1_SEED, true, 0, false);
            long start = System.nanoTime();
            ApduException e = assertThrows(ApduException.class, () -> s.calculate(cred("touchy"), 1));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(0x6982, e.sw());
            assertTrue(seconds > 2.4 && seconds < 4, "waited " + seconds + " s: longer than a retransmission timeout");
            assertEquals(0, t.stats().resends(), "keepalives kept the host from resending");
            assertEquals(1, s.list().size(), "the link is still up");
        }
    }

    @Test
    void aPressWithNothingWaitingReachesTheKeyfob() throws Exception {
        PtyPair pair = PtyPair.create(dir);
        SerialDevice device = new SerialDevice(new SimulatedToken()).buttonAction(l -> l ? "next: Example" : "Example 123456")
                .start(pair.a());
        try (SerialTransport t = SerialTransport.open(pair.b())) {
            assertTrue(t.identity().display());
            assertEquals("Example 123456", t.press(false));
            assertEquals("next: Example", t.press(true));
        } finally {
            device.stop();
            pair.close();
        }
    }

    @Test
    void opensPathsAsGivenAndSaysWhyNot() throws Exception {
        assertFalse(SerialTransport.ports().contains(dir.resolve("line/b").toString()), "ptys are never listed");
        TransportException missing = assertThrows(TransportException.class,
                () -> SerialTransport.open(dir.resolve("nothing-here").toString()));
        assertEquals("no serial port at " + dir.resolve("nothing-here") + " (no such file)", missing.getMessage());
        try (SerialRig rig = SerialRig.direct(dir, new SimulatedToken()); SerialTransport t = rig.open()) {
            TransportException busy = assertThrows(TransportException.class, rig::open);
            assertTrue(busy.getMessage().contains(rig.hostPort()) && busy.getMessage().contains("open"),
                    busy.getMessage());
            t.transmit(SELECT);
        }
    }

    @Test
    void nobodyOnTheLineFailsHelloWithinTheBound() throws Exception {
        try (PtyPair pair = PtyPair.create(dir)) {
            long start = System.nanoTime();
            TransportException e = assertThrows(TransportException.class, () -> SerialTransport.open(pair.b()));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals("the token on " + pair.b() + " does not answer (no reply in 2.0 s after 4 tries)", e.getMessage());
            assertTrue(seconds < 3.5, seconds + " s");
        }
    }

    @Test
    void aDeviceThatStopsAnsweringFailsWithinTheBoundAndTheLinkStaysDown() throws Exception {
        try (SerialRig rig = SerialRig.direct(dir, new SimulatedToken()); SerialTransport t = rig.open()) {
            t.transmit(SELECT);
            rig.device.stop();
            long start = System.nanoTime();
            TransportException e = assertThrows(TransportException.class, () -> t.transmit(SELECT));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals("the token on " + rig.hostPort() + " stopped answering (no reply in 2.0 s after 4 tries)",
                    e.getMessage());
            assertTrue(seconds < 3.5, seconds + " s");
            rig.device = new SerialDevice(rig.token).start(rig.devicePair.a());
            TransportException later = assertThrows(TransportException.class, () -> t.transmit(SELECT));
            assertTrue(later.getMessage().endsWith("open it again"), later.getMessage());
        }
    }

    @Test
    void aDeviceRestartIsNoticedAndReportedAsUnknownOutcome() throws Exception {
        try (SerialRig rig = SerialRig.direct(dir, new SimulatedToken())) {
            long session;
            try (SerialTransport t = rig.open()) {
                session = t.identity().session();
                t.transmit(SELECT);
                rig.device.stop();
                rig.device = new SerialDevice(rig.token).start(rig.devicePair.a());
                TransportException e = assertThrows(TransportException.class, () -> t.transmit(SELECT));
                assertEquals("the token on " + rig.hostPort()
                        + " restarted; the last command may or may not have been carried out: open it again", e.getMessage());
            }
            try (SerialTransport t = rig.open()) {
                assertNotEquals(session, t.identity().session());
            }
        }
    }

    @Test
    void aClosedLineFailsAtOnce() throws Exception {
        try (SerialRig rig = SerialRig.direct(dir, new SimulatedToken()); SerialTransport t = rig.open()) {
            rig.devicePair.close(); // socat gone: the host's end reads end-of-file
            Thread.sleep(200);
            long start = System.nanoTime();
            TransportException e = assertThrows(TransportException.class, () -> t.transmit(SELECT));
            assertEquals("the serial line to the token on " + rig.hostPort() + " closed (unplugged?)", e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    @Test
    void refusesACommandLargerThanTheDeviceTakesAndKeepsTheLink() throws Exception {
        try (SerialRig rig = SerialRig.direct(dir, new SimulatedToken()); SerialTransport t = rig.open()) {
            byte[] big = new byte[SerialDevice.MAX_PAYLOAD + 1];
            TransportException e = assertThrows(TransportException.class, () -> t.transmit(big));
            assertEquals("a command of 1025 bytes does not fit the token on " + rig.hostPort() + " (it takes 1 to 1024)",
                    e.getMessage());
            assertEquals(0x90, t.transmit(SELECT)[t.transmit(SELECT).length - 2] & 0xFF);
        }
    }

    static byte[] name(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static CardCredential cred(String name) {
        return new CardCredential(name(name), CardCredential.TOTP, 0);
    }
}
