package io.totptoken.sim;

import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * Counts the applet's writes to persistent memory and cuts the power after the k-th one.
 * {@link TearingClassLoader} routes every such write through here. Util.arrayCopy is one
 * write (the Java Card API makes it atomic on persistent arrays); the non-atomic copy and
 * fill and setShort write byte by byte, so a cut can land inside them, as on a card.
 */
public final class PowerCut {
    /** Thrown where the power goes; nothing after it runs. */
    public static final class Cut extends Error {
        Cut() {
            super("power cut", null, false, false);
        }
    }

    private static int cutAfter = -1;
    private static int writes;
    private static boolean happened;

    private PowerCut() {
    }

    static void arm(int k) {
        cutAfter = k;
        writes = 0;
        happened = false;
    }

    static void disarm() {
        cutAfter = -1;
    }

    static boolean happened() {
        return happened;
    }

    static int writes() {
        return writes;
    }

    private static boolean persistent(Object array) {
        return array != null && JCSystem.isTransient(array) == JCSystem.NOT_A_TRANSIENT_OBJECT;
    }

    private static void wrote() {
        if (cutAfter >= 0 && ++writes == cutAfter) {
            happened = true;
            cutAfter = -1;
            throw new Cut();
        }
    }

    public static void bastore(Object array, int index, int value) {
        if (array instanceof boolean[] b) {
            b[index] = value != 0;
        } else {
            ((byte[]) array)[index] = (byte) value;
        }
        if (persistent(array)) {
            wrote();
        }
    }

    public static void sastore(short[] array, int index, int value) {
        array[index] = (short) value;
        if (persistent(array)) {
            wrote();
        }
    }

    public static void aastore(Object[] array, int index, Object value) {
        array[index] = value;
        if (persistent(array)) {
            wrote();
        }
    }

    public static void field() {
        wrote();
    }

    public static short arrayCopy(byte[] src, short srcOff, byte[] dst, short dstOff, short len) {
        short r = Util.arrayCopy(src, srcOff, dst, dstOff, len);
        if (persistent(dst) && len > 0) {
            wrote();
        }
        return r;
    }

    public static short arrayCopyNonAtomic(byte[] src, short srcOff, byte[] dst, short dstOff, short len) {
        if (!persistent(dst) || src == dst) {
            return Util.arrayCopyNonAtomic(src, srcOff, dst, dstOff, len);
        }
        for (short i = 0; i < len; i++) {
            dst[dstOff + i] = src[srcOff + i];
            wrote();
        }
        return (short) (dstOff + len);
    }

    public static short arrayFillNonAtomic(byte[] dst, short off, short len, byte value) {
        if (!persistent(dst)) {
            return Util.arrayFillNonAtomic(dst, off, len, value);
        }
        for (short i = 0; i < len; i++) {
            dst[off + i] = value;
            wrote();
        }
        return (short) (off + len);
    }

    public static short setShort(byte[] dst, short off, short value) {
        if (!persistent(dst)) {
            return Util.setShort(dst, off, value);
        }
        dst[off] = (byte) (value >> 8);
        wrote();
        dst[off + 1] = (byte) value;
        wrote();
        return (short) (off + 2);
    }
}
