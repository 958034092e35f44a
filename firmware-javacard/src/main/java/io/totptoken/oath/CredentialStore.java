package io.totptoken.oath;

import javacard.framework.Util;

/**
 * The credential pool: a fixed number of fixed-size records allocated at install.
 *
 * <p>A record is live when its STATUS byte is non-zero and its EPOCH equals the token's.
 * Every change writes into records nobody sees and becomes visible through one final
 * single-byte write of STATUS, so a power cut at any point leaves the old or the new
 * state. Overwrite and rename write a new record that names the one it replaces; until the
 * old one is released a persistent flag asks for {@link #repair()}, which every command runs
 * first. A SHA-512 credential keeps the second half of its key material in an extension
 * record whose own STATUS stays zero.
 *
 * <p>A TOTP period is 32 bits: its low half in the record header, its high half in
 * {@link #periodHigh} at the record's slot, written like the rest of a record before its
 * STATUS makes it live. (A separate array keeps the record layout, and so the stored records,
 * of tokens whose periods all fit 16 bits.)
 */
final class CredentialStore {
    static final short NONE = -1;

    // Record layout (offsets in bytes).
    static final short STATUS = 0;      // type|algorithm; 0 = free
    static final short DIGITS = 1;
    static final short PROPS = 2;
    static final short NAME_LEN = 3;
    static final short EXT = 4;         // short: extension record for SHA-512, or NONE
    static final short REPLACES = 6;    // short: record this one supersedes, or NONE
    static final short EPOCH = 8;       // short
    static final short MOVING = 10;     // 8 bytes: HOTP counter, or last accepted TOTP challenge
    static final short PERIOD = 18;     // short: TOTP period in seconds, low 16 bits (high 16 in periodHigh)
    static final short NAME = 20;       // MAX_NAME bytes
    static final short SECRET = 84;     // 64 bytes: material half 1 (and half 2 below SHA-512)
    static final short HEADER = NAME;
    static final short RECORD = 148;
    /** Key material in one record: a SHA-512 credential's first half, or both halves of a shorter one. */
    static final short SECRET_SIZE = 64;
    /** Bytes per slot in {@link #periodHigh}. */
    private static final short PERIOD_HIGH_SIZE = 2;

    private final byte[] records;
    private final short slots;
    private final DeviceState device;
    /** [0]: a replace or reset may have left work for repair(). */
    private final byte[] repairPending = new byte[1];
    /** Per slot, 2 bytes: the high half of the record's TOTP period. */
    private final byte[] periodHigh;
    /** RAM: a header being assembled, and a bitmap of slots in use. */
    private final byte[] header;
    private final byte[] used;

    CredentialStore(short slots, DeviceState device, Transients ram) {
        this.slots = slots;
        this.device = device;
        records = new byte[(short) (slots * RECORD)];
        periodHigh = new byte[(short) (slots * PERIOD_HIGH_SIZE)];
        header = ram.recordHeader;
        used = ram.usedSlots;
    }

    /** The record array, for reading names and material in place. */
    byte[] data() {
        return records;
    }

    short slots() {
        return slots;
    }

    static short offset(short slot) {
        return (short) (slot * RECORD);
    }

    boolean isLive(short slot) {
        short at = offset(slot);
        return records[(short) (at + STATUS)] != 0 && Util.getShort(records, (short) (at + EPOCH)) == device.epoch();
    }

    /** First live slot at or after from, or NONE. */
    short nextLive(short from) {
        for (short s = from; s < slots; s++) {
            if (isLive(s)) {
                return s;
            }
        }
        return NONE;
    }

    short find(byte[] name, short off, short len) {
        short epoch = device.epoch();
        for (short s = 0; s < slots; s++) {
            short at = offset(s);
            if (records[(short) (at + STATUS)] != 0 && records[(short) (at + NAME_LEN)] == len
                    && Util.getShort(records, (short) (at + EPOCH)) == epoch
                    && Util.arrayCompare(records, (short) (at + NAME), name, off, len) == 0) {
                return s;
            }
        }
        return NONE;
    }

    byte get(short slot, short field) {
        return records[(short) (offset(slot) + field)];
    }

    /** Offset of material half 1; half 2 is at {@link #secondHalf}. */
    short firstHalf(short slot) {
        return (short) (offset(slot) + SECRET);
    }

    short secondHalf(short slot) {
        short at = offset(slot);
        if ((records[(short) (at + STATUS)] & Protocol.ALG_MASK) == Protocol.ALG_SHA512) {
            return (short) (offset(Util.getShort(records, (short) (at + EXT))) + SECRET);
        }
        return (short) (at + SECRET + SECRET_SIZE / 2);
    }

    /** Writes the record's 32-bit TOTP period, big-endian, at out[off]. */
    void copyPeriod(short slot, byte[] out, short off) {
        Util.arrayCopyNonAtomic(periodHigh, (short) (slot * PERIOD_HIGH_SIZE), out, off, PERIOD_HIGH_SIZE);
        Util.arrayCopyNonAtomic(records, (short) (offset(slot) + PERIOD), out, (short) (off + PERIOD_HIGH_SIZE),
                (short) (Protocol.PERIOD_LENGTH - PERIOD_HIGH_SIZE));
    }

    /** Atomically replaces the 8-byte moving factor (Util.arrayCopy is atomic on persistent arrays). */
    void setMoving(short slot, byte[] src, short off) {
        Util.arrayCopy(src, off, records, (short) (offset(slot) + MOVING), Protocol.COUNTER_LENGTH);
    }

    /**
     * Stores a credential, replacing a live one of the same name. The material is
     * 2 * HmacEngine.half(alg) bytes; moving is the 8-byte initial counter; period is the
     * TOTP period in seconds, 4 bytes big-endian (unsigned).
     *
     * @return false when there is no room
     */
    boolean put(byte typeAlg, byte digits, byte props, byte[] period, short periodOff, byte[] name, short nameOff,
                short nameLen, byte[] moving, short movingOff, byte[] material, short materialOff) {
        boolean sha512 = (typeAlg & Protocol.ALG_MASK) == Protocol.ALG_SHA512;
        short old = markUsed(name, nameOff, nameLen);
        short slot = takeFree();
        short ext = sha512 ? takeFree() : NONE;
        if (slot == NONE || (sha512 && ext == NONE)) {
            return false;
        }
        buildHeader(digits, props, Util.getShort(period, (short) (periodOff + PERIOD_HIGH_SIZE)), nameLen, ext, old,
                moving, movingOff);
        short at = offset(slot);
        Util.arrayCopy(period, periodOff, periodHigh, (short) (slot * PERIOD_HIGH_SIZE), PERIOD_HIGH_SIZE);
        Util.arrayCopy(header, DIGITS, records, (short) (at + DIGITS), (short) (HEADER - DIGITS));
        Util.arrayCopy(name, nameOff, records, (short) (at + NAME), nameLen);
        Util.arrayCopy(material, materialOff, records, (short) (at + SECRET), SECRET_SIZE);
        if (sha512) {
            Util.arrayCopy(material, (short) (materialOff + SECRET_SIZE), records, (short) (offset(ext) + SECRET),
                    SECRET_SIZE);
        }
        commit(slot, typeAlg, old);
        return true;
    }

    /** Gives a live credential a new name, keeping its key. @return false when there is no room */
    boolean rename(short slot, byte[] name, short nameOff, short nameLen) {
        markUsed();
        short copy = takeFree();
        if (copy == NONE) {
            return false;
        }
        short from = offset(slot);
        short at = offset(copy);
        Util.arrayCopyNonAtomic(records, from, header, (short) 0, HEADER);
        header[NAME_LEN] = (byte) nameLen;
        Util.setShort(header, REPLACES, slot);
        Util.arrayCopy(periodHigh, (short) (slot * PERIOD_HIGH_SIZE), periodHigh, (short) (copy * PERIOD_HIGH_SIZE),
                PERIOD_HIGH_SIZE);
        Util.arrayCopy(header, DIGITS, records, (short) (at + DIGITS), (short) (HEADER - DIGITS));
        Util.arrayCopy(name, nameOff, records, (short) (at + NAME), nameLen);
        Util.arrayCopy(records, (short) (from + SECRET), records, (short) (at + SECRET), SECRET_SIZE);
        commit(copy, records[(short) (from + STATUS)], slot);
        return true;
    }

    /** One write hides the credential; then its key material is wiped. */
    void delete(short slot) {
        records[(short) (offset(slot) + STATUS)] = 0;
        wipe(slot, false);
    }

    /**
     * Finishes what a cut left: releases records superseded by a live record and records of an
     * old epoch, and wipes key material left in free records. Idempotent.
     */
    void repair() {
        if (repairPending[0] == 0) {
            return;
        }
        short epoch = device.epoch();
        for (short s = 0; s < slots; s++) {
            short at = offset(s);
            if (records[(short) (at + STATUS)] != 0 && Util.getShort(records, (short) (at + EPOCH)) != epoch) {
                records[(short) (at + STATUS)] = 0;
            }
        }
        for (short s = 0; s < slots; s++) {
            short target = Util.getShort(records, (short) (offset(s) + REPLACES));
            if (target != NONE && isLive(s)) {
                if (target >= 0 && target < slots) {
                    release(s, target);
                } else {
                    // Clearing the link was cut after its first byte (NONE starts with FF).
                    Util.setShort(records, (short) (offset(s) + REPLACES), NONE);
                }
            }
        }
        markUsed();
        for (short s = 0; s < slots; s++) {
            if (!inUse(s)) {
                wipe(s, true);
            }
        }
        repairPending[0] = 0;
    }

    /** After a reset made every record stale: clear them now rather than at the next repair. */
    void dropAll() {
        repairPending[0] = 1;
        repair();
    }

    /** Marks that a reset is about to hide everything, so a cut after it gets cleaned up. */
    void expectRepair() {
        repairPending[0] = 1;
    }

    /** Slots taken by live credentials and their extension records. */
    short usedSlots() {
        markUsed();
        short n = 0;
        for (short s = 0; s < slots; s++) {
            if (inUse(s)) {
                n++;
            }
        }
        return n;
    }

    short credentials() {
        short n = 0;
        for (short s = 0; s < slots; s++) {
            if (isLive(s)) {
                n++;
            }
        }
        return n;
    }

    private void buildHeader(byte digits, byte props, short period, short nameLen, short ext, short replaces,
                             byte[] moving, short movingOff) {
        Util.arrayFillNonAtomic(header, (short) 0, HEADER, (byte) 0);
        header[DIGITS] = digits;
        header[PROPS] = props;
        Util.setShort(header, PERIOD, period);
        header[NAME_LEN] = (byte) nameLen;
        Util.setShort(header, EXT, ext);
        Util.setShort(header, REPLACES, replaces);
        Util.setShort(header, EPOCH, device.epoch());
        Util.arrayCopyNonAtomic(moving, movingOff, header, MOVING, Protocol.COUNTER_LENGTH);
    }

    /** The visibility write, then the release of what the new record supersedes. */
    private void commit(short slot, byte status, short replaced) {
        if (replaced != NONE) {
            repairPending[0] = 1;
        }
        records[(short) (offset(slot) + STATUS)] = status;
        if (replaced != NONE) {
            release(slot, replaced);
            repairPending[0] = 0;
        }
    }

    /** Hides the record that slot supersedes, wipes its material, then forgets the link. */
    private void release(short slot, short replaced) {
        short at = offset(slot);
        short rat = offset(replaced);
        if (records[(short) (rat + STATUS)] != 0) {
            records[(short) (rat + STATUS)] = 0;
        }
        boolean sharedExt = Util.getShort(records, (short) (rat + EXT)) == Util.getShort(records, (short) (at + EXT));
        wipe(replaced, sharedExt);
        Util.setShort(records, (short) (at + REPLACES), NONE);
    }

    /** Zeroes the material of a non-live record, and of its extension unless that is kept. */
    private void wipe(short slot, boolean keepExt) {
        short at = offset(slot);
        short ext = Util.getShort(records, (short) (at + EXT));
        clearSecret(slot);
        if (!keepExt && ext != NONE && ext >= 0 && ext < slots) {
            clearSecret(ext);
        }
    }

    private void clearSecret(short slot) {
        short at = (short) (offset(slot) + SECRET);
        for (short i = 0; i < SECRET_SIZE; i++) {
            if (records[(short) (at + i)] != 0) {
                Util.arrayFillNonAtomic(records, at, SECRET_SIZE, (byte) 0);
                return;
            }
        }
    }

    private void markUsed() {
        markUsed(null, (short) 0, (short) 0);
    }

    /**
     * Marks the slots in use (live, stale, extension records) and, in the same pass, finds the
     * live credential with the given name (PUT needs both).
     *
     * @return that credential's slot, or NONE (always NONE without a name)
     */
    private short markUsed(byte[] name, short nameOff, short nameLen) {
        Util.arrayFillNonAtomic(used, (short) 0, (short) used.length, (byte) 0);
        short epoch = device.epoch();
        short found = NONE;
        for (short s = 0; s < slots; s++) {
            short at = offset(s);
            byte status = records[(short) (at + STATUS)];
            if (status == 0) {
                continue;
            }
            // A stale record is not live, but it is not free until repair clears it.
            mark(s);
            if (Util.getShort(records, (short) (at + EPOCH)) != epoch) {
                continue;
            }
            if ((status & Protocol.ALG_MASK) == Protocol.ALG_SHA512) {
                mark(Util.getShort(records, (short) (at + EXT)));
            }
            if (name != null && records[(short) (at + NAME_LEN)] == nameLen
                    && Util.arrayCompare(records, (short) (at + NAME), name, nameOff, nameLen) == 0) {
                found = s;
            }
        }
        return found;
    }

    private void mark(short slot) {
        used[(short) (slot >> 3)] |= (byte) (1 << (slot & 7));
    }

    private boolean inUse(short slot) {
        return (used[(short) (slot >> 3)] & (byte) (1 << (slot & 7))) != 0;
    }

    /** A slot that is neither live, stale, nor an extension; marked taken. */
    private short takeFree() {
        for (short s = 0; s < slots; s++) {
            if (!inUse(s)) {
                mark(s);
                return s;
            }
        }
        return NONE;
    }
}
