package io.totptoken.oath;

import javacard.framework.Util;
import javacard.security.CryptoException;
import javacard.security.HMACKey;
import javacard.security.InitializedMessageDigest;
import javacard.security.KeyBuilder;
import javacard.security.MessageDigest;
import javacard.security.Signature;

/**
 * HMAC over SHA-1, SHA-256 and SHA-512 with the cheapest engine the card has, chosen at
 * install by a known-answer test (RFC 2202 / RFC 4231 test case 2):
 * <ol>
 * <li>{@link #STATES}: precomputed inner and outer chaining states restarted with
 * {@link InitializedMessageDigest}; a TOTP code costs 2 compressions (SHA-1, SHA-256).</li>
 * <li>{@link #SIGNATURE}: the card's native HMAC {@link Signature} with a transient key.</li>
 * <li>{@link #DIGEST}: HMAC built from {@link MessageDigest}; 4 compressions.</li>
 * </ol>
 * <p>Key material is two halves of {@link #half} bytes. For STATES the first half holds the
 * inner state and the second the outer state; otherwise the halves hold the key, zero-padded
 * to the hash block size (HMAC is unchanged by that padding).
 */
final class HmacEngine {
    static final byte NONE = 0;
    static final byte STATES = 1;
    static final byte SIGNATURE = 2;
    static final byte DIGEST = 3;

    private static final byte IPAD = (byte) 0x36;
    private static final byte OPAD = (byte) 0x5C;
    /** The longest hash block (SHA-512) and hash output (SHA-512). */
    static final short BLOCK_MAX = 128;
    static final short HASH_MAX = 64;
    /** The SHA-1 and SHA-256 hash block; their outputs. */
    static final short BLOCK = 64;
    static final short SHA1_HASH = 20;
    static final short SHA256_HASH = 32;
    /** Bytes of RAM the work area takes ({@link Transients#hmacWork}). */
    static final short WORK_SIZE = BLOCK_MAX + HASH_MAX;
    /** Digested-length arguments for setInitialDigest: one block of 64 or 128 bytes. */
    private static final byte[] ONE_BLOCK = {0x00, 0x40, 0x00, (byte) 0x80};

    private static final byte[] KAT_KEY = {'J', 'e', 'f', 'e'};
    private static final byte[] KAT_MSG = {'w', 'h', 'a', 't', ' ', 'd', 'o', ' ', 'y', 'a', ' ', 'w', 'a', 'n', 't',
        ' ', 'f', 'o', 'r', ' ', 'n', 'o', 't', 'h', 'i', 'n', 'g', '?'};
    private static final short KAT_MAC_LENGTH = 8;
    /** First KAT_MAC_LENGTH bytes of HMAC(KAT_KEY, KAT_MSG) for SHA-1, SHA-256, SHA-512. */
    private static final byte[] KAT_MAC = {
        (byte) 0xef, (byte) 0xfc, (byte) 0xdf, (byte) 0x6a, (byte) 0xe5, (byte) 0xeb, (byte) 0x2f, (byte) 0xa2,
        (byte) 0x5b, (byte) 0xdc, (byte) 0xc1, (byte) 0x46, (byte) 0xbf, (byte) 0x60, (byte) 0x75, (byte) 0x4e,
        (byte) 0x16, (byte) 0x4b, (byte) 0x7a, (byte) 0x7b, (byte) 0xfc, (byte) 0xf8, (byte) 0x19, (byte) 0xe2};

    private final byte[] engines = new byte[4];
    private final Object[] digests = new Object[4];
    private final Object[] initialized = new Object[4];
    private final Object[] signatures = new Object[4];
    private HMACKey key64;
    private HMACKey key128;
    private final ShaCompressor compressor;
    /** RAM: one hash block, then one hash output. Wiped after every use. */
    private final byte[] work;

    /** Probes the engines in the scratch buffer's KEY_ view, which is wiped after. */
    HmacEngine(byte disabled, Transients ram) {
        compressor = new ShaCompressor(ram.shaWords);
        work = ram.hmacWork;
        byte[] scratch = ram.scratch;
        for (byte alg = Protocol.ALG_SHA1; alg <= Protocol.ALG_SHA512; alg++) {
            digests[alg] = digestInstance(alg, false);
            if ((disabled & Protocol.DISABLE_STATES) == 0) {
                initialized[alg] = digestInstance(alg, true);
            }
            if ((disabled & Protocol.DISABLE_SIGNATURE) == 0) {
                signatures[alg] = signatureInstance(alg);
            }
            for (byte candidate = STATES; candidate <= DIGEST; candidate++) {
                if (engines[alg] == NONE && available(alg, candidate)) {
                    engines[alg] = candidate;
                    if (!passesKnownAnswer(alg, scratch)) {
                        engines[alg] = NONE;
                    }
                }
            }
        }
    }

    static short hashLength(byte alg) {
        return alg == Protocol.ALG_SHA1 ? SHA1_HASH : (alg == Protocol.ALG_SHA256 ? SHA256_HASH : HASH_MAX);
    }

    static short blockLength(byte alg) {
        return alg == Protocol.ALG_SHA512 ? BLOCK_MAX : BLOCK;
    }

    /** Size of each material half: half a block, which also holds one chaining state. */
    static short half(byte alg) {
        return (short) (blockLength(alg) / 2);
    }

    byte engine(byte alg) {
        return engines[alg];
    }

    /**
     * Turns a key of at most one block into 2 * half(alg) bytes of material in out.
     * RAM used on the way is wiped; out is the caller's to wipe.
     */
    void prepare(byte alg, byte[] key, short keyOff, short keyLen, byte[] out, short outOff) {
        short block = blockLength(alg);
        if (engines[alg] != STATES) {
            Util.arrayFillNonAtomic(out, outOff, block, (byte) 0);
            Util.arrayCopyNonAtomic(key, keyOff, out, outOff, keyLen);
            return;
        }
        short half = half(alg);
        Util.arrayFillNonAtomic(out, outOff, block, (byte) 0);
        padKey(key, keyOff, keyLen, block, IPAD);
        compressor.compressFromIv(alg, work, (short) 0, out, outOff);
        padKey(key, keyOff, keyLen, block, OPAD);
        compressor.compressFromIv(alg, work, (short) 0, out, (short) (outOff + half));
        wipe();
    }

    /**
     * HMAC of msg with material in halves (h1, h2); writes hashLength(alg) bytes to out. RAM
     * that held key-derived bytes is wiped before returning, and only that RAM: this runs for
     * every code.
     */
    short sign(byte alg, byte[] h1, short o1, byte[] h2, short o2,
               byte[] msg, short msgOff, short msgLen, byte[] out, short outOff) {
        short hashLen = hashLength(alg);
        short block = blockLength(alg);
        short half = half(alg);
        switch (engines[alg]) {
            case STATES:
                InitializedMessageDigest imd = (InitializedMessageDigest) initialized[alg];
                short lenOff = alg == Protocol.ALG_SHA512 ? (short) 2 : (short) 0;
                imd.setInitialDigest(h1, o1, hashLen, ONE_BLOCK, lenOff, (short) 2);
                imd.doFinal(msg, msgOff, msgLen, work, BLOCK_MAX);
                imd.setInitialDigest(h2, o2, hashLen, ONE_BLOCK, lenOff, (short) 2);
                imd.doFinal(work, BLOCK_MAX, hashLen, out, outOff);
                // Only the inner hash touched RAM here.
                Util.arrayFillNonAtomic(work, BLOCK_MAX, hashLen, (byte) 0);
                return hashLen;
            case SIGNATURE:
                Util.arrayCopyNonAtomic(h1, o1, work, (short) 0, half);
                Util.arrayCopyNonAtomic(h2, o2, work, half, half);
                HMACKey key = block == BLOCK ? key64 : key128;
                key.setKey(work, (short) 0, block);
                Signature sig = (Signature) signatures[alg];
                sig.init(key, Signature.MODE_SIGN);
                sig.sign(msg, msgOff, msgLen, out, outOff);
                key.clearKey();
                Util.arrayFillNonAtomic(work, (short) 0, block, (byte) 0);
                return hashLen;
            case DIGEST:
                MessageDigest md = (MessageDigest) digests[alg];
                xorHalves(h1, o1, h2, o2, half, IPAD);
                md.update(work, (short) 0, block);
                md.doFinal(msg, msgOff, msgLen, work, BLOCK_MAX);
                xorHalves(h1, o1, h2, o2, half, OPAD);
                md.update(work, (short) 0, block);
                md.doFinal(work, BLOCK_MAX, hashLen, out, outOff);
                Util.arrayFillNonAtomic(work, (short) 0, block, (byte) 0);
                Util.arrayFillNonAtomic(work, BLOCK_MAX, hashLen, (byte) 0);
                return hashLen;
            default:
                CryptoException.throwIt(CryptoException.NO_SUCH_ALGORITHM);
        }
        return 0;
    }

    private void padKey(byte[] key, short keyOff, short keyLen, short block, byte pad) {
        Util.arrayFillNonAtomic(work, (short) 0, block, pad);
        for (short i = 0; i < keyLen; i++) {
            work[i] = (byte) (key[(short) (keyOff + i)] ^ pad);
        }
    }

    private void xorHalves(byte[] h1, short o1, byte[] h2, short o2, short half, byte pad) {
        for (short i = 0; i < half; i++) {
            work[i] = (byte) (h1[(short) (o1 + i)] ^ pad);
            work[(short) (half + i)] = (byte) (h2[(short) (o2 + i)] ^ pad);
        }
    }

    private void wipe() {
        Util.arrayFillNonAtomic(work, (short) 0, (short) work.length, (byte) 0);
    }

    private boolean available(byte alg, byte engine) {
        if (engine == STATES) {
            return initialized[alg] != null;
        }
        if (engine == SIGNATURE) {
            return signatures[alg] != null && hmacKey(blockLength(alg)) != null;
        }
        return digests[alg] != null;
    }

    private boolean passesKnownAnswer(byte alg, byte[] scratch) {
        try {
            prepare(alg, KAT_KEY, (short) 0, (short) KAT_KEY.length, scratch, Transients.KEY_MATERIAL);
            sign(alg, scratch, Transients.KEY_MATERIAL, scratch, (short) (Transients.KEY_MATERIAL + half(alg)),
                    KAT_MSG, (short) 0, (short) KAT_MSG.length, scratch, Transients.KEY_MAC);
            return Util.arrayCompare(scratch, Transients.KEY_MAC, KAT_MAC, (short) ((alg - 1) * KAT_MAC_LENGTH),
                    KAT_MAC_LENGTH) == 0;
        } catch (CryptoException e) {
            return false;
        } finally {
            Util.arrayFillNonAtomic(scratch, (short) 0, Transients.KEY_SIZE, (byte) 0);
            wipe();
        }
    }

    private HMACKey hmacKey(short block) {
        try {
            if (block == BLOCK && key64 == null) {
                key64 = buildKey(KeyBuilder.LENGTH_HMAC_SHA_1_BLOCK_64);
            } else if (block == BLOCK_MAX && key128 == null) {
                key128 = buildKey(KeyBuilder.LENGTH_HMAC_SHA_512_BLOCK_128);
            }
        } catch (CryptoException e) {
            return null;
        }
        return block == BLOCK ? key64 : key128;
    }

    private static HMACKey buildKey(short length) {
        try {
            return (HMACKey) KeyBuilder.buildKey(KeyBuilder.TYPE_HMAC_TRANSIENT_DESELECT, length, false);
        } catch (CryptoException e) {
            return (HMACKey) KeyBuilder.buildKey(KeyBuilder.TYPE_HMAC, length, false);
        }
    }

    private static Object digestInstance(byte alg, boolean initializable) {
        byte jcAlg = alg == Protocol.ALG_SHA1 ? MessageDigest.ALG_SHA
                : (alg == Protocol.ALG_SHA256 ? MessageDigest.ALG_SHA_256 : MessageDigest.ALG_SHA_512);
        try {
            return initializable ? MessageDigest.getInitializedMessageDigestInstance(jcAlg, false)
                    : MessageDigest.getInstance(jcAlg, false);
        } catch (CryptoException e) {
            return null;
        }
    }

    private static Object signatureInstance(byte alg) {
        byte jcAlg = alg == Protocol.ALG_SHA1 ? Signature.ALG_HMAC_SHA1
                : (alg == Protocol.ALG_SHA256 ? Signature.ALG_HMAC_SHA_256 : Signature.ALG_HMAC_SHA_512);
        try {
            return Signature.getInstance(jcAlg, false);
        } catch (CryptoException e) {
            return null;
        }
    }
}
