package io.totptoken.oath;

import javacard.framework.Util;

/**
 * Streams a long answer (LIST, CALCULATE ALL) in chunks of up to 256 bytes, filled to the
 * brim: an entry is built whole into RAM and copied out across as many chunks as needed,
 * and the rest follows on SEND REMAINING. Nothing has to fit in a buffer at once, so
 * every credential can be listed whatever the name lengths.
 */
final class ResponseChain {
    static final byte NONE = 0;
    static final byte LIST = 1;
    static final byte CALCULATE_ALL = 2;

    /** Builds the entry of one credential and tells its size without building it. */
    interface Producer {
        short entry(byte kind, short slot, byte[] out);

        short entrySize(byte kind, short slot);
    }

    private static final short KIND = 0;
    private static final short NEXT = 1;
    private static final short PENDING_OFF = 2;
    private static final short PENDING_LEN = 3;
    private static final short MODE = 4;
    /** Shorts of RAM the chain's position takes ({@link Transients#chainState}). */
    static final short STATE_SIZE = 5;
    /** Largest entry: 71 40 name(64) 75 41 digits mac(64). */
    static final short ENTRY_MAX = 136;

    private final short[] st;
    private final byte[] pending;
    /** The CALCULATE ALL challenge, kept for the chunks that follow. */
    final byte[] challenge;
    private final CredentialStore store;

    ResponseChain(CredentialStore store, Transients ram) {
        this.store = store;
        st = ram.chainState;
        pending = ram.chainEntry;
        challenge = ram.chainChallenge;
    }

    void start(byte kind, byte mode) {
        st[KIND] = kind;
        st[MODE] = mode;
        st[NEXT] = 0;
        st[PENDING_OFF] = 0;
        st[PENDING_LEN] = 0;
    }

    void reset() {
        if (st[KIND] != NONE) {
            st[KIND] = NONE;
            Util.arrayFillNonAtomic(pending, (short) 0, ENTRY_MAX, (byte) 0);
        }
    }

    boolean active() {
        return st[KIND] != NONE;
    }

    byte mode() {
        return (byte) st[MODE];
    }

    /**
     * Fills buf from 0 with up to {@link Protocol#CHUNK} bytes.
     *
     * @return the bytes written; {@link #remaining} then tells what is left
     */
    short fill(byte[] buf, Producer producer) {
        short n = 0;
        byte kind = (byte) st[KIND];
        while (n < Protocol.CHUNK) {
            short left = (short) (st[PENDING_LEN] - st[PENDING_OFF]);
            if (left > 0) {
                short take = left < (short) (Protocol.CHUNK - n) ? left : (short) (Protocol.CHUNK - n);
                Util.arrayCopyNonAtomic(pending, st[PENDING_OFF], buf, n, take);
                st[PENDING_OFF] += take;
                n += take;
                continue;
            }
            short slot = store.nextLive(st[NEXT]);
            if (slot == CredentialStore.NONE) {
                st[NEXT] = store.slots();
                break;
            }
            st[PENDING_LEN] = producer.entry(kind, slot, pending);
            st[PENDING_OFF] = 0;
            st[NEXT] = (short) (slot + 1);
        }
        return n;
    }

    /** Bytes still to come, counted up to 256 (the 61xx status word's "256 or more"); 0 ends the chain. */
    short remaining(Producer producer) {
        short total = (short) (st[PENDING_LEN] - st[PENDING_OFF]);
        byte kind = (byte) st[KIND];
        for (short s = store.nextLive(st[NEXT]); s != CredentialStore.NONE && total < Protocol.CHUNK;
             s = store.nextLive((short) (s + 1))) {
            total += producer.entrySize(kind, s);
        }
        if (total == 0) {
            reset();
        }
        return total > Protocol.CHUNK ? Protocol.CHUNK : total;
    }
}
