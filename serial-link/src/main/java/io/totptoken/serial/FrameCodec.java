package io.totptoken.serial;

import static io.totptoken.serial.SerialProtocol.CRC_LENGTH;
import static io.totptoken.serial.SerialProtocol.ESCAPE;
import static io.totptoken.serial.SerialProtocol.ESCAPE_XOR;
import static io.totptoken.serial.SerialProtocol.FLAG;
import static io.totptoken.serial.SerialProtocol.FRAME_OVERHEAD;
import static io.totptoken.serial.SerialProtocol.HEADER_LENGTH;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Frames to bytes on the wire and back, without I/O (docs/serial-protocol.md section 2):
 * {@code FLAG, escaped(type, seq, length[2], payload, CRC-32[4]), FLAG}. Receiving from a
 * stream, with resynchronisation after damage, is {@link FrameDecoder}'s job.
 */
public final class FrameCodec {
    private FrameCodec() {
    }

    /** The frame as it goes on the wire, both flags included. */
    public static byte[] encode(Frame frame) {
        byte[] payload = frame.payload();
        byte[] raw = new byte[FRAME_OVERHEAD + payload.length];
        raw[0] = (byte) frame.type();
        raw[1] = (byte) frame.seq();
        raw[2] = (byte) (payload.length >> 8);
        raw[3] = (byte) payload.length;
        System.arraycopy(payload, 0, raw, HEADER_LENGTH, payload.length);
        int crcAt = HEADER_LENGTH + payload.length;
        long crc = crc32(raw, 0, crcAt);
        for (int i = 0; i < CRC_LENGTH; i++) {
            raw[crcAt + i] = (byte) (crc >>> (24 - 8 * i));
        }
        int escapes = 0;
        for (byte b : raw) {
            if (needsEscape(b)) {
                escapes++;
            }
        }
        byte[] wire = new byte[raw.length + escapes + 2];
        int n = 0;
        wire[n++] = (byte) FLAG;
        for (byte b : raw) {
            if (needsEscape(b)) {
                wire[n++] = (byte) ESCAPE;
                wire[n++] = (byte) (b ^ ESCAPE_XOR);
            } else {
                wire[n++] = b;
            }
        }
        wire[n] = (byte) FLAG;
        Arrays.fill(raw, (byte) 0); // the payload may be a key
        return wire;
    }

    /**
     * Exactly one encoded frame, flags included, as {@link #encode} makes it.
     *
     * @throws FrameException for anything else: the bytes are not framed, or damaged
     */
    public static Frame decode(byte[] wire) throws FrameException {
        if (wire.length < 2 || (wire[0] & 0xFF) != FLAG || (wire[wire.length - 1] & 0xFF) != FLAG) {
            throw new FrameException(Damage.TOO_SHORT, "not a frame: it must start and end with 7E");
        }
        List<Frame> frames = new ArrayList<>();
        List<Damage> damage = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(SerialProtocol.MAX_PAYLOAD);
        decoder.accept(wire, 0, wire.length, new FrameDecoder.Sink() {
            @Override
            public void frame(Frame f) {
                frames.add(f);
            }

            @Override
            public void damaged(Damage d) {
                damage.add(d);
            }
        });
        if (!damage.isEmpty()) {
            throw new FrameException(damage.get(0), "damaged frame: " + damage.get(0));
        }
        if (frames.size() != 1) {
            throw new FrameException(Damage.TOO_SHORT, frames.isEmpty() ? "no frame between the flags"
                    : frames.size() + " frames where one was expected");
        }
        // Idle flags around the frame are fine on a line, but this takes exactly one frame.
        if (!java.util.Arrays.equals(encode(frames.get(0)), wire)) {
            throw new FrameException(Damage.TOO_SHORT, "bytes around the frame");
        }
        return frames.get(0);
    }

    /**
     * The frame in raw (unescaped) bytes between two flags.
     *
     * @throws FrameException when too short, the length field disagrees or the CRC does not match
     */
    static Frame parse(byte[] raw, int len) throws FrameException {
        if (len < FRAME_OVERHEAD) {
            throw new FrameException(Damage.TOO_SHORT, len + " bytes between flags");
        }
        int payloadLength = ((raw[2] & 0xFF) << 8) | (raw[3] & 0xFF);
        if (payloadLength != len - FRAME_OVERHEAD) {
            throw new FrameException(Damage.LENGTH_MISMATCH,
                    "length field " + payloadLength + ", " + (len - FRAME_OVERHEAD) + " bytes received");
        }
        int crcAt = len - CRC_LENGTH;
        long received = 0;
        for (int i = 0; i < CRC_LENGTH; i++) {
            received = (received << 8) | (raw[crcAt + i] & 0xFF);
        }
        if (received != crc32(raw, 0, crcAt)) {
            throw new FrameException(Damage.BAD_CRC, "CRC mismatch");
        }
        return new Frame(raw[0] & 0xFF, raw[1] & 0xFF, Arrays.copyOfRange(raw, HEADER_LENGTH, crcAt));
    }

    /** CRC-32/ISO-HDLC (zlib, Ethernet): "123456789" gives CBF43926. */
    public static long crc32(byte[] b, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, off, len);
        return crc.getValue();
    }

    private static boolean needsEscape(byte b) {
        int v = b & 0xFF;
        return v == FLAG || v == ESCAPE;
    }
}
