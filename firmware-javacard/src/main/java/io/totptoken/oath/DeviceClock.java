package io.totptoken.oath;

import io.totptoken.platform.PlatformClock;
import javacard.framework.ISOException;
import javacard.framework.Util;

/**
 * Codes from the device's own clock. Time is 8-byte big-endian Unix seconds; dividing it by
 * the 32-bit period is done bit by bit in shorts (no long, no int on the card).
 *
 * <p>Anti-rollback: the latest clock time a code was computed for (the mark) is kept, and the
 * clock is never used for an earlier time, so setting the clock back (or a clock that jumps
 * back) cannot bring back a time step whose code was already shown. The mark belongs to the
 * epoch it was written in: RESET moves the token to a new epoch, so the same single-byte write
 * that hides every credential clears the mark, and a cut leaves both old or both new.
 */
final class DeviceClock {
    /** The latest clock time a code was issued for, counted only while {@link #markEpoch} is the token's epoch. */
    private final byte[] lastIssued = new byte[Protocol.TIME_LENGTH];
    /** The epoch {@link #lastIssued} was written in. */
    private final byte[] markEpoch = new byte[2];
    private final DeviceState device;

    DeviceClock(DeviceState device) {
        this.device = device;
    }

    private static PlatformClock platform() {
        PlatformClock c = PlatformServices.clock();
        if (c == null) {
            ISOException.throwIt(Protocol.SW_NO_CLOCK);
        }
        return c;
    }

    static boolean present() {
        return PlatformServices.clock() != null;
    }

    /** Writes the device's time at buf[off]; 6A88 without a clock. */
    void now(byte[] buf, short off) {
        platform().readTime(buf, off);
    }

    /** Whether the mark was written in this epoch (no RESET since). */
    private boolean marked() {
        return Util.getShort(markEpoch, (short) 0) == device.epoch();
    }

    /** Refuses (6985) a time earlier than one a code was already issued for. */
    void checkNotRolledBack(byte[] time, short off) {
        if (marked() && compare(time, off, lastIssued, (short) 0) < 0) {
            ISOException.throwIt(Protocol.SW_CONDITIONS);
        }
    }

    /**
     * Records that a code was issued for time: one atomic copy when the mark moves forward.
     * The first mark of an epoch writes the time, then the epoch: until the epoch is whole the
     * mark is the old epoch's (none), and no code has left yet.
     */
    void issued(byte[] time, short off) {
        if (!marked()) {
            Util.arrayCopy(time, off, lastIssued, (short) 0, Protocol.TIME_LENGTH);
            Util.setShort(markEpoch, (short) 0, device.epoch());
        } else if (compare(time, off, lastIssued, (short) 0) > 0) {
            Util.arrayCopy(time, off, lastIssued, (short) 0, Protocol.TIME_LENGTH);
        }
    }

    /** The mark, or zeros when no code came from the clock since install or the last RESET. */
    short copyLastIssued(byte[] out, short off) {
        if (!marked()) {
            return Util.arrayFillNonAtomic(out, off, Protocol.TIME_LENGTH, (byte) 0);
        }
        return Util.arrayCopyNonAtomic(lastIssued, (short) 0, out, off, Protocol.TIME_LENGTH);
    }

    /**
     * After RESET the mark is already void (another epoch); zeroing it too means a mark can
     * never come back when the 16-bit epoch wraps. Any half-zeroed value is still void.
     */
    void forget() {
        if (marked()) {
            return;
        }
        for (short i = 0; i < Protocol.TIME_LENGTH; i++) {
            if (lastIssued[i] != 0) {
                Util.arrayFillNonAtomic(lastIssued, (short) 0, Protocol.TIME_LENGTH, (byte) 0);
                return;
            }
        }
    }

    /**
     * Sets the clock to time; moving it backwards needs {@code backwards}, else 6985. The
     * rollback guard stays, so codes for the skipped-back times are still refused.
     */
    void set(byte[] time, short off, boolean backwards, byte[] scratch, short scratchOff) {
        PlatformClock c = platform();
        c.readTime(scratch, scratchOff);
        if (!backwards && compare(time, off, scratch, scratchOff) < 0) {
            ISOException.throwIt(Protocol.SW_CONDITIONS);
        }
        c.setTime(time, off);
    }

    /**
     * quotient = time / divisor and rest = time % divisor, with the 8-byte time and quotient and
     * the 4-byte divisor (1..2^32 - 1) and rest all big-endian and unsigned. Long division bit
     * by bit, the remainder held in two shorts.
     */
    static void divide(byte[] time, short off, byte[] divisor, short dOff, byte[] quotient, short qOff,
                       byte[] rest, short rOff) {
        short dHi = Util.getShort(divisor, dOff);
        short dLo = Util.getShort(divisor, (short) (dOff + 2));
        short rHi = 0;
        short rLo = 0;
        for (short i = 0; i < Protocol.TIME_LENGTH; i++) {
            byte in = time[(short) (off + i)];
            byte q = 0;
            for (short bit = 7; bit >= 0; bit--) {
                // The remainder is below the divisor, so shifting it loses at most one top bit,
                // and when that bit is set the true value exceeds any 32-bit divisor.
                boolean carry = rHi < 0;
                rHi = (short) ((short) (rHi << 1) | (short) ((rLo >> 15) & 1));
                rLo = (short) ((short) (rLo << 1) | (short) ((in >> bit) & 1));
                q = (byte) (q << 1);
                if (carry || !lessUnsigned(rHi, rLo, dHi, dLo)) {
                    short borrow = lessUnsigned(rLo, dLo) ? (short) 1 : (short) 0;
                    rLo = (short) (rLo - dLo);
                    rHi = (short) (rHi - dHi - borrow);
                    q |= 1;
                }
            }
            quotient[(short) (qOff + i)] = q;
        }
        Util.setShort(rest, rOff, rHi);
        Util.setShort(rest, (short) (rOff + 2), rLo);
    }

    /** b = a - b, for 4-byte unsigned big-endian numbers with a >= b. */
    static void subtractFrom(byte[] a, short aOff, byte[] b, short bOff) {
        short borrow = 0;
        for (short i = 3; i >= 0; i--) {
            short v = (short) ((short) (a[(short) (aOff + i)] & 0xFF) - (short) (b[(short) (bOff + i)] & 0xFF) - borrow);
            b[(short) (bOff + i)] = (byte) v;
            borrow = v < 0 ? (short) 1 : (short) 0;
        }
    }

    /** Whether the unsigned 32-bit number aHi:aLo is below bHi:bLo. */
    private static boolean lessUnsigned(short aHi, short aLo, short bHi, short bLo) {
        return aHi != bHi ? lessUnsigned(aHi, bHi) : lessUnsigned(aLo, bLo);
    }

    static boolean lessUnsigned(short a, short b) {
        return (short) (a ^ (short) 0x8000) < (short) (b ^ (short) 0x8000);
    }

    /** Unsigned comparison of two 8-byte times: negative, zero or positive. */
    static short compare(byte[] a, short aOff, byte[] b, short bOff) {
        return compareUnsigned(a, aOff, b, bOff, Protocol.TIME_LENGTH);
    }

    /** Unsigned big-endian comparison of two byte strings of len bytes (times, time steps). */
    static short compareUnsigned(byte[] a, short aOff, byte[] b, short bOff, short len) {
        for (short i = 0; i < len; i++) {
            short x = (short) (a[(short) (aOff + i)] & 0xFF);
            short y = (short) (b[(short) (bOff + i)] & 0xFF);
            if (x != y) {
                return (short) (x - y);
            }
        }
        return 0;
    }
}
