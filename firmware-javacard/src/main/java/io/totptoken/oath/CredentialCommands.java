package io.totptoken.oath;

import javacard.framework.APDU;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Util;

/** PUT, DELETE, RENAME, LIST, CALCULATE, CALCULATE ALL and SEND REMAINING (YKOATH). */
final class CredentialCommands implements ResponseChain.Producer {
    /** PUT's tag 73: the type, digits and a key of at most the longest hash block (SHA-512). */
    private static final short MAX_KEY_TLV = (short) (Protocol.PUT_KEY_HEADER + HmacEngine.BLOCK_MAX);
    /** A period prefix has at most 10 digits (2^32 - 1 = 4294967295) before its '/'. */
    private static final short MAX_PERIOD_DIGITS = 10;
    /** A tag 75 or 76 code starts with its digits byte; a 72 entry with its type byte. */
    private static final short DIGITS_BYTE = 1;
    /** The seconds left in D5: 2 bytes, or all 4 when they do not fit 2. */
    private static final short SHORT_VALID_FOR = 2;

    private final CredentialStore store;
    private final HmacEngine hmac;
    private final Tlv tlv;
    private final ResponseChain chain;
    private final AccessCommands access;
    private final DeviceClock clock;
    /** {@link Transients#scratch}: PUT uses its PUT_ view, CALCULATE its CODE_ view. */
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

    /** PUT: parsed into the scratch buffer's PUT_ view, then stored; both wiped after. */
    short put(APDU apdu) {
        access.requireAuth();
        byte[] buf = apdu.getBuffer();
        short dataLen = CommandInput.open(apdu, tlv, (byte) 0, (byte) 0);
        short data = apdu.getOffsetCdata();
        try {
            parsePut(buf);
            storePut(buf);
        } finally {
            // The key material, the counter, and the command that carried the key.
            Util.arrayFillNonAtomic(scratch, Transients.PUT_MATERIAL, Transients.PUT_SIZE, (byte) 0);
            Util.arrayFillNonAtomic(buf, data, dataLen, (byte) 0);
        }
        return 0;
    }

    /**
     * Checks PUT's TLVs and writes the credential to the PUT_ view: key material ready for the
     * card's engine, counter, period (given, from the name's prefix, or the default), type,
     * digits, properties and where the name is in buf. Nothing persistent is written.
     */
    private void parsePut(byte[] buf) {
        tlv.expect(buf, Protocol.TAG_NAME, (short) 1, Protocol.MAX_NAME);
        short name = tlv.value();
        short nameLen = tlv.length();
        tlv.expect(buf, Protocol.TAG_KEY, Protocol.PUT_KEY_HEADER, MAX_KEY_TLV);
        short key = tlv.value();
        byte typeAlg = buf[key];
        byte digits = buf[(short) (key + 1)];
        byte alg = (byte) (typeAlg & Protocol.ALG_MASK);
        byte type = (byte) (typeAlg & Protocol.TYPE_MASK);
        short keyLen = (short) (tlv.length() - Protocol.PUT_KEY_HEADER);
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
        Util.arrayFillNonAtomic(scratch, Transients.PUT_COUNTER, Transients.PUT_COUNTER_SIZE, (byte) 0);
        Util.arrayFillNonAtomic(scratch, Transients.PUT_PERIOD, Transients.PUT_PERIOD_SIZE, (byte) 0);
        while (tlv.hasMore()) {
            byte tag = tlv.next(buf);
            short len = tlv.length();
            if (tag == Protocol.TAG_PROPERTY) {
                props = buf[tlv.value()];
            } else if (tag == Protocol.TAG_IMF
                    && (len == Protocol.SHORT_COUNTER_LENGTH || len == Protocol.COUNTER_LENGTH)) {
                // Right-aligned: a 4-byte counter is the low half of the 8-byte one.
                Util.arrayCopyNonAtomic(buf, tlv.value(), scratch,
                        (short) (Transients.PUT_COUNTER + Transients.PUT_COUNTER_SIZE - len), len);
            } else if (tag == Protocol.TAG_KEY_STATES && len == (short) (2 * HmacEngine.half(alg))) {
                states = tlv.value();
            } else if (tag == Protocol.TAG_PERIOD && len >= 1 && len <= Protocol.PERIOD_LENGTH && !periodGiven) {
                Util.arrayCopyNonAtomic(buf, tlv.value(), scratch,
                        (short) (Transients.PUT_PERIOD + Transients.PUT_PERIOD_SIZE - len), len);
                periodGiven = true;
            } else {
                ISOException.throwIt(Protocol.SW_WRONG_DATA);
            }
        }
        if ((props & (byte) ~Protocol.PROP_KNOWN) != 0
                || (periodGiven && isZero(scratch, Transients.PUT_PERIOD, Transients.PUT_PERIOD_SIZE))) {
            ISOException.throwIt(Protocol.SW_WRONG_DATA);
        }
        short block = HmacEngine.blockLength(alg);
        if (states >= 0 && hmac.engine(alg) == HmacEngine.STATES) {
            Util.arrayCopyNonAtomic(buf, states, scratch, Transients.PUT_MATERIAL, block);
        } else if (keyLen > 0) {
            hmac.prepare(alg, buf, (short) (key + Protocol.PUT_KEY_HEADER), keyLen, scratch, Transients.PUT_MATERIAL);
        } else {
            // Precomputed states that this card cannot use, and no key to fall back on.
            ISOException.throwIt(Protocol.SW_FUNC_NOT_SUPPORTED);
        }
        if (!periodGiven && !periodPrefix(buf, name, nameLen, scratch, Transients.PUT_PERIOD)) {
            Util.arrayFillNonAtomic(scratch, Transients.PUT_PERIOD, Transients.PUT_PERIOD_SIZE, (byte) 0);
            scratch[(short) (Transients.PUT_PERIOD + Transients.PUT_PERIOD_SIZE - 1)] = (byte) Protocol.DEFAULT_PERIOD;
        }
        scratch[Transients.PUT_TYPE_ALG] = typeAlg;
        scratch[Transients.PUT_DIGITS] = digits;
        scratch[Transients.PUT_PROPS] = props;
        Util.setShort(scratch, Transients.PUT_NAME_AT, name);
        Util.setShort(scratch, Transients.PUT_NAME_LENGTH, nameLen);
    }

    /** Stores the credential parsePut left in the PUT_ view, replacing one of the same name; 6A84 when full. */
    private void storePut(byte[] buf) {
        if (!store.put(scratch[Transients.PUT_TYPE_ALG], scratch[Transients.PUT_DIGITS], scratch[Transients.PUT_PROPS],
                scratch, Transients.PUT_PERIOD, buf, Util.getShort(scratch, Transients.PUT_NAME_AT),
                Util.getShort(scratch, Transients.PUT_NAME_LENGTH), scratch, Transients.PUT_COUNTER,
                scratch, Transients.PUT_MATERIAL)) {
            ISOException.throwIt(Protocol.SW_NO_SPACE);
        }
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
        CommandInput.checkParams(apdu.getBuffer(), (byte) 0, (byte) 0);
        chain.start(ResponseChain.LIST, Protocol.P2_FULL);
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
            clock.now(scratch, Transients.CODE_TIME);
            clock.checkNotRolledBack(scratch, Transients.CODE_TIME);
            store.copyPeriod(slot, scratch, Transients.CODE_PERIOD);
            DeviceClock.divide(scratch, Transients.CODE_TIME, scratch, Transients.CODE_PERIOD,
                    scratch, Transients.CODE_CHALLENGE, scratch, Transients.CODE_VALID_FOR);
            DeviceClock.subtractFrom(scratch, Transients.CODE_PERIOD, scratch, Transients.CODE_VALID_FOR);
            challengeLen = Protocol.CHALLENGE_LENGTH;
        } else {
            // The challenge moves out of the way of the answer before it is written.
            Util.arrayCopyNonAtomic(buf, challenge, scratch, Transients.CODE_CHALLENGE, challengeLen);
        }
        byte props = store.get(slot, CredentialStore.PROPS);
        if ((props & Protocol.PROP_REQUIRE_TOUCH) != 0 && !access.pressed()) {
            ISOException.throwIt(Protocol.SW_AUTH_REQUIRED);
        }
        if (!acceptChallenge(slot, scratch, Transients.CODE_CHALLENGE, challengeLen)) {
            ISOException.throwIt(Protocol.SW_AUTH_REQUIRED);
        }
        if (!fromClock) {
            return response(slot, mode, scratch, Transients.CODE_CHALLENGE, challengeLen, buf, (short) 0);
        }
        clock.issued(scratch, Transients.CODE_TIME);
        short n = response(slot, mode, scratch, Transients.CODE_CHALLENGE, challengeLen, buf, (short) 0);
        buf[n++] = Protocol.TAG_TIME;
        buf[n++] = (byte) Protocol.TIME_LENGTH;
        n = Util.arrayCopyNonAtomic(scratch, Transients.CODE_TIME, buf, n, Protocol.TIME_LENGTH);
        // Seconds left: 2 bytes as before, 4 when a period of 65,536 s or more leaves that many.
        buf[n++] = Protocol.TAG_VALID_FOR;
        short validEnd = (short) (Transients.CODE_VALID_FOR + Transients.CODE_VALID_FOR_SIZE);
        short high = (short) (Transients.CODE_VALID_FOR_SIZE - SHORT_VALID_FOR);
        short wide = isZero(scratch, Transients.CODE_VALID_FOR, high)
                ? SHORT_VALID_FOR : Transients.CODE_VALID_FOR_SIZE;
        buf[n++] = (byte) wide;
        return Util.arrayCopyNonAtomic(scratch, (short) (validEnd - wide), buf, n, wide);
    }

    short calculateAll(APDU apdu) {
        access.requireAuth();
        byte[] buf = apdu.getBuffer();
        CommandInput.open(apdu, tlv, (byte) 0, Protocol.P2_TRUNCATED);
        byte mode = buf[ISO7816.OFFSET_P2];
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
            return (short) (name + 2 + DIGITS_BYTE);
        }
        byte alg = (byte) (store.get(slot, CredentialStore.STATUS) & Protocol.ALG_MASK);
        short code = chain.mode() == Protocol.P2_TRUNCATED ? Protocol.TRUNCATED_LENGTH : HmacEngine.hashLength(alg);
        return (short) (name + 2 + DIGITS_BYTE + code);
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
        boolean hotp = (status & Protocol.TYPE_MASK) == Protocol.TYPE_HOTP;
        if (hotp) {
            // The code uses the current counter; the next one is stored before the code leaves.
            challenge = scratch;
            off = Transients.CODE_COUNTER;
            len = Transients.CODE_COUNTER_SIZE;
            Util.arrayCopyNonAtomic(data, (short) (at + CredentialStore.MOVING), scratch, off, len);
            Util.arrayCopyNonAtomic(scratch, off, scratch, Transients.CODE_NEXT_COUNTER, len);
            if (!increment(scratch, Transients.CODE_NEXT_COUNTER)) {
                ISOException.throwIt(Protocol.SW_CONDITIONS);
            }
            store.setMoving(slot, scratch, Transients.CODE_NEXT_COUNTER);
        }
        short macLen = hmac.sign(alg, data, store.firstHalf(slot), data, store.secondHalf(slot),
                challenge, off, len, scratch, Transients.CODE_MAC);
        byte digits = data[(short) (at + CredentialStore.DIGITS)];
        if (mode == Protocol.P2_TRUNCATED) {
            out[n++] = Protocol.TAG_TRUNCATED;
            out[n++] = (byte) (DIGITS_BYTE + Protocol.TRUNCATED_LENGTH);
            out[n++] = digits;
            // RFC 4226 5.3: the low nibble of the last byte picks 4 bytes; their top bit is dropped.
            short pick = (short) (Transients.CODE_MAC + (scratch[(short) (Transients.CODE_MAC + macLen - 1)] & 0x0F));
            n = Util.arrayCopyNonAtomic(scratch, pick, out, n, Protocol.TRUNCATED_LENGTH);
            out[(short) (n - Protocol.TRUNCATED_LENGTH)] &= 0x7F;
        } else {
            out[n++] = Protocol.TAG_RESPONSE;
            out[n++] = (byte) (macLen + DIGITS_BYTE);
            out[n++] = digits;
            n = Util.arrayCopyNonAtomic(scratch, Transients.CODE_MAC, out, n, macLen);
        }
        // The MAC; the counter and its successor, or the challenge when it was copied here.
        Util.arrayFillNonAtomic(scratch, Transients.CODE_MAC, macLen, (byte) 0);
        if (hotp) {
            Util.arrayFillNonAtomic(scratch, Transients.CODE_COUNTER,
                    (short) (Transients.CODE_COUNTER_SIZE + Transients.CODE_NEXT_COUNTER_SIZE), (byte) 0);
        } else if (challenge == scratch) {
            Util.arrayFillNonAtomic(scratch, off, len, (byte) 0);
        }
        return n;
    }

    /** Receives the command, reads its first TLV (a name) and finds that credential, or 6984. */
    private short findNamed(APDU apdu) {
        access.requireAuth();
        byte[] buf = apdu.getBuffer();
        byte ins = buf[ISO7816.OFFSET_INS];
        CommandInput.open(apdu, tlv, (byte) 0, ins == Protocol.INS_CALCULATE ? Protocol.P2_TRUNCATED : (byte) 0);
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
        Util.arrayFillNonAtomic(out, off, Protocol.PERIOD_LENGTH, (byte) 0);
        for (short i = 0; i < len && i <= MAX_PERIOD_DIGITS; i++) {
            byte b = buf[(short) (name + i)];
            if (b == '/') {
                return i > 0 && !isZero(out, off, Protocol.PERIOD_LENGTH);
            }
            if (b < '0' || b > '9') {
                return false;
            }
            // out = out * 10 + digit; a carry out of the top byte is more than 32 bits.
            short carry = (short) (b - '0');
            for (short j = (short) (Protocol.PERIOD_LENGTH - 1); j >= 0; j--) {
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
        for (short i = (short) (Protocol.COUNTER_LENGTH - 1); i >= 0; i--) {
            if (++b[(short) (off + i)] != 0) {
                return true;
            }
        }
        return false;
    }

}
