package io.totptoken.host.provisioning;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the protobuf wire format (protobuf.dev, "Encoding"): just what a Google Authenticator
 * export needs. Every length is checked against what remains, so corrupt input ends in an
 * {@link InvalidCredentialException}, never in another exception or a huge allocation.
 */
final class ProtobufReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] data;
    private final int end;
    private int position;

    ProtobufReader(byte[] data) {
        this(data, 0, data.length);
    }

    private ProtobufReader(byte[] data, int start, int end) {
        this.data = data;
        this.position = start;
        this.end = end;
    }

    boolean hasMore() {
        return position < end;
    }

    /** Reads a field key; returns it as {@code field << 3 | wireType} after checking both parts. */
    int readKey() {
        long key = readVarint();
        long field = key >>> 3;
        int wireType = (int) (key & 7);
        if (field == 0 || field > 0x1FFF_FFFF) {
            throw corrupt("field number " + field + " is out of range");
        }
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw corrupt("wire type " + wireType + " is not supported");
        }
        return (int) key;
    }

    long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw corrupt("a number is cut off");
            }
            int b = data[position++] & 0xFF;
            if (shift == 63 && b > 1) {
                throw corrupt("a number is longer than 64 bits");
            }
            value |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        throw corrupt("a number is longer than 64 bits");
    }

    /** A copy of a length-delimited field; the caller owns (and wipes, for a secret) the copy. */
    byte[] readBytes() {
        int length = readLength();
        byte[] bytes = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return bytes;
    }

    String readString(String what) {
        int length = readLength();
        ByteBuffer slice = ByteBuffer.wrap(data, position, length);
        position += length;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice)
                    .toString();
        } catch (CharacterCodingException e) {
            throw corrupt(what + " is not UTF-8 text");
        }
    }

    /** A reader over an embedded message; this reader moves past it. */
    ProtobufReader readMessage() {
        int length = readLength();
        ProtobufReader message = new ProtobufReader(data, position, position + length);
        position += length;
        return message;
    }

    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8);
            case FIXED32 -> advance(4);
            case LENGTH_DELIMITED -> advance(readLength());
            default -> throw corrupt("wire type " + wireType + " is not supported");
        }
    }

    static InvalidCredentialException corrupt(String detail) {
        return new InvalidCredentialException("export data is corrupt: " + detail);
    }

    private int readLength() {
        long length = readVarint();
        if (length < 0 || length > end - position) {
            throw corrupt("a field's length runs past the end of the data");
        }
        return (int) length;
    }

    private void advance(int count) {
        if (count > end - position) {
            throw corrupt("a field runs past the end of the data");
        }
        position += count;
    }
}
