package io.totptoken.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    /** What a receiver got, in order: frames, and damage as its name. */
    static final class Collector implements FrameDecoder.Sink {
        final List<Frame> frames = new ArrayList<>();
        final List<Damage> damage = new ArrayList<>();

        @Override
        public void frame(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void damaged(Damage d) {
            damage.add(d);
        }
    }

    @Test
    void crcIsCrc32IsoHdlc() {
        assertEquals(0xCBF43926L, FrameCodec.crc32("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
    }

    @Test
    void encodesTheDocumentedHelloVector() throws Exception {
        // docs/serial-protocol.md section 2, "Test vectors"
        Frame hello = Frame.of(SerialProtocol.TYPE_HELLO, 0x2A, (byte) 0x01);
        byte[] wire = FrameCodec.encode(hello);
        assertEquals("7e" + "012a0001" + "01" + "5ad19020" + "7e", HEX.formatHex(wire));
        assertEquals(hello, FrameCodec.decode(wire));
    }

    @Test
    void encodesEveryDocumentedVector() throws Exception {
        // docs/serial-protocol.md section 2, "Test vectors"
        String[][] vectors = {
            {"02", "2b", "00a4040007a0000005272101", "7e022b000c00a4040007a0000005272101" + "53f57948" + "7e"},
            {"82", "7e", "7e7d9000", "7e827d5e00047d5e7d5d9000" + "9b63f6ce" + "7e"},
            {"06", "2b", "", "7e062b0000" + "303729c1" + "7e"},
            {"15", "2b", "01", "7e152b000101" + "770dc607" + "7e"},
        };
        for (String[] v : vectors) {
            Frame f = new Frame(Integer.parseInt(v[0], 16), Integer.parseInt(v[1], 16), HEX.parseHex(v[2]));
            assertEquals(v[3], HEX.formatHex(FrameCodec.encode(f)));
            assertEquals(f, FrameCodec.decode(HEX.parseHex(v[3])));
        }
    }

    @Test
    void escapesFlagAndEscapeBytesEverywhere() throws Exception {
        Frame f = Frame.of(0x7E, 0x7D, (byte) 0x7E, (byte) 0x7D, (byte) 0x5E, (byte) 0x20);
        byte[] wire = FrameCodec.encode(f);
        assertEquals("7e7d5e7d5d00047d5e7d5d5e20", HEX.formatHex(wire, 0, 13));
        for (int i = 1; i < wire.length - 1; i++) {
            assertTrue(wire[i] != 0x7E, "no flag inside a frame");
        }
        assertEquals(f, FrameCodec.decode(wire));
    }

    @Test
    void decodesFramesBackToBackSharingOrRepeatingFlags() {
        Frame a = Frame.of(2, 1, "abc".getBytes());
        Frame b = Frame.of(0x82, 1, new byte[0]);
        byte[] wa = FrameCodec.encode(a);
        byte[] wb = FrameCodec.encode(b);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(new byte[] {0x7E, 0x7E});
        s.write(wa, 0, wa.length - 1); // the closing flag of a opens b
        s.writeBytes(wb);
        s.writeBytes(new byte[] {0x7E, 0x7E, 0x7E});
        Collector c = feed(s.toByteArray());
        assertEquals(List.of(a, b), c.frames);
        assertEquals(List.of(), c.damage);
    }

    @Test
    void resynchronisesAfterGarbageBetweenFrames() {
        Frame a = Frame.of(2, 1, "first".getBytes());
        Frame b = Frame.of(2, 2, "second".getBytes());
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes("noise before anything".getBytes());
        s.writeBytes(FrameCodec.encode(a));
        s.writeBytes(new byte[] {0x12, 0x7D, 0x7E, 0x7E, 0x33, 0x44, 0x7D, 0x5E, 0x7E});
        s.writeBytes(FrameCodec.encode(b));
        Collector c = feed(s.toByteArray());
        assertEquals(List.of(a, b), c.frames);
        assertEquals(List.of(Damage.BAD_ESCAPE, Damage.TOO_SHORT), c.damage);
    }

    @Test
    void rejectsEverySingleBitFlip() {
        Frame f = Frame.of(2, 9, "00a4040007a0000005272101".getBytes());
        byte[] wire = FrameCodec.encode(f);
        Frame next = Frame.of(2, 10, new byte[] {1, 2, 3});
        for (int bit = 0; bit < wire.length * 8; bit++) {
            byte[] spoiled = wire.clone();
            spoiled[bit / 8] ^= (byte) (1 << (bit % 8));
            Collector c = feed(concat(spoiled, FrameCodec.encode(next)));
            assertFalse(c.frames.contains(f), "bit " + bit);
            assertEquals(next, c.frames.get(c.frames.size() - 1), "the next frame survives bit " + bit);
            assertTrue(c.frames.size() == 1 || bit < 8, "only a flipped opening flag can let a frame merge: bit " + bit);
        }
    }

    @Test
    void rejectsDroppedAndDuplicatedBytes() {
        Frame f = Frame.of(0x82, 200, "a response with some bytes 90 00".getBytes());
        byte[] wire = FrameCodec.encode(f);
        for (int i = 1; i < wire.length - 1; i++) {
            byte[] dropped = concat(java.util.Arrays.copyOfRange(wire, 0, i),
                    java.util.Arrays.copyOfRange(wire, i + 1, wire.length));
            assertEquals(List.of(), feed(dropped).frames, "dropped byte " + i);
            byte[] doubled = concat(java.util.Arrays.copyOfRange(wire, 0, i + 1),
                    java.util.Arrays.copyOfRange(wire, i, wire.length));
            assertEquals(List.of(), feed(doubled).frames, "duplicated byte " + i);
        }
    }

    @Test
    void dropsATruncatedFrameAtTheNextFlagOrAfterAGap() {
        Frame f = Frame.of(2, 3, new byte[40]);
        byte[] wire = FrameCodec.encode(f);
        byte[] cut = java.util.Arrays.copyOf(wire, 20);
        Collector c = feed(concat(cut, wire));
        assertEquals(List.of(f), c.frames);
        assertEquals(List.of(Damage.LENGTH_MISMATCH), c.damage);

        FrameDecoder d = new FrameDecoder(100);
        Collector g = new Collector();
        d.accept(cut, 0, cut.length, g);
        assertTrue(d.inFrame());
        d.gap(g);
        assertEquals(List.of(Damage.TRUNCATED), g.damage);
        // after a gap the rest of the cut frame is not taken as a frame of its own
        d.accept(wire, 20, wire.length - 20, g);
        d.accept(wire, 0, wire.length, g);
        assertEquals(List.of(f), g.frames);
    }

    @Test
    void dropsFramesLongerThanTheReceiverTakesUpToTheNextFlag() {
        FrameDecoder d = new FrameDecoder(16);
        Collector c = new Collector();
        byte[] big = FrameCodec.encode(Frame.of(2, 1, new byte[17]));
        byte[] fits = FrameCodec.encode(Frame.of(2, 2, new byte[16]));
        d.accept(big, 0, big.length, c);
        d.accept(fits, 0, fits.length, c);
        assertEquals(List.of(Damage.TOO_LONG), c.damage);
        assertEquals(1, c.frames.size());
        assertEquals(2, c.frames.get(0).seq());
    }

    @Test
    void decodeThrowsItsOwnErrorForAnythingButOneFrame() {
        byte[] a = FrameCodec.encode(Frame.of(1, 1));
        assertThrows(FrameException.class, () -> FrameCodec.decode(new byte[0]));
        assertThrows(FrameException.class, () -> FrameCodec.decode(new byte[] {0x7E, 0x7E}));
        assertThrows(FrameException.class, () -> FrameCodec.decode(concat(a, a)));
        FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decode(new byte[] {0x7E, 1, 0x7E}));
        assertEquals(Damage.TOO_SHORT, e.damage());
    }

    @Test
    void roundTripsRandomFramesFedInRandomChunks() {
        Random r = new Random(42);
        FrameDecoder d = new FrameDecoder(SerialProtocol.MAX_PAYLOAD);
        Collector c = new Collector();
        List<Frame> sent = new ArrayList<>();
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (int i = 0; i < 300; i++) {
            byte[] p = new byte[r.nextInt(i % 10 == 0 ? 3000 : 40)];
            r.nextBytes(p);
            Frame f = new Frame(r.nextInt(256), r.nextInt(256), p);
            sent.add(f);
            s.writeBytes(FrameCodec.encode(f));
        }
        byte[] all = s.toByteArray();
        for (int at = 0; at < all.length; ) {
            int n = Math.min(all.length - at, 1 + r.nextInt(700));
            d.accept(all, at, n, c);
            at += n;
        }
        assertEquals(sent, c.frames);
        assertEquals(List.of(), c.damage);
    }

    @Test
    void neverShowsThePayloadInText() {
        Frame f = Frame.of(2, 1, "SECRETKEY".getBytes());
        assertFalse(f.toString().contains("SECRET"));
        assertFalse(f.toString().contains(HEX.formatHex("SECRETKEY".getBytes())));
    }

    static Collector feed(byte[] bytes) {
        Collector c = new Collector();
        new FrameDecoder(SerialProtocol.MAX_PAYLOAD).accept(bytes, 0, bytes.length, c);
        return c;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void documentedIdentityRoundTrips() {
        DeviceIdentity i = new DeviceIdentity(1, 0xDEADBEEFL, "0.1.0", true, true, false, true, 1024, 0x01020304L,
                15_000, 3_000);
        byte[] p = i.encode();
        assertEquals(DeviceIdentity.LENGTH, p.length);
        assertEquals(i, DeviceIdentity.decode(p));
        assertEquals(i, DeviceIdentity.decode(concat(p, new byte[] {9, 9})), "later versions may append");
        assertArrayEquals(p, DeviceIdentity.decode(p).encode());
        assertThrows(IllegalArgumentException.class, () -> DeviceIdentity.decode(new byte[20]));
    }
}
