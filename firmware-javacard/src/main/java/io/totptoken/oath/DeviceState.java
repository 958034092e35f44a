package io.totptoken.oath;

import javacard.framework.Util;

/**
 * Token-wide persistent state: the epoch that makes credentials visible, the 8-byte ID
 * (the password salt) and the password with its retry counter.
 *
 * <p>Two banks and one selector byte: a change is written into the inactive bank and made
 * visible by one single-byte write to the selector, so a power cut leaves the old or the new
 * state. Only the retry counter is updated in place, itself one byte.
 */
final class DeviceState {
    private static final short EPOCH = 0;
    private static final short ID = 2;
    private static final short PW_SET = 10;
    private static final short PW_TRIES = 11;
    private static final short PW_MATERIAL = 12;
    private static final short PW_MATERIAL_LEN = 64;
    private static final short BANK = (short) (PW_MATERIAL + PW_MATERIAL_LEN);

    private final byte[] banks = new byte[(short) (2 * BANK)];
    private final byte[] selector = new byte[1];
    /** Written at install, never changed: unlike the ID, it survives RESET. */
    private final byte[] serial = new byte[Protocol.SERIAL_LENGTH];
    private final byte maxTries;

    DeviceState(byte maxTries, byte[] randomId, short idOff, byte[] serialSource, short serialOff) {
        this.maxTries = maxTries;
        if (serialSource != null) {
            Util.arrayCopy(serialSource, serialOff, serial, (short) 0, Protocol.SERIAL_LENGTH);
        }
        Util.arrayCopy(randomId, idOff, banks, ID, Protocol.ID_LENGTH);
        banks[PW_TRIES] = maxTries;
    }

    private short active() {
        return selector[0] == 0 ? 0 : BANK;
    }

    private short inactive() {
        return selector[0] == 0 ? BANK : 0;
    }

    short epoch() {
        return Util.getShort(banks, (short) (active() + EPOCH));
    }

    short copySerial(byte[] out, short off) {
        return Util.arrayCopyNonAtomic(serial, (short) 0, out, off, Protocol.SERIAL_LENGTH);
    }

    void copyId(byte[] out, short off) {
        Util.arrayCopyNonAtomic(banks, (short) (active() + ID), out, off, Protocol.ID_LENGTH);
    }

    boolean passwordSet() {
        return banks[(short) (active() + PW_SET)] != 0;
    }

    byte triesLeft() {
        return banks[(short) (active() + PW_TRIES)];
    }

    byte maxTries() {
        return maxTries;
    }

    /** The password's HMAC-SHA1 material lives in this array at {@link #passwordOffset()}. */
    byte[] passwordArray() {
        return banks;
    }

    short passwordOffset() {
        return (short) (active() + PW_MATERIAL);
    }

    /** Spends one try before the check, so cutting power cannot buy a free guess. */
    void spendTry() {
        banks[(short) (active() + PW_TRIES)] = (byte) (triesLeft() - 1);
    }

    void restoreTries() {
        if (triesLeft() != maxTries) {
            banks[(short) (active() + PW_TRIES)] = maxTries;
        }
    }

    /** Sets (material != null) or removes the password; tries start full. */
    void setPassword(byte[] material, short off) {
        short from = active();
        short to = inactive();
        Util.arrayCopy(banks, (short) (from + EPOCH), banks, (short) (to + EPOCH), (short) (ID + Protocol.ID_LENGTH));
        writeAccess(to, material, off);
        flip(from);
    }

    /** Factory reset: the next epoch hides every credential, a new ID, no password. */
    void reset(byte[] newId, short idOff) {
        short from = active();
        short to = inactive();
        Util.setShort(banks, (short) (to + EPOCH), (short) (epoch() + 1));
        Util.arrayCopy(newId, idOff, banks, (short) (to + ID), Protocol.ID_LENGTH);
        writeAccess(to, null, (short) 0);
        flip(from);
    }

    private void writeAccess(short bank, byte[] material, short off) {
        banks[(short) (bank + PW_TRIES)] = maxTries;
        if (material == null) {
            banks[(short) (bank + PW_SET)] = 0;
            Util.arrayFillNonAtomic(banks, (short) (bank + PW_MATERIAL), PW_MATERIAL_LEN, (byte) 0);
        } else {
            Util.arrayCopy(material, off, banks, (short) (bank + PW_MATERIAL), PW_MATERIAL_LEN);
            banks[(short) (bank + PW_SET)] = 1;
        }
    }

    /** The one write that switches banks; then the old password material is wiped. */
    private void flip(short oldBank) {
        selector[0] = (byte) (selector[0] == 0 ? 1 : 0);
        Util.arrayFillNonAtomic(banks, (short) (oldBank + PW_MATERIAL), PW_MATERIAL_LEN, (byte) 0);
    }
}
