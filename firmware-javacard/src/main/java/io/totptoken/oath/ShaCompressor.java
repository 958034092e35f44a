package io.totptoken.oath;

import javacard.framework.Util;

/**
 * One SHA-1, SHA-256 or SHA-512 compression from the standard initial value, in applet
 * code (FIPS 180-4, sections 6.1.2, 6.2.2 and 6.4.2).
 *
 * <p>The Java Card API can start a digest from a stored state but never reveals one, so
 * the HMAC inner and outer states are derived here, once per PUT. A word is a big-endian
 * run of shorts (2 for 32-bit, 4 for 64-bit words), so no {@code int} is needed.
 */
final class ShaCompressor {
    // Word slots in the work array; a word takes `w` shorts.
    private static final short H = 0;  // 8 words: chaining value
    private static final short V = 8;  // 8 words: working variables a..h
    private static final short W = 16; // 16 words: message schedule, used circularly
    private static final short T = 32; // 4 words: temporaries
    private static final short WORDS = 36;
    /** Shorts of RAM the work array takes ({@link Transients#shaWords}): WORDS words of up to 4 shorts. */
    static final short WORK_SIZE = WORDS * 4;

    /** Rotation and shift amounts: sigma0, sigma1 (last one a shift), Sigma0, Sigma1. */
    private static final byte[] SIG256 = {7, 18, 3, 17, 19, 10, 2, 13, 22, 6, 11, 25};
    private static final byte[] SIG512 = {1, 8, 7, 19, 61, 6, 28, 34, 39, 14, 18, 41};

    private final short[] m;
    private short w;

    ShaCompressor(short[] work) {
        m = work;
    }

    /**
     * Writes C(IV, block) to out: 20, 32 or 64 bytes. The block is 64 bytes (SHA-1,
     * SHA-256) or 128 bytes (SHA-512). The work area is wiped before returning.
     */
    void compressFromIv(byte alg, byte[] block, short blockOff, byte[] out, short outOff) {
        boolean sha1 = alg == Protocol.ALG_SHA1;
        boolean sha512 = alg == Protocol.ALG_SHA512;
        w = sha512 ? (short) 4 : (short) 2;
        short stateWords = sha1 ? (short) 5 : (short) 8;
        short[] iv = sha1 ? IV1 : (sha512 ? IV512 : IV256);
        short n = (short) (stateWords * w);
        for (short i = 0; i < n; i++) {
            m[(short) (H * w + i)] = iv[i];
            m[(short) (V * w + i)] = iv[i];
        }
        n = (short) (16 * w);
        for (short i = 0; i < n; i++) {
            m[(short) (W * w + i)] = Util.getShort(block, (short) (blockOff + 2 * i));
        }
        if (sha1) {
            sha1Rounds();
        } else {
            sha2Rounds(sha512 ? SIG512 : SIG256, sha512 ? K512 : K256, sha512 ? (short) 80 : (short) 64);
        }
        n = (short) (stateWords * w);
        for (short i = 0; i < stateWords; i++) {
            add((short) (H + i), (short) (V + i));
        }
        for (short i = 0; i < n; i++) {
            Util.setShort(out, (short) (outOff + 2 * i), m[(short) (H * w + i)]);
        }
        for (short i = 0; i < (short) m.length; i++) {
            m[i] = 0;
        }
    }

    private void sha1Rounds() {
        final short a = V, b = (short) (V + 1), c = (short) (V + 2), d = (short) (V + 3), e = (short) (V + 4);
        final short f = (short) (T + 1), x = (short) (T + 2), y = (short) (T + 3);
        for (short t = 0; t < 80; t++) {
            short s = (short) (W + (t & 15));
            if (t >= 16) {
                // W[t] = ROTL1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16])
                copy(x, s);
                xor(x, (short) (W + ((t + 13) & 15)));
                xor(x, (short) (W + ((t + 8) & 15)));
                xor(x, (short) (W + ((t + 2) & 15)));
                rotr(s, x, (short) 31);
            }
            short stage = (short) (t / 20);
            if (stage == 0) {
                ch(f, b, c, d);
            } else if (stage == 2) {
                maj(f, b, c, d);
            } else {
                copy(f, b);
                xor(f, c);
                xor(f, d);
            }
            rotr(T, a, (short) 27);
            add(T, f);
            add(T, e);
            addConst(T, K1, (short) (stage * w));
            add(T, s);
            copy(e, d);
            copy(d, c);
            rotr(c, b, (short) 2);
            copy(b, a);
            copy(a, T);
        }
        clearTemps(x, y);
    }

    private void sha2Rounds(byte[] sig, short[] k, short rounds) {
        final short t1 = T, t2 = (short) (T + 1), t3 = (short) (T + 2);
        for (short t = 0; t < rounds; t++) {
            short s = (short) (W + (t & 15));
            if (t >= 16) {
                // W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16]
                sigma(t1, (short) (W + ((t + 1) & 15)), sig, (short) 0, true);
                add(s, t1);
                add(s, (short) (W + ((t + 9) & 15)));
                sigma(t1, (short) (W + ((t + 14) & 15)), sig, (short) 3, true);
                add(s, t1);
            }
            // T1 = h + Sigma1(e) + Ch(e, f, g) + K[t] + W[t]
            sigma(t1, (short) (V + 4), sig, (short) 9, false);
            add(t1, (short) (V + 7));
            ch(t2, (short) (V + 4), (short) (V + 5), (short) (V + 6));
            add(t1, t2);
            addConst(t1, k, (short) (t * w));
            add(t1, s);
            // T2 = Sigma0(a) + Maj(a, b, c)
            sigma(t2, V, sig, (short) 6, false);
            maj(t3, V, (short) (V + 1), (short) (V + 2));
            add(t2, t3);
            for (short i = 7; i > 0; i--) {
                copy((short) (V + i), (short) (V + i - 1));
            }
            add((short) (V + 4), t1);
            copy(V, t1);
            add(V, t2);
        }
    }

    private void clearTemps(short from, short to) {
        for (short i = (short) (from * w); i < (short) ((to + 1) * w); i++) {
            m[i] = 0;
        }
    }

    /** dst = ROTR(src, r0) ^ ROTR(src, r1) ^ (shift ? SHR : ROTR)(src, r2); uses T+3. */
    private void sigma(short dst, short src, byte[] sig, short at, boolean shift) {
        short tmp = (short) (T + 3);
        rotr(dst, src, sig[at]);
        rotr(tmp, src, sig[(short) (at + 1)]);
        xor(dst, tmp);
        if (shift) {
            shr(tmp, src, sig[(short) (at + 2)]);
        } else {
            rotr(tmp, src, sig[(short) (at + 2)]);
        }
        xor(dst, tmp);
    }

    /** dst = (x & y) ^ (~x & z); dst must differ from x, y, z; uses T+3. */
    private void ch(short dst, short x, short y, short z) {
        short tmp = (short) (T + 3);
        copy(dst, x);
        and(dst, y);
        copy(tmp, x);
        for (short i = 0; i < w; i++) {
            m[(short) (tmp * w + i)] = (short) ~m[(short) (tmp * w + i)];
        }
        and(tmp, z);
        xor(dst, tmp);
    }

    /** dst = (x & y) ^ (x & z) ^ (y & z); uses T+3. */
    private void maj(short dst, short x, short y, short z) {
        short tmp = (short) (T + 3);
        copy(dst, x);
        and(dst, y);
        copy(tmp, x);
        and(tmp, z);
        xor(dst, tmp);
        copy(tmp, y);
        and(tmp, z);
        xor(dst, tmp);
    }

    private void copy(short dst, short src) {
        for (short i = 0; i < w; i++) {
            m[(short) (dst * w + i)] = m[(short) (src * w + i)];
        }
    }

    private void xor(short dst, short src) {
        for (short i = 0; i < w; i++) {
            m[(short) (dst * w + i)] ^= m[(short) (src * w + i)];
        }
    }

    private void and(short dst, short src) {
        for (short i = 0; i < w; i++) {
            m[(short) (dst * w + i)] &= m[(short) (src * w + i)];
        }
    }

    private void add(short dst, short src) {
        addShorts((short) (dst * w), m, (short) (src * w));
    }

    private void addConst(short dst, short[] k, short kOff) {
        addShorts((short) (dst * w), k, kOff);
    }

    /** m[d..d+w) += src[s..s+w), modulo 2^(16w), big-endian shorts. */
    private void addShorts(short d, short[] src, short s) {
        short carry = 0;
        for (short i = (short) (w - 1); i >= 0; i--) {
            short x = m[(short) (d + i)];
            short sum = (short) (x + src[(short) (s + i)]);
            // unsigned sum < unsigned x means the 16-bit add wrapped
            short out = (short) ((short) (sum ^ (short) 0x8000) < (short) (x ^ (short) 0x8000) ? 1 : 0);
            short withCarry = (short) (sum + carry);
            if (carry != 0 && withCarry == 0) {
                out = 1;
            }
            m[(short) (d + i)] = withCarry;
            carry = out;
        }
    }

    /** dst = ROTR(src, n) for the current word size; dst must differ from src. */
    private void rotr(short dst, short src, short n) {
        shift(dst, src, n, true);
    }

    /** dst = SHR(src, n); dst must differ from src. */
    private void shr(short dst, short src, short n) {
        shift(dst, src, n, false);
    }

    private void shift(short dst, short src, short n, boolean rotate) {
        short q = (short) (n >> 4);
        short r = (short) (n & 15);
        short mask = (short) ((short) (1 << (short) (16 - r)) - 1);
        for (short i = 0; i < w; i++) {
            short j = (short) (i - q);
            short lo = word(src, j, rotate);
            short v = lo;
            if (r != 0) {
                short hi = word(src, (short) (j - 1), rotate);
                v = (short) (((short) (lo >> r) & mask) | (short) (hi << (short) (16 - r)));
            }
            m[(short) (dst * w + i)] = v;
        }
    }

    /** Short j of word src; a negative j wraps when rotating and reads 0 when shifting. */
    private short word(short src, short j, boolean rotate) {
        if (j < 0) {
            if (!rotate) {
                return 0;
            }
            j += w;
        }
        return m[(short) (src * w + j)];
    }

    private static final short[] IV1 = {
            (short) 0x6745, (short) 0x2301, (short) 0xEFCD, (short) 0xAB89, (short) 0x98BA, (short) 0xDCFE,
            (short) 0x1032, (short) 0x5476, (short) 0xC3D2, (short) 0xE1F0
    };
    private static final short[] K1 = {
            (short) 0x5A82, (short) 0x7999, (short) 0x6ED9, (short) 0xEBA1, (short) 0x8F1B, (short) 0xBCDC,
            (short) 0xCA62, (short) 0xC1D6
    };
    private static final short[] IV256 = {
            (short) 0x6A09, (short) 0xE667, (short) 0xBB67, (short) 0xAE85, (short) 0x3C6E, (short) 0xF372,
            (short) 0xA54F, (short) 0xF53A, (short) 0x510E, (short) 0x527F, (short) 0x9B05, (short) 0x688C,
            (short) 0x1F83, (short) 0xD9AB, (short) 0x5BE0, (short) 0xCD19
    };
    private static final short[] K256 = {
            (short) 0x428A, (short) 0x2F98, (short) 0x7137, (short) 0x4491, (short) 0xB5C0, (short) 0xFBCF,
            (short) 0xE9B5, (short) 0xDBA5, (short) 0x3956, (short) 0xC25B, (short) 0x59F1, (short) 0x11F1,
            (short) 0x923F, (short) 0x82A4, (short) 0xAB1C, (short) 0x5ED5, (short) 0xD807, (short) 0xAA98,
            (short) 0x1283, (short) 0x5B01, (short) 0x2431, (short) 0x85BE, (short) 0x550C, (short) 0x7DC3,
            (short) 0x72BE, (short) 0x5D74, (short) 0x80DE, (short) 0xB1FE, (short) 0x9BDC, (short) 0x06A7,
            (short) 0xC19B, (short) 0xF174, (short) 0xE49B, (short) 0x69C1, (short) 0xEFBE, (short) 0x4786,
            (short) 0x0FC1, (short) 0x9DC6, (short) 0x240C, (short) 0xA1CC, (short) 0x2DE9, (short) 0x2C6F,
            (short) 0x4A74, (short) 0x84AA, (short) 0x5CB0, (short) 0xA9DC, (short) 0x76F9, (short) 0x88DA,
            (short) 0x983E, (short) 0x5152, (short) 0xA831, (short) 0xC66D, (short) 0xB003, (short) 0x27C8,
            (short) 0xBF59, (short) 0x7FC7, (short) 0xC6E0, (short) 0x0BF3, (short) 0xD5A7, (short) 0x9147,
            (short) 0x06CA, (short) 0x6351, (short) 0x1429, (short) 0x2967, (short) 0x27B7, (short) 0x0A85,
            (short) 0x2E1B, (short) 0x2138, (short) 0x4D2C, (short) 0x6DFC, (short) 0x5338, (short) 0x0D13,
            (short) 0x650A, (short) 0x7354, (short) 0x766A, (short) 0x0ABB, (short) 0x81C2, (short) 0xC92E,
            (short) 0x9272, (short) 0x2C85, (short) 0xA2BF, (short) 0xE8A1, (short) 0xA81A, (short) 0x664B,
            (short) 0xC24B, (short) 0x8B70, (short) 0xC76C, (short) 0x51A3, (short) 0xD192, (short) 0xE819,
            (short) 0xD699, (short) 0x0624, (short) 0xF40E, (short) 0x3585, (short) 0x106A, (short) 0xA070,
            (short) 0x19A4, (short) 0xC116, (short) 0x1E37, (short) 0x6C08, (short) 0x2748, (short) 0x774C,
            (short) 0x34B0, (short) 0xBCB5, (short) 0x391C, (short) 0x0CB3, (short) 0x4ED8, (short) 0xAA4A,
            (short) 0x5B9C, (short) 0xCA4F, (short) 0x682E, (short) 0x6FF3, (short) 0x748F, (short) 0x82EE,
            (short) 0x78A5, (short) 0x636F, (short) 0x84C8, (short) 0x7814, (short) 0x8CC7, (short) 0x0208,
            (short) 0x90BE, (short) 0xFFFA, (short) 0xA450, (short) 0x6CEB, (short) 0xBEF9, (short) 0xA3F7,
            (short) 0xC671, (short) 0x78F2
    };
    private static final short[] IV512 = {
            (short) 0x6A09, (short) 0xE667, (short) 0xF3BC, (short) 0xC908, (short) 0xBB67, (short) 0xAE85,
            (short) 0x84CA, (short) 0xA73B, (short) 0x3C6E, (short) 0xF372, (short) 0xFE94, (short) 0xF82B,
            (short) 0xA54F, (short) 0xF53A, (short) 0x5F1D, (short) 0x36F1, (short) 0x510E, (short) 0x527F,
            (short) 0xADE6, (short) 0x82D1, (short) 0x9B05, (short) 0x688C, (short) 0x2B3E, (short) 0x6C1F,
            (short) 0x1F83, (short) 0xD9AB, (short) 0xFB41, (short) 0xBD6B, (short) 0x5BE0, (short) 0xCD19,
            (short) 0x137E, (short) 0x2179
    };
    private static final short[] K512 = {
            (short) 0x428A, (short) 0x2F98, (short) 0xD728, (short) 0xAE22, (short) 0x7137, (short) 0x4491,
            (short) 0x23EF, (short) 0x65CD, (short) 0xB5C0, (short) 0xFBCF, (short) 0xEC4D, (short) 0x3B2F,
            (short) 0xE9B5, (short) 0xDBA5, (short) 0x8189, (short) 0xDBBC, (short) 0x3956, (short) 0xC25B,
            (short) 0xF348, (short) 0xB538, (short) 0x59F1, (short) 0x11F1, (short) 0xB605, (short) 0xD019,
            (short) 0x923F, (short) 0x82A4, (short) 0xAF19, (short) 0x4F9B, (short) 0xAB1C, (short) 0x5ED5,
            (short) 0xDA6D, (short) 0x8118, (short) 0xD807, (short) 0xAA98, (short) 0xA303, (short) 0x0242,
            (short) 0x1283, (short) 0x5B01, (short) 0x4570, (short) 0x6FBE, (short) 0x2431, (short) 0x85BE,
            (short) 0x4EE4, (short) 0xB28C, (short) 0x550C, (short) 0x7DC3, (short) 0xD5FF, (short) 0xB4E2,
            (short) 0x72BE, (short) 0x5D74, (short) 0xF27B, (short) 0x896F, (short) 0x80DE, (short) 0xB1FE,
            (short) 0x3B16, (short) 0x96B1, (short) 0x9BDC, (short) 0x06A7, (short) 0x25C7, (short) 0x1235,
            (short) 0xC19B, (short) 0xF174, (short) 0xCF69, (short) 0x2694, (short) 0xE49B, (short) 0x69C1,
            (short) 0x9EF1, (short) 0x4AD2, (short) 0xEFBE, (short) 0x4786, (short) 0x384F, (short) 0x25E3,
            (short) 0x0FC1, (short) 0x9DC6, (short) 0x8B8C, (short) 0xD5B5, (short) 0x240C, (short) 0xA1CC,
            (short) 0x77AC, (short) 0x9C65, (short) 0x2DE9, (short) 0x2C6F, (short) 0x592B, (short) 0x0275,
            (short) 0x4A74, (short) 0x84AA, (short) 0x6EA6, (short) 0xE483, (short) 0x5CB0, (short) 0xA9DC,
            (short) 0xBD41, (short) 0xFBD4, (short) 0x76F9, (short) 0x88DA, (short) 0x8311, (short) 0x53B5,
            (short) 0x983E, (short) 0x5152, (short) 0xEE66, (short) 0xDFAB, (short) 0xA831, (short) 0xC66D,
            (short) 0x2DB4, (short) 0x3210, (short) 0xB003, (short) 0x27C8, (short) 0x98FB, (short) 0x213F,
            (short) 0xBF59, (short) 0x7FC7, (short) 0xBEEF, (short) 0x0EE4, (short) 0xC6E0, (short) 0x0BF3,
            (short) 0x3DA8, (short) 0x8FC2, (short) 0xD5A7, (short) 0x9147, (short) 0x930A, (short) 0xA725,
            (short) 0x06CA, (short) 0x6351, (short) 0xE003, (short) 0x826F, (short) 0x1429, (short) 0x2967,
            (short) 0x0A0E, (short) 0x6E70, (short) 0x27B7, (short) 0x0A85, (short) 0x46D2, (short) 0x2FFC,
            (short) 0x2E1B, (short) 0x2138, (short) 0x5C26, (short) 0xC926, (short) 0x4D2C, (short) 0x6DFC,
            (short) 0x5AC4, (short) 0x2AED, (short) 0x5338, (short) 0x0D13, (short) 0x9D95, (short) 0xB3DF,
            (short) 0x650A, (short) 0x7354, (short) 0x8BAF, (short) 0x63DE, (short) 0x766A, (short) 0x0ABB,
            (short) 0x3C77, (short) 0xB2A8, (short) 0x81C2, (short) 0xC92E, (short) 0x47ED, (short) 0xAEE6,
            (short) 0x9272, (short) 0x2C85, (short) 0x1482, (short) 0x353B, (short) 0xA2BF, (short) 0xE8A1,
            (short) 0x4CF1, (short) 0x0364, (short) 0xA81A, (short) 0x664B, (short) 0xBC42, (short) 0x3001,
            (short) 0xC24B, (short) 0x8B70, (short) 0xD0F8, (short) 0x9791, (short) 0xC76C, (short) 0x51A3,
            (short) 0x0654, (short) 0xBE30, (short) 0xD192, (short) 0xE819, (short) 0xD6EF, (short) 0x5218,
            (short) 0xD699, (short) 0x0624, (short) 0x5565, (short) 0xA910, (short) 0xF40E, (short) 0x3585,
            (short) 0x5771, (short) 0x202A, (short) 0x106A, (short) 0xA070, (short) 0x32BB, (short) 0xD1B8,
            (short) 0x19A4, (short) 0xC116, (short) 0xB8D2, (short) 0xD0C8, (short) 0x1E37, (short) 0x6C08,
            (short) 0x5141, (short) 0xAB53, (short) 0x2748, (short) 0x774C, (short) 0xDF8E, (short) 0xEB99,
            (short) 0x34B0, (short) 0xBCB5, (short) 0xE19B, (short) 0x48A8, (short) 0x391C, (short) 0x0CB3,
            (short) 0xC5C9, (short) 0x5A63, (short) 0x4ED8, (short) 0xAA4A, (short) 0xE341, (short) 0x8ACB,
            (short) 0x5B9C, (short) 0xCA4F, (short) 0x7763, (short) 0xE373, (short) 0x682E, (short) 0x6FF3,
            (short) 0xD6B2, (short) 0xB8A3, (short) 0x748F, (short) 0x82EE, (short) 0x5DEF, (short) 0xB2FC,
            (short) 0x78A5, (short) 0x636F, (short) 0x4317, (short) 0x2F60, (short) 0x84C8, (short) 0x7814,
            (short) 0xA1F0, (short) 0xAB72, (short) 0x8CC7, (short) 0x0208, (short) 0x1A64, (short) 0x39EC,
            (short) 0x90BE, (short) 0xFFFA, (short) 0x2363, (short) 0x1E28, (short) 0xA450, (short) 0x6CEB,
            (short) 0xDE82, (short) 0xBDE9, (short) 0xBEF9, (short) 0xA3F7, (short) 0xB2C6, (short) 0x7915,
            (short) 0xC671, (short) 0x78F2, (short) 0xE372, (short) 0x532B, (short) 0xCA27, (short) 0x3ECE,
            (short) 0xEA26, (short) 0x619C, (short) 0xD186, (short) 0xB8C7, (short) 0x21C0, (short) 0xC207,
            (short) 0xEADA, (short) 0x7DD6, (short) 0xCDE0, (short) 0xEB1E, (short) 0xF57D, (short) 0x4F7F,
            (short) 0xEE6E, (short) 0xD178, (short) 0x06F0, (short) 0x67AA, (short) 0x7217, (short) 0x6FBA,
            (short) 0x0A63, (short) 0x7DC5, (short) 0xA2C8, (short) 0x98A6, (short) 0x113F, (short) 0x9804,
            (short) 0xBEF9, (short) 0x0DAE, (short) 0x1B71, (short) 0x0B35, (short) 0x131C, (short) 0x471B,
            (short) 0x28DB, (short) 0x77F5, (short) 0x2304, (short) 0x7D84, (short) 0x32CA, (short) 0xAB7B,
            (short) 0x40C7, (short) 0x2493, (short) 0x3C9E, (short) 0xBE0A, (short) 0x15C9, (short) 0xBEBC,
            (short) 0x431D, (short) 0x67C4, (short) 0x9C10, (short) 0x0D4C, (short) 0x4CC5, (short) 0xD4BE,
            (short) 0xCB3E, (short) 0x42B6, (short) 0x597F, (short) 0x299C, (short) 0xFC65, (short) 0x7E2A,
            (short) 0x5FCB, (short) 0x6FAB, (short) 0x3AD6, (short) 0xFAEC, (short) 0x6C44, (short) 0x198C,
            (short) 0x4A47, (short) 0x5817
    };
}
