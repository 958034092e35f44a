package io.totptoken.host.transport;

import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Reports every APDU and answer (for {@code -v}) and counts them. Key material never reaches
 * the trace: the values of the YKOATH key tag 0x73 and the key-states extension 0xD1 are masked.
 */
public final class TraceTransport extends ForwardingTransport {
    private static final int TAG_KEY = 0x73;
    private static final int TAG_KEY_STATES = 0xD1;

    private final Consumer<String> sink;
    private int count;

    public TraceTransport(Transport inner, Consumer<String> sink) {
        super(inner);
        this.sink = sink;
    }

    /** APDUs sent so far, SEND REMAINING included when this wraps the reader directly. */
    public int count() {
        return count;
    }

    @Override
    public byte[] transmit(byte[] apdu) {
        count++;
        if (sink != null) {
            sink.accept("> " + masked(apdu));
        }
        long start = System.nanoTime();
        byte[] r = inner.transmit(apdu);
        if (sink != null) {
            sink.accept(String.format("< %s (%.2f ms)", HexFormat.of().formatHex(r), (System.nanoTime() - start) / 1e6));
        }
        return r;
    }

    /** The APDU in hex with the values of key TLVs replaced by "**". */
    static String masked(byte[] apdu) {
        HexFormat hex = HexFormat.of();
        if (apdu.length <= 5) {
            return hex.formatHex(apdu);
        }
        int dataOff = (apdu[4] == 0 && apdu.length > 7) ? 7 : 5;
        int dataLen = dataOff == 7 ? ((apdu[5] & 0xFF) << 8) | (apdu[6] & 0xFF) : apdu[4] & 0xFF;
        int end = Math.min(apdu.length, dataOff + dataLen);
        StringBuilder out = new StringBuilder(hex.formatHex(apdu, 0, dataOff));
        int i = dataOff;
        while (i < end) {
            int tag = apdu[i] & 0xFF;
            if (tag == 0x78 && i + 1 < end) { // YKOATH property: tag and one byte, no length
                out.append(hex.formatHex(apdu, i, i + 2));
                i += 2;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int lenBytes = 1;
            int len = apdu[i + 1] & 0xFF;
            if (len == 0x81 && i + 2 < end) {
                lenBytes = 2;
                len = apdu[i + 2] & 0xFF;
            } else if (len == 0x82 && i + 3 < end) {
                lenBytes = 3;
                len = ((apdu[i + 2] & 0xFF) << 8) | (apdu[i + 3] & 0xFF);
            }
            int valueAt = i + 1 + lenBytes;
            int valueEnd = Math.min(end, valueAt + len);
            out.append(hex.formatHex(apdu, i, Math.min(valueAt, end)));
            if (tag == TAG_KEY || tag == TAG_KEY_STATES) {
                out.append("**".repeat(Math.max(0, valueEnd - valueAt)));
            } else if (valueAt < valueEnd) {
                out.append(hex.formatHex(apdu, valueAt, valueEnd));
            }
            i = valueEnd;
        }
        if (i < apdu.length) {
            out.append(hex.formatHex(apdu, i, apdu.length));
        }
        return out.toString();
    }
}
