package io.totptoken.host.transport;

import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Reports every APDU and answer (for {@code -v}) and counts them. Key material never reaches
 * the trace: the values of the YKOATH key tag 0x73 and the key-states extension 0xD1 are masked.
 * So is the password handshake: a SELECT answer's challenge (0x74) with VALIDATE's response
 * (0x75) is all an attacker needs to try passwords offline, so the values of 0x74 and 0x75 are
 * masked in SELECT answers and in VALIDATE and SET CODE commands and answers (YKOATH).
 */
public final class TraceTransport extends ForwardingTransport {
    // The YKOATH numbers of session/Ykoath, copied: the transport layer sits below the session and
    // cannot use it. YkoathTest checks that the copies agree.
    private static final int TAG_KEY = 0x73;
    private static final int TAG_CHALLENGE = 0x74;
    private static final int TAG_RESPONSE = 0x75;
    private static final int TAG_PROPERTY = 0x78;
    private static final int TAG_KEY_STATES = 0xD1;
    private static final int INS_SET_CODE = 0x03;
    private static final int INS_VALIDATE = 0xA3;
    private static final int INS_SELECT = 0xA4;
    private static final int P1_SELECT_BY_NAME = 0x04;

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
            sink.accept(String.format("< %s (%.2f ms)", maskedAnswer(apdu, r), (System.nanoTime() - start) / 1e6));
        }
        return r;
    }

    /** Whether the command belongs to the password handshake, whose challenges and responses are masked. */
    private static boolean handshake(byte[] apdu) {
        if (apdu.length < 4) {
            return false;
        }
        int ins = apdu[1] & 0xFF;
        return ins == INS_VALIDATE || ins == INS_SET_CODE || (ins == INS_SELECT && apdu[2] == P1_SELECT_BY_NAME);
    }

    /** The APDU in hex with the values of key TLVs (and of the handshake's challenges and responses) replaced by "**". */
    static String masked(byte[] apdu) {
        HexFormat hex = HexFormat.of();
        if (apdu.length <= 5) {
            return hex.formatHex(apdu);
        }
        int dataOff = (apdu[4] == 0 && apdu.length > 7) ? 7 : 5;
        int dataLen = dataOff == 7 ? ((apdu[5] & 0xFF) << 8) | (apdu[6] & 0xFF) : apdu[4] & 0xFF;
        int end = Math.min(apdu.length, dataOff + dataLen);
        StringBuilder out = new StringBuilder(hex.formatHex(apdu, 0, dataOff));
        int i = appendTlvs(out, apdu, dataOff, end, handshake(apdu), true);
        if (i < apdu.length) {
            out.append(hex.formatHex(apdu, i, apdu.length));
        }
        return out.toString();
    }

    /** The answer in hex; a handshake answer with the values of its challenges and responses replaced by "**". */
    static String maskedAnswer(byte[] apdu, byte[] answer) {
        HexFormat hex = HexFormat.of();
        if (!handshake(apdu) || answer.length <= 2) {
            return hex.formatHex(answer);
        }
        StringBuilder out = new StringBuilder();
        int i = appendTlvs(out, answer, 0, answer.length - 2, true, false);
        return out.append(hex.formatHex(answer, i, answer.length)).toString();
    }

    /** Appends the TLVs in {@code [from, end)}, masking secret values; returns where it stopped. */
    private static int appendTlvs(StringBuilder out, byte[] bytes, int from, int end, boolean handshake, boolean command) {
        HexFormat hex = HexFormat.of();
        int i = from;
        while (i < end) {
            int tag = bytes[i] & 0xFF;
            if (command && tag == TAG_PROPERTY && i + 1 < end) { // YKOATH property: tag and one byte, no length
                out.append(hex.formatHex(bytes, i, i + 2));
                i += 2;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int lenBytes = 1;
            int len = bytes[i + 1] & 0xFF;
            if (len == 0x81 && i + 2 < end) {
                lenBytes = 2;
                len = bytes[i + 2] & 0xFF;
            } else if (len == 0x82 && i + 3 < end) {
                lenBytes = 3;
                len = ((bytes[i + 2] & 0xFF) << 8) | (bytes[i + 3] & 0xFF);
            }
            int valueAt = i + 1 + lenBytes;
            int valueEnd = Math.min(end, valueAt + len);
            out.append(hex.formatHex(bytes, i, Math.min(valueAt, end)));
            boolean secret = tag == TAG_KEY || tag == TAG_KEY_STATES
                    || (handshake && (tag == TAG_CHALLENGE || tag == TAG_RESPONSE));
            if (secret) {
                out.append("**".repeat(Math.max(0, valueEnd - valueAt)));
            } else if (valueAt < valueEnd) {
                out.append(hex.formatHex(bytes, valueAt, valueEnd));
            }
            i = Math.max(valueEnd, Math.min(valueAt, end));
        }
        return i;
    }
}
