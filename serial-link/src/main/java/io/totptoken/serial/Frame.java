package io.totptoken.serial;

import java.util.Arrays;

/**
 * One frame of the serial link: a type, a sequence number and a payload (docs/serial-protocol.md
 * section 2). {@link #toString()} never shows the payload: APDUs carry keys.
 *
 * @param type    the frame type, 0-255 ({@link SerialProtocol} TYPE_*)
 * @param seq     the sequence number, 0-255
 * @param payload 0 to {@link SerialProtocol#MAX_PAYLOAD} bytes, not copied
 */
public record Frame(int type, int seq, byte[] payload) {
    public Frame {
        if (type < 0 || type > 0xFF || seq < 0 || seq > 0xFF) {
            throw new IllegalArgumentException("type and seq are bytes: " + type + ", " + seq);
        }
        if (payload == null || payload.length > SerialProtocol.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + (payload == null ? "null" : payload.length + " bytes"));
        }
    }

    public static Frame of(int type, int seq, byte... payload) {
        return new Frame(type, seq, payload);
    }

    /** The first payload byte, or -1 for an empty payload (NAK reason, KEEPALIVE state, EVENT code). */
    public int code() {
        return payload.length == 0 ? -1 : payload[0] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.type == type && f.seq == seq && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return (type * 31 + seq) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return String.format("Frame[type=%02X, seq=%d, %d bytes]", type, seq, payload.length);
    }
}
