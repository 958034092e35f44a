package io.totptoken.oath;

import javacard.framework.APDU;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Util;

/** PUT, DELETE, RENAME, LIST, CALCULATE, CALCULATE ALL and SEND REMAINING (YKOATH). */
final class CredentialCommands implements ResponseChain.Producer {
    private static final byte FULL = 0;
    private static final byte TRUNCATED = 1;
    // Scratch RAM: PUT assembles key material at 0 (up to 128 bytes), the initial counter at
    // COUNTER and the 4-byte period at PERIOD. CALCULATE keeps its challenge at 0 (up to 64
    // bytes), the HOTP counter and its successor in the 16 bytes below COUNTER, the device
    // clock's time at CLOCK_TIME, the period and the seconds left after it, and the MAC at MAC.
    private static final short MATERIAL = 0;
    private static final short CHALLENGE = 0;
    private static final short CLOCK_TIME = 64;
    private static final short CLOCK_PERIOD = 72;
    private static final short VALID_FOR = 76;
    private static final short COUNTER = 128;
    private static final short PERIOD = 136;
    private static final short MAC = 128;
    /** A period prefix has at most 10 digits (2^32 - 1 = 4294967295) before its '/'. */
    private static final short MAX_PERIOD_DIGITS = 10;

    private final CredentialStore store;
    private final HmacEngine hmac;
    private final Tlv tlv;
    private final ResponseChain chain;
    private final AccessCommands access;
    private final DeviceClock clock;
    private final byte[] scratch;

    CredentialCommands(CredentialStore store, HmacEngine hmac, Tlv tlv, ResponseChain chain,
                       AccessCommands access, DeviceClock clock, byte[] scratch) {
        this.clock = clock;
        this.store = store;
        this.hmac = hmac;
        this.tlv = tlv;
        this.chain = chain;
        this.access = access;
        this.scratch = scratch;
    }

    short put(APDU apdu) {
        access.requireAuth();
        byte[] buf = apdu.getBuffer();
        OathApplet.checkParams(buf, (byte) 0);
        short dataLen = OathApplet.receive(apdu);
        short data = OathApplet.dataOffset(apdu);
        try {
            tlv.start(data, dataLen);
            tlv.expect(buf, Protocol.TAG_NAME, (short) 1, Protocol.MAX_NAME);
            short name = tlv.value();
            short nameLen = tlv.length();
            tlv.expect(buf, Protocol.TAG_KEY, (short) 2, (short) 130);
            short key = tlv.value();
            byte typeAlg = buf[key];
            byte digits = buf[(short) (key + 1)];
            byte alg = (byte) (typeAlg & Protocol.ALG_MASK);
            byte type = (byte) (typeAlg & Protocol.TYPE_MASK);
            short keyLen = (short) (tlv.length() - 2);
            if ((type != Protocol.TYPE_HOTP && type != Protocol.TYPE_TOTP) || alg < Protocol.ALG_SHA1
                    || alg > Protocol.ALG_SHA512 || digits < Protocol.MIN_DIGITS || digits > Protocol.MAX_DIGITS
                    || keyLen > HmacEngine.blockLength(alg)) {
                ISOException.throwIt(Protocol.SW_WRONG_DATA);
            }
            if (hmac.engine(alg) == HmacEngine.NONE) {
                ISOException.throwIt(Protocol.SW_FUNC_NOT_SUPPORTED);
            }
            byte props = 0;
            short states = -1;
            boolean periodGiven = false;
            Util.arrayFillNonAtomic(scratch, COUNTER, (short) 12, (byte) 0);
            while (tlv.hasMore()) {
                byte tag = tlv.next(buf);
                short len = tlv.length();
                if (tag == Protocol.TAG_PROPERTY) {
                    props = buf[tlv.value()];
                } else if (tag == Protocol.TAG_IMF && (len == 4 || len == 8)) {
                    Util.arrayCopyNonAtomic(buf, tlv.value(), scratch, (short) (COUNTER + 8 - len), len);
                } else if (tag == Protocol.TAG_KEY_STATES && len == (short) (2 * HmacEngine.half(alg))) {
                    states = tlv.value();
                } else if (tag == Protocol.TAG_PERIOD && len >= 1 && len <= 4 && !periodGiven) {
                    Util.arrayCopyNonAtomic(buf, tlv.value(), scratch, (short) (PERIOD + 4 - len), len);
                    periodGiven = true;
                } else {
                    ISOException.throwIt(Protocol.SW_WRONG_DATA);
                }
            }
            if ((props & (byte) ~Protocol.PROP_KNOWN) != 0 || (periodGiven && isZero(scratch, PERIOD, (short) 4))) {
                ISOException.throwIt(Protocol.SW_WRONG_DATA);
            }
            short block = HmacEngine.blockLength(alg);
            if (states >= 0 && hmac.engine(alg) == HmacEngine.STATES) {
                Util.arrayCopyNonAtomic(buf, states, scratch, MATERIAL, block);
            } else if (keyLen > 0) {
                hmac.prepare(alg, buf, (short) (key + 2), keyLen, scratch, MATERIAL);
            } else {
                // Precomputed states that this card cannot use, and no key to fall back on.
                ISOException.throwIt(Protocol.SW_FUNC_NOT_SUPPORTED);
            }
            if (!periodGiven && !periodPrefix(buf, name, nameLen, scratch, PERIOD)) {
                Util.arrayFillNonAtomic(scratch, PERIOD, (short) 4, (byte) 0);
                scratch[(short) (PERIOD + 3)] = (byte) Protocol.DEFAULT_PERIOD;
            }
            if (!store.put(typeAlg, digits, props, scratch, PERIOD, buf, name, nameLen, scratch, COUNTER,
                    scratch, MATERIAL)) {
                ISOException.throwIt(Protocol.SW_NO_SPACE);
            }
        } finally {
            // The key material (at most one block) and the counter; the rest was not used.
            Util.arrayFillNonAtomic(scratch, MATERIAL, (short) 136, (byte) 0);
            Util.arrayFillNonAtomic(buf, data, dataLen, (byte) 0);
        }
        return 0;
    }

    short delete(APDU apdu) {
        store.delete(findNamed(apdu));
        return 0;
    }

    short rename(APDU apdu) {
        short slot = findNamed(apdu);
        byte[] buf = apdu.getBuffer();
        tlv.expect(buf, Protocol.TAG_NAME, (short) 1, Protocol.MAX_NAME);
        short found = store.find(buf, tlv.value(), tlv.length());
        if (found == slot) {
            return 0;
        }
        if (found != CredentialStore.NONE) {
            ISOException.throwIt(Protocol.SW_WRONG_DATA);
        }
        if (!store.rename(slot, buf, tlv.value(), tlv.length())) {
            ISOException.throwIt(Protocol.SW_NO_SPACE);
        }
        return 0;
    }

    short list(APDU apdu) {
        access.requireAuth();
        OathApplet.checkParams(apdu.getBuffer(), (byte) 0);
        chain.start(ResponseChain.LIST, FULL);
        return chain.fill(apdu.getBuffer(), this);
    }

    /**
     * CALCULATE. A TOTP credential given no challenge (no 74, or an empty one) takes its time
     * step from the device clock, and the answer adds D3 (the clock time) and D5 (seconds the
     * code stays valid).
     */
    short calculate(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        byte mode = buf[ISO7816.OFFSET_P2];
        short slot = findNamed(apdu);
        short challenge = 0;
        short challengeLen = 0;
        if (tlv.hasMore()) {
            tlv.expect(buf, Protocol.TAG_CHALLENGE, (short) 0, Protocol.MAX_CHALLENGE);
            challenge = tlv.value();
            challengeLen = tlv.length();
        }
        if (tlv.hasMore()) {
            ISOException.throwIt(Protocol.SW_WRONG_DATA);
        }
        boolean fromClock = challengeLen == 0
                && (store.get(slot, CredentialStore.STATUS) & Protocol.TYPE_MASK) == Protocol.TYPE_TOTP;
        if (fromClock) {
            clock.now(scratch, CLOCK_TIME);
            clock.checkNotRolledBack(scratch, CLOCK_TIME);
            store.copyPeriod(slot, scratch, CLOCK_PERIOD);
            DeviceClock.divide(scratch, CLOCK_TIME, scratch, CLOCK_PERIOD, scratch, CHALLENGE, scratch, VALID_FOR);
            DeviceClock.subtractFrom(scratch, CLOCK_PERIOD, scratch, VALID_FOR);
            challengeLen = Protocol.CHALLENGE_LENGTH;
        } else {
            // The challenge moves out of the way of the answer before it is written.
            Util.arrayCopyNonAtomic(buf, challenge, scratch, CHALLENGE, challengeLen);
        }
        byte props = store.get(slot, CredentialStore.PROPS);
        if ((props & Protocol.PROP_REQUIRE_TOUCH) != 0 && !access.pressed()) {
            ISOException.throwIt(Protocol.SW_AUTH_REQUIRED);
        }
        if (!acceptChallenge(slot, scratch, CHALLENGE, challengeLen)) {
            ISOException.throwIt(Protocol.SW_AUTH_REQUIRED);
        }
        if (!fromClock) {
            return response(slot, mode, scratch, CHALLENGE, challengeLen, buf, (short) 0);
        }
        clock.issued(scratch, CLOCK_TIME);
        short n = response(slot, mode, scratch, CHALLENGE, challengeLen, buf, (short) 0);
        buf[n++] = Protocol.TAG_TIME;
        buf[n++] = (byte) Protocol.TIME_LENGTH;
        n = Util.arrayCopyNonAtomic(scratch, CLOCK_TIME, buf, n, Protocol.TIME_LENGTH);
        // Seconds left: 2 bytes as before, 4 when a period of 65,536 s or more leaves that many.
        buf[n++] = Protocol.TAG_VALID_FOR;
        short wide = isZero(scratch, VALID_FOR, (short) 2) ? (short) 2 : (short) 4;
        buf[n++] = (byte) wide;
        return Util.arrayCopyNonAtomic(scratch, (short) (VALID_FOR + 4 - wide), buf, n, wide);
    }

    short calculateAll(APDU apdu) {
        access.requireAuth();
        byte[] buf = apdu.getBuffer();
        OathApplet.checkParams(buf, TRUNCATED);
        byte mode = buf[ISO7816.OFFSET_P2];
        short dataLen = OathApplet.receive(apdu);
        tlv.start(OathApplet.dataOffset(apdu), dataLen);
        tlv.expect(buf, Protocol.TAG_CHALLENGE, Protocol.CHALLENGE_LENGTH, Protocol.CHALLENGE_LENGTH);
        Util.arrayCopyNonAtomic(buf, tlv.value(), chain.challenge, (short) 0, Protocol.CHALLENGE_LENGTH);
        chain.start(ResponseChain.CALCULATE_ALL, mode);
        return chain.fill(buf, this);
    }

    short sendRemaining(APDU apdu) {
        access.requireAuth();
        if (!chain.active()) {
            ISOException.throwIt(Protocol.SW_CONDITIONS);
        }
        return chain.fill(apdu.getBuffer(), this);
    }

    public short entrySize(byte kind, short slot) {
        short name = (short) (2 + store.get(slot, CredentialStore.NAME_LEN));
        if (kind == ResponseChain.LIST) {
            return (short) (name + 1);
        }
        if (!computedInList(slot)) {
            return (short) (name + 3);
        }
        byte alg = (byte) (store.get(slot, CredentialStore.STATUS) & Protocol.ALG_MASK);
        return (short) (name + (chain.mode() == TRUNCATED ? 7 : 3 + HmacEngine.hashLength(alg)));
    }

    public short entry(byte kind, short slot, byte[] out) {
        byte[] data = store.data();
        short at = CredentialStore.offset(slot);
        short nameLen = data[(short) (at + CredentialStore.NAME_LEN)];
        short n = 0;
        out[n++] = kind == ResponseChain.LIST ? Protocol.TAG_NAME_LIST : Protocol.TAG_NAME;
        if (kind == ResponseChain.LIST) {
            out[n++] = (byte) (nameLen + 1);
            out[n++] = data[(short) (at + CredentialStore.STATUS)];
        } else {
            out[n++] = (byte) nameLen;
        }
        n = Util.arrayCopyNonAtomic(data, (short) (at + CredentialStore.NAME), out, n, nameLen);
        if (kind == ResponseChain.LIST) {
            return n;
        }
        if (!computedInList(slot)
                || !acceptChallenge(slot, chain.challenge, (short) 0, Protocol.CHALLENGE_LENGTH)) {
            byte type = (byte) (data[(short) (at + CredentialStore.STATUS)] & Protocol.TYPE_MASK);
            out[n++] = type == Protocol.TYPE_HOTP ? Protocol.TAG_HOTP : Protocol.TAG_TOUCH;
            out[n++] = 1;
            out[n++] = data[(short) (at + CredentialStore.DIGITS)];
            return n;
        }
        return response(slot, chain.mode(), chain.challenge, (short) 0, Protocol.CHALLENGE_LENGTH, out, n);
    }

    /** CALCULATE ALL computes TOTP codes that need no touch; the others are listed with 77 or 7C. */
    private boolean computedInList(short slot) {
        byte status = store.get(slot, CredentialStore.STATUS);
        return (status & Protocol.TYPE_MASK) == Protocol.TYPE_TOTP
                && (store.get(slot, CredentialStore.PROPS) & Protocol.PROP_REQUIRE_TOUCH) == 0;
    }

    /**
     * Only-increasing TOTP credentials refuse a time step lower than the last one accepted
     * and remember a higher one. Other credentials accept every challenge.
     */
    private boolean acceptChallenge(short slot, byte[] buf, short off, short len) {
        if ((store.get(slot, CredentialStore.PROPS) & Protocol.PROP_ONLY_INCREASING) == 0
                || (store.get(slot, CredentialStore.STATUS) & Protocol.TYPE_MASK) != Protocol.TYPE_TOTP) {
            return true;
        }
        if (len != Protocol.CHALLENGE_LENGTH) {
            return false;
        }
        short last = (short) (CredentialStore.offset(slot) + CredentialStore.MOVING);
        short cmp = DeviceClock.compareUnsigned(buf, off, store.data(), last, len);
        if (cmp > 0) {
            store.setMoving(slot, buf, off);
        }
        return cmp >= 0;
    }

    /**
     * Writes the code of slot to out at n: 76 05 digits + 4 bytes (truncated) or
     * 75 len digits + MAC (full). HOTP uses and advances the card's counter.
     */
    private short response(short slot, byte mode, byte[] challenge, short off, short len, byte[] out, short n) {
        byte[] data = store.data();
        short at = CredentialStore.offset(slot);
        byte status = data[(short) (at + CredentialStore.STATUS)];
        byte alg = (byte) (status & Protocol.ALG_MASK);
        if ((status & Protocol.TYPE_MASK) == Protocol.TYPE_HOTP) {
            // The code uses the current counter; the next one is stored before the code leaves.
            challenge = scratch;
            off = (short) (COUNTER - 16);
            len = 8;
            Util.arrayCopyNonAtomic(data, (short) (at + CredentialStore.MOVING), scratch, off, len);
            Util.arrayCopyNonAtomic(scratch, off, scratch, (short) (off + 8), len);
            if (!increment(scratch, (short) (off + 8))) {
                ISOException.throwIt(Protocol.SW_CONDITIONS);
            }
            store.setMoving(slot, scratch, (short) (off + 8));
        }
        short macLen = hmac.sign(alg, data, store.firstHalf(slot), data, store.secondHalf(slot),
                challenge, off, len, scratch, MAC);
        byte digits = data[(short) (at + CredentialStore.DIGITS)];
        if (mode == TRUNCATED) {
            out[n++] = Protocol.TAG_TRUNCATED;
            out[n++] = 5;
            out[n++] = digits;
            short pick = (short) (MAC + (scratch[(short) (MAC + macLen - 1)] & 0x0F));
            n = Util.arrayCopyNonAtomic(scratch, pick, out, n, (short) 4);
            out[(short) (n - 4)] &= 0x7F;
        } else {
            out[n++] = Protocol.TAG_RESPONSE;
            out[n++] = (byte) (macLen + 1);
            out[n++] = digits;
            n = Util.arrayCopyNonAtomic(scratch, MAC, out, n, macLen);
        }
        // The MAC, and the challenge or counter when they were copied here.
        Util.arrayFillNonAtomic(scratch, MAC, macLen, (byte) 0);
        if (challenge == scratch) {
            Util.arrayFillNonAtomic(scratch, off, (short) (len + 8), (byte) 0);
        }
        return n;
    }

    /** Receives the command, reads its first TLV (a name) and finds that credential, or 6984. */
    private short findNamed(APDU apdu) {
        access.requireAuth();
        byte[] buf = apdu.getBuffer();
        byte ins = buf[ISO7816.OFFSET_INS];
        OathApplet.checkParams(buf, ins == Protocol.INS_CALCULATE ? TRUNCATED : (byte) 0);
        short dataLen = OathApplet.receive(apdu);
        tlv.start(OathApplet.dataOffset(apdu), dataLen);
        tlv.expect(buf, Protocol.TAG_NAME, (short) 1, Protocol.MAX_NAME);
        short slot = store.find(buf, tlv.value(), tlv.length());
        if (slot == CredentialStore.NONE) {
            ISOException.throwIt(Protocol.SW_NO_SUCH_OBJECT);
        }
        return slot;
    }

    /**
     * The period a YKOATH client put in front of the name ("60/issuer:account"), as 4 bytes at
     * out[off]: the card knows the period of credentials added by clients that do not send
     * tag D2. Decimal, 1 to 2^32 - 1.
     *
     * @return false when the name has no such prefix (out is then undefined)
     */
    private static boolean periodPrefix(byte[] buf, short name, short len, byte[] out, short off) {
        Util.arrayFillNonAtomic(out, off, (short) 4, (byte) 0);
        for (short i = 0; i < len && i <= MAX_PERIOD_DIGITS; i++) {
            byte b = buf[(short) (name + i)];
            if (b == '/') {
                return i > 0 && !isZero(out, off, (short) 4);
            }
            if (b < '0' || b > '9') {
                return false;
            }
            // out = out * 10 + digit; a carry out of the top byte is more than 32 bits.
            short carry = (short) (b - '0');
            for (short j = 3; j >= 0; j--) {
                short v = (short) ((short) ((out[(short) (off + j)] & 0xFF) * 10) + carry);
                out[(short) (off + j)] = (byte) v;
                carry = (short) (v >> 8);
            }
            if (carry != 0) {
                return false;
            }
        }
        return false;
    }

    private static boolean isZero(byte[] b, short off, short len) {
        for (short i = 0; i < len; i++) {
            if (b[(short) (off + i)] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Adds one to an 8-byte big-endian counter; false when it would wrap. */
    private static boolean increment(byte[] b, short off) {
        for (short i = 7; i >= 0; i--) {
            if (++b[(short) (off + i)] != 0) {
                return true;
            }
        }
        return false;
    }

}
