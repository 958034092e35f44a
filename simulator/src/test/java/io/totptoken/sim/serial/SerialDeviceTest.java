package io.totptoken.sim.serial;

import static io.totptoken.serial.SerialProtocol.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.serial.DeviceIdentity;
import io.totptoken.serial.Frame;
import io.totptoken.serial.FrameCodec;
import io.totptoken.serial.PtyPair;
import io.totptoken.sim.SimulatedToken;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The device end alone, driven frame by frame from the other end of a pty pair. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerialDeviceTest {
    static final byte[] SELECT = {0x00, (byte) 0xA4, 0x04, 0x00, 0x07, (byte) 0xA0, 0x00, 0x00, 0x05, 0x27, 0x21, 0x01};
    static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    private PtyPair pair;
    private SerialDevice device;
    private LinkClient host;

    private void serve(SimulatedToken token, SerialDevice.ButtonAction action) {
        pair = PtyPair.create(dir);
        device = new SerialDevice(token).buttonAction(action).start(pair.a());
        host = new LinkClient(pair.b());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
        if (device != null) {
            device.stop();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void helloReportsTheTokenAndANewSessionAtEveryBoot() throws Exception {
        SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withSerial(0xC0FFEE).withButton(true, 9_000));
        serve(token, l -> "shown");
        DeviceIdentity id = host.hello(7);
        assertEquals(VERSION, id.protocolVersion());
        assertEquals(0xC0FFEE, id.serial());
        assertTrue(id.button() && id.simulated() && id.display());
        assertEquals(9_000, id.touchTimeoutMillis());
        assertEquals(SerialDevice.MAX_PAYLOAD, id.maxPayload());
        assertNotEquals(0, id.session());
        assertEquals(id.session(), host.hello(8).session(), "the same boot");

        device.stop();
        device = new SerialDevice(token).start(pair.a());
        assertNotEquals(id.session(), host.hello(9).session(), "a restart shows as a new session number");
    }

    @Test
    void refusesRequestsUntilHello() throws Exception {
        serve(new SimulatedToken(), null);
        host.send(new Frame(TYPE_APDU, 1, SELECT));
        Frame nak = host.await(f -> f.type() == TYPE_NAK, 2_000);
        assertEquals(NAK_NO_SESSION, nak.code());
        assertEquals(0, device.stats().commandsExecuted());
    }

    @Test
    void acksExecutesOnceAndAnswersRepeatsFromItsCache() throws Exception {
        serve(new SimulatedToken(), null);
        host.hello(250);
        host.send(new Frame(TYPE_APDU, 251, SELECT));
        assertNotNull(host.await(TYPE_ACK, 251, 2_000), "ACK first");
        byte[] selected = host.await(TYPE_RESPONSE, 251, 2_000).payload();
        assertEquals(0x9000, sw(selected));
        assertOk(host.apdu(252, put("hotp", 0x11, 6, RFC_SECRET, false), 2_000));

        // RFC 4226 Appendix D: counter 0 gives 755224, counter 1 gives 287082
        byte[] first = host.apdu(253, calculate("hotp", new byte[0]), 2_000);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first, host.apdu(253, calculate("hotp", new byte[0]), 2_000), "a repeat");
        }
        assertEquals("755224", code(first));
        assertEquals("287082", code(host.apdu(254, calculate("hotp", new byte[0]), 2_000)));
        assertEquals(4, device.stats().commandsExecuted());
        assertEquals(3, device.stats().repeatsAnswered());
        // sequence numbers wrap: 255 then 0
        assertOk(host.apdu(255, SELECT, 2_000));
        assertOk(host.apdu(0, SELECT, 2_000));
    }

    @Test
    void naksDamageWrongNumbersAndUnknownTypes() throws Exception {
        serve(new SimulatedToken(), null);
        host.hello(10);
        byte[] wire = FrameCodec.encode(new Frame(TYPE_APDU, 11, SELECT));
        wire[6] ^= 0x01;
        host.raw(wire);
        assertEquals(NAK_DAMAGED, host.await(f -> f.type() == TYPE_NAK, 2_000).code());
        host.send(new Frame(TYPE_APDU, 13, SELECT));
        assertEquals(NAK_SEQUENCE, host.await(f -> f.type() == TYPE_NAK, 2_000).code());
        host.send(new Frame(TYPE_APDU, 10, SELECT));
        assertEquals(NAK_SEQUENCE, host.await(f -> f.type() == TYPE_NAK, 2_000).code(), "the HELLO's own number");
        host.send(Frame.of(0x42, 11));
        assertEquals(NAK_UNKNOWN_TYPE, host.await(f -> f.type() == TYPE_NAK, 2_000).code());
        host.send(Frame.of(TYPE_APDU, 11));
        assertEquals(NAK_BAD_PAYLOAD, host.await(f -> f.type() == TYPE_NAK, 2_000).code());
        host.raw(FrameCodec.encode(new Frame(TYPE_APDU, 11, new byte[SerialDevice.MAX_PAYLOAD + 1])));
        assertEquals(NAK_TOO_LONG, host.await(f -> f.type() == TYPE_NAK, 2_000).code());
        byte[] half = java.util.Arrays.copyOf(FrameCodec.encode(new Frame(TYPE_APDU, 11, SELECT)), 9);
        host.raw(half);
        assertEquals(NAK_DAMAGED, host.await(f -> f.type() == TYPE_NAK, 2_000).code(), "truncated, after the gap");
        assertEquals(0x9000, sw(host.apdu(11, SELECT, 2_000)), "the link still works");
        assertEquals(1, device.stats().commandsExecuted());
    }

    @Test
    void reportsATouchWaitKeepsAliveAndTakesOnePressOnly() throws Exception {
        serve(new SimulatedToken(SimulatedToken.Config.defaults().withButton(true, 1_500)), null);
        host.hello(1);
        assertOk(host.apdu(2, SELECT, 2_000));
        assertOk(host.apdu(3, put("touchy", 0x21, 6, RFC_SECRET, true), 2_000));
        host.send(new Frame(TYPE_APDU, 4, calculate("touchy", ByteBuffer.allocate(8).putLong(1).array())));
        Frame wanted = host.await(f -> f.type() == TYPE_EVENT && f.seq() == 4, 2_000);
        assertEquals(EVENT_TOUCH_WANTED, wanted.code());
        assertEquals(1_500, ByteBuffer.wrap(wanted.payload(), 1, 4).getInt());
        Frame alive = host.await(f -> f.type() == TYPE_KEEPALIVE && f.seq() == 4, 1_000);
        assertEquals(STATE_TOUCH, alive.code());
        long keepalives = host.drain(500).stream()
                .filter(o -> o instanceof Frame f && f.type() == TYPE_KEEPALIVE && f.code() == STATE_TOUCH).count();
        // One per 100 ms; a loaded machine may delay the timer (and fixed-rate catches up in a burst).
        assertTrue(keepalives >= 2 && keepalives <= 10, keepalives + " keepalives in 500 ms, one per 75-100 ms");

        host.send(Frame.of(TYPE_PRESS, 77, (byte) PRESS_SHORT));
        assertNotNull(host.await(f -> f.type() == TYPE_EVENT && f.code() == EVENT_TOUCH_PRESSED, 2_000));
        Frame reply = host.await(TYPE_PRESS_REPLY, 77, 2_000);
        assertEquals(PRESSED_TOUCH, reply.code());
        byte[] r = host.await(TYPE_RESPONSE, 4, 2_000).payload();
        assertEquals("287082", code(r), "RFC 6238 T=59 with 6 digits");

        host.send(Frame.of(TYPE_PRESS, 77, (byte) PRESS_SHORT));
        assertArrayEquals(reply.payload(), host.await(TYPE_PRESS_REPLY, 77, 2_000).payload(), "a repeated PRESS");
        // No press was kept for later: the next touch command waits again, and times out.
        host.send(new Frame(TYPE_APDU, 5, calculate("touchy", ByteBuffer.allocate(8).putLong(1).array())));
        assertNotNull(host.await(f -> f.type() == TYPE_EVENT && f.code() == EVENT_TOUCH_WANTED, 2_000));
        assertEquals(0x6982, sw(host.await(TYPE_RESPONSE, 5, 3_000).payload()), "touch timed out");
    }

    @Test
    void helloCancelsATouchWaitAndDropsTheOldAnswer() throws Exception {
        serve(new SimulatedToken(SimulatedToken.Config.defaults().withButton(true, 20_000)), null);
        host.hello(1);
        assertOk(host.apdu(2, SELECT, 2_000));
        assertOk(host.apdu(3, put("touchy", 0x21, 6, RFC_SECRET, true), 2_000));
        host.send(new Frame(TYPE_APDU, 4, calculate("touchy", new byte[8])));
        assertNotNull(host.await(f -> f.type() == TYPE_EVENT && f.code() == EVENT_TOUCH_WANTED, 2_000));
        long start = System.nanoTime();
        host.hello(4);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "not the 20 s touch timeout");
        assertNull(host.await(f -> f.type() == TYPE_RESPONSE, 500), "the cancelled command's answer never comes");
        byte[] r = host.apdu(5, calculate("touchy", new byte[8]), 2_000);
        assertNotEquals(0x9000, sw(r), "nothing selected after HELLO");
    }

    @Test
    void aPressWithNoCommandWaitingGoesToTheKeyfob() throws Exception {
        List<Boolean> presses = new CopyOnWriteArrayList<>();
        serve(new SimulatedToken(), longPress -> {
            presses.add(longPress);
            return "Example  alice  123456";
        });
        host.hello(1);
        host.send(Frame.of(TYPE_PRESS, 9, (byte) PRESS_LONG));
        Frame reply = host.await(TYPE_PRESS_REPLY, 9, 2_000);
        assertEquals(PRESSED_KEYFOB, reply.code());
        assertEquals("Example  alice  123456",
                new String(reply.payload(), 1, reply.payload().length - 1, StandardCharsets.UTF_8));
        host.send(Frame.of(TYPE_PRESS, 9, (byte) PRESS_LONG));
        assertNotNull(host.await(TYPE_PRESS_REPLY, 9, 2_000));
        assertEquals(List.of(true), presses, "a repeated PRESS frame is one press");
        assertEquals(new SerialDevice.PressOutcome(false, "Example  alice  123456"), device.press(false));
        assertEquals(List.of(true, false), presses);
    }

    @Test
    void savesTheStateBeforeItAnswers() throws Exception {
        List<Long> saves = new CopyOnWriteArrayList<>();
        SimulatedToken token = new SimulatedToken();
        pair = PtyPair.create(dir);
        device = new SerialDevice(token).saver(image -> {
            sleep(300);
            saves.add(System.nanoTime());
        }).start(pair.a());
        host = new LinkClient(pair.b());
        host.hello(1);
        assertOk(host.apdu(2, SELECT, 2_000));
        assertEquals(0, saves.size(), "SELECT changes nothing");
        host.send(new Frame(TYPE_APDU, 3, put("a", 0x21, 6, RFC_SECRET, false)));
        Frame alive = host.await(f -> f.type() == TYPE_KEEPALIVE, 2_000);
        assertEquals(STATE_WORKING, alive.code(), "keepalives while the save runs");
        host.await(TYPE_RESPONSE, 3, 2_000);
        long answered = System.nanoTime();
        assertEquals(1, saves.size());
        assertTrue(saves.get(0) < answered);
    }

    @Test
    void serveReturnsWhenTheLineCloses() throws Exception {
        pair = PtyPair.create(dir);
        Thread t = new Thread(() -> SerialDevice.serve(pair.a(), new SimulatedToken(), null));
        t.start();
        Thread.sleep(300);
        pair.close();
        t.join(3_000);
        assertFalse(t.isAlive());
    }

    @Test
    void stopFromAnotherThreadEndsServeCleanly() throws Exception {
        pair = PtyPair.create(dir);
        List<byte[]> saved = new CopyOnWriteArrayList<>();
        SerialDevice served = new SerialDevice(new SimulatedToken()).saver(saved::add);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try {
                served.serve(pair.a());
            } catch (Throwable e) {
                thrown.add(e);
            }
        });
        t.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!served.serving() && thrown.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // HELLO sent before the device opened its end would be lost
        }
        assertTrue(served.serving(), "the device opened its end of the line");
        host = new LinkClient(pair.b());
        host.hello(1);
        assertOk(host.apdu(2, SELECT, 2_000));
        assertOk(host.apdu(3, put("kept", 0x21, 6, RFC_SECRET, false), 2_000));
        served.stop();
        t.join(3_000);
        assertFalse(t.isAlive());
        assertEquals(List.of(), thrown);
        assertFalse(served.serving());
        assertFalse(saved.isEmpty(), "saved after the PUT (and at the stop: the clock moved on)");
        SimulatedToken restored = SimulatedToken.fromState(saved.get(saved.size() - 1));
        assertEquals(0x9000, sw(restored.transmit(SELECT)));
        assertEquals("94287082".substring(2), code(restored.transmit(calculate("kept", new byte[] {0, 0, 0, 0, 0, 0, 0, 1}))));
    }

    @Test
    void aDeviceWithoutAButtonSaysSo() throws Exception {
        serve(new SimulatedToken(SimulatedToken.Config.defaults().withButton(false, 0)), null);
        DeviceIdentity id = host.hello(1);
        assertFalse(id.button());
        assertEquals(0, id.touchTimeoutMillis());
        host.send(Frame.of(TYPE_PRESS, 1, (byte) PRESS_SHORT));
        assertEquals(PRESSED_NO_BUTTON, host.await(TYPE_PRESS_REPLY, 1, 2_000).code());
    }

    // ---- APDUs ----

    static byte[] put(String name, int typeAlg, int digits, byte[] key, boolean touch) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        tlv(d, 0x71, name.getBytes(StandardCharsets.UTF_8));
        byte[] k = new byte[2 + key.length];
        k[0] = (byte) typeAlg;
        k[1] = (byte) digits;
        System.arraycopy(key, 0, k, 2, key.length);
        tlv(d, 0x73, k);
        if (touch) {
            d.write(0x78);
            d.write(0x02);
        }
        return apdu(0x01, 0, 0, d.toByteArray());
    }

    static byte[] calculate(String name, byte[] challenge) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        tlv(d, 0x71, name.getBytes(StandardCharsets.UTF_8));
        tlv(d, 0x74, challenge);
        return apdu(0xA2, 0, 1, d.toByteArray());
    }

    static byte[] apdu(int ins, int p1, int p2, byte[] data) {
        byte[] a = new byte[5 + data.length];
        a[1] = (byte) ins;
        a[2] = (byte) p1;
        a[3] = (byte) p2;
        a[4] = (byte) data.length;
        System.arraycopy(data, 0, a, 5, data.length);
        return a;
    }

    static void tlv(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(tag);
        out.write(value.length);
        out.writeBytes(value);
    }

    /** The code in a truncated CALCULATE answer: 76 05 digits value[4] 90 00. */
    static String code(byte[] r) {
        assertEquals(0x9000, sw(r));
        int digits = r[2];
        long v = ByteBuffer.wrap(r, 3, 4).getInt() & 0x7FFFFFFFL;
        return String.format("%0" + digits + "d", v % (long) Math.pow(10, digits));
    }

    static int sw(byte[] r) {
        return ((r[r.length - 2] & 0xFF) << 8) | (r[r.length - 1] & 0xFF);
    }

    static void assertOk(byte[] r) {
        assertEquals(0x9000, sw(r), String.format("SW %04X", sw(r)));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
