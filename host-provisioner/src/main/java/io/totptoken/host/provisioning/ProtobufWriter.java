package io.totptoken.host.provisioning;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes the protobuf wire format for {@link GoogleMigration#encodePayload}; old buffers are zeroed as it grows. */
final class ProtobufWriter {
    private byte[] buffer = new byte[64];
    private int size;

    void writeVarint(int field, long value) {
        writeRawVarint((long) field << 3 | ProtobufReader.VARINT);
        writeRawVarint(value);
    }

    void writeBytes(int field, byte[] bytes) {
        writeRawVarint((long) field << 3 | ProtobufReader.LENGTH_DELIMITED);
        writeRawVarint(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    void writeString(int field, String text) {
        writeBytes(field, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code message} as an embedded message field and wipes it. */
    void writeMessage(int field, ProtobufWriter message) {
        byte[] bytes = message.toByteArray();
        message.wipe();
        writeBytes(field, bytes);
        Arrays.fill(bytes, (byte) 0);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    void wipe() {
        Arrays.fill(buffer, (byte) 0);
        size = 0;
    }

    private void writeRawVarint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            byte[] bigger = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            Arrays.fill(buffer, (byte) 0);
            buffer = bigger;
        }
    }
}
