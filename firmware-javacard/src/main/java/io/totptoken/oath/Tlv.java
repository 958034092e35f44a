package io.totptoken.oath;

import javacard.framework.ISOException;

/**
 * Reads the TLVs of a command one by one, checking every length against what is left.
 * Lengths are BER (one byte below 0x80, 81 xx, 82 xx xx). The YKOATH property tag 0x78 is
 * followed by its one value byte with no length byte.
 */
final class Tlv {
    private static final short POS = 0;
    private static final short END = 1;
    private static final short TAG = 2;
    private static final short VALUE = 3;
    private static final short LENGTH = 4;
    /** Shorts of RAM the reader needs ({@link Transients#tlvState}). */
    static final short STATE_SIZE = 5;

    private final short[] s;

    Tlv(short[] state) {
        s = state;
    }

    void start(short off, short len) {
        s[POS] = off;
        s[END] = (short) (off + len);
    }

    boolean hasMore() {
        return s[POS] < s[END];
    }

    /** Reads the next TLV; a truncated one answers 6A80. */
    byte next(byte[] buf) {
        short pos = s[POS];
        short end = s[END];
        if (pos >= end) {
            ISOException.throwIt(Protocol.SW_WRONG_DATA);
        }
        byte tag = buf[pos++];
        short len;
        if (tag == Protocol.TAG_PROPERTY) {
            len = 1;
        } else {
            if (pos >= end) {
                ISOException.throwIt(Protocol.SW_WRONG_DATA);
            }
            len = (short) (buf[pos++] & 0xFF);
            if (len == 0x81) {
                len = (short) (byteAt(buf, pos++, end) & 0xFF);
            } else if (len == 0x82) {
                short hi = (short) (byteAt(buf, pos++, end) & 0xFF);
                short lo = (short) (byteAt(buf, pos++, end) & 0xFF);
                if (hi > 0x7F) {
                    ISOException.throwIt(Protocol.SW_WRONG_DATA);
                }
                len = (short) ((short) (hi << 8) | lo);
            } else if (len > 0x7F) {
                ISOException.throwIt(Protocol.SW_WRONG_DATA);
            }
        }
        if (len > (short) (end - pos)) {
            ISOException.throwIt(Protocol.SW_WRONG_DATA);
        }
        s[TAG] = tag;
        s[VALUE] = pos;
        s[LENGTH] = len;
        s[POS] = (short) (pos + len);
        return tag;
    }

    /** Reads the next TLV, which must carry the tag and a length within [min, max]. */
    void expect(byte[] buf, byte tag, short min, short max) {
        if (next(buf) != tag || s[LENGTH] < min || s[LENGTH] > max) {
            ISOException.throwIt(Protocol.SW_WRONG_DATA);
        }
    }

    short value() {
        return s[VALUE];
    }

    short length() {
        return s[LENGTH];
    }

    private static byte byteAt(byte[] buf, short pos, short end) {
        if (pos >= end) {
            ISOException.throwIt(Protocol.SW_WRONG_DATA);
        }
        return buf[pos];
    }
}
