package io.totptoken.host.session;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The HMAC inner and outer chaining states of a key: C(IV, K xor ipad) and C(IV, K xor opad)
 * (RFC 2104 with FIPS 180-4 compressions), laid out as the token's key-states extension
 * expects: two halves of half a block each (32, 32, 64 bytes), each state zero-padded. A
 * token that restarts its digest from these computes a code with two compressions, and
 * does not have to derive them itself in slow card code.
 */
public final class HmacStates {
    private static final int[] K256 = new int[64];
    private static final long[] K512 = new long[80];

    static {
        // First 32/64 bits of the fractional parts of the cube roots of the first primes
        // (FIPS 180-4, 4.2.2 and 4.2.3), computed rather than typed.
        int found = 0;
        for (int p = 2; found < 80; p++) {
            if (isPrime(p)) {
                java.math.BigDecimal root = cubeRoot(p);
                java.math.BigDecimal frac = root.subtract(new java.math.BigDecimal(root.toBigInteger()));
                long bits = frac.multiply(new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(64))).toBigInteger().longValue();
                K512[found] = bits;
                if (found < 64) {
                    K256[found] = (int) (bits >>> 32);
                }
                found++;
            }
        }
    }

    private HmacStates() {
    }

    /**
     * @param algorithm YKOATH algorithm code: 1 SHA-1, 2 SHA-256, 3 SHA-512
     * @param key       at most one block (longer keys are hashed before)
     * @return 64 or 128 bytes; the caller wipes it after use
     */
    public static byte[] of(int algorithm, byte[] key) {
        int block = algorithm == 3 ? 128 : 64;
        if (key.length > block) {
            throw new IllegalArgumentException("key longer than the hash block");
        }
        byte[] out = new byte[block];
        byte[] padded = new byte[block];
        try {
            for (int half = 0; half < 2; half++) {
                byte pad = half == 0 ? (byte) 0x36 : (byte) 0x5C;
                Arrays.fill(padded, pad);
                for (int i = 0; i < key.length; i++) {
                    padded[i] = (byte) (key[i] ^ pad);
                }
                byte[] state = compress(algorithm, padded);
                System.arraycopy(state, 0, out, half * block / 2, state.length);
                Arrays.fill(state, (byte) 0);
            }
        } finally {
            Arrays.fill(padded, (byte) 0);
        }
        return out;
    }

    static byte[] compress(int algorithm, byte[] block) {
        return switch (algorithm) {
            case 1 -> sha1(block);
            case 2 -> sha256(block);
            case 3 -> sha512(block);
            default -> throw new IllegalArgumentException("algorithm " + algorithm);
        };
    }

    private static byte[] sha1(byte[] block) {
        int[] h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
        int[] w = new int[80];
        ByteBuffer.wrap(block).asIntBuffer().get(w, 0, 16);
        for (int t = 16; t < 80; t++) {
            w[t] = Integer.rotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
        }
        int a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int t = 0; t < 80; t++) {
            int f, k;
            if (t < 20) {
                f = (b & c) | (~b & d);
                k = 0x5A827999;
            } else if (t < 40) {
                f = b ^ c ^ d;
                k = 0x6ED9EBA1;
            } else if (t < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8F1BBCDC;
            } else {
                f = b ^ c ^ d;
                k = 0xCA62C1D6;
            }
            int temp = Integer.rotateLeft(a, 5) + f + e + k + w[t];
            e = d;
            d = c;
            c = Integer.rotateLeft(b, 30);
            b = a;
            a = temp;
        }
        int[] out = {h[0] + a, h[1] + b, h[2] + c, h[3] + d, h[4] + e};
        Arrays.fill(w, 0);
        ByteBuffer bytes = ByteBuffer.allocate(20);
        bytes.asIntBuffer().put(out);
        return bytes.array();
    }

    private static byte[] sha256(byte[] block) {
        int[] h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        int[] w = new int[64];
        ByteBuffer.wrap(block).asIntBuffer().get(w, 0, 16);
        for (int t = 16; t < 64; t++) {
            int s0 = Integer.rotateRight(w[t - 15], 7) ^ Integer.rotateRight(w[t - 15], 18) ^ (w[t - 15] >>> 3);
            int s1 = Integer.rotateRight(w[t - 2], 17) ^ Integer.rotateRight(w[t - 2], 19) ^ (w[t - 2] >>> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        int[] v = h.clone();
        for (int t = 0; t < 64; t++) {
            int e = v[4];
            int t1 = v[7] + (Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25))
                    + ((e & v[5]) ^ (~e & v[6])) + K256[t] + w[t];
            int a = v[0];
            int t2 = (Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22))
                    + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
            System.arraycopy(v, 0, v, 1, 7);
            v[4] += t1;
            v[0] = t1 + t2;
        }
        ByteBuffer bytes = ByteBuffer.allocate(32);
        for (int i = 0; i < 8; i++) {
            bytes.putInt(h[i] + v[i]);
        }
        Arrays.fill(w, 0);
        Arrays.fill(v, 0);
        return bytes.array();
    }

    private static byte[] sha512(byte[] block) {
        long[] h = {0x6a09e667f3bcc908L, 0xbb67ae8584caa73bL, 0x3c6ef372fe94f82bL, 0xa54ff53a5f1d36f1L,
            0x510e527fade682d1L, 0x9b05688c2b3e6c1fL, 0x1f83d9abfb41bd6bL, 0x5be0cd19137e2179L};
        long[] w = new long[80];
        ByteBuffer.wrap(block).asLongBuffer().get(w, 0, 16);
        for (int t = 16; t < 80; t++) {
            long s0 = Long.rotateRight(w[t - 15], 1) ^ Long.rotateRight(w[t - 15], 8) ^ (w[t - 15] >>> 7);
            long s1 = Long.rotateRight(w[t - 2], 19) ^ Long.rotateRight(w[t - 2], 61) ^ (w[t - 2] >>> 6);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        long[] v = h.clone();
        for (int t = 0; t < 80; t++) {
            long e = v[4];
            long t1 = v[7] + (Long.rotateRight(e, 14) ^ Long.rotateRight(e, 18) ^ Long.rotateRight(e, 41))
                    + ((e & v[5]) ^ (~e & v[6])) + K512[t] + w[t];
            long a = v[0];
            long t2 = (Long.rotateRight(a, 28) ^ Long.rotateRight(a, 34) ^ Long.rotateRight(a, 39))
                    + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
            System.arraycopy(v, 0, v, 1, 7);
            v[4] += t1;
            v[0] = t1 + t2;
        }
        ByteBuffer bytes = ByteBuffer.allocate(64);
        for (int i = 0; i < 8; i++) {
            bytes.putLong(h[i] + v[i]);
        }
        Arrays.fill(w, 0);
        Arrays.fill(v, 0);
        return bytes.array();
    }

    private static boolean isPrime(int n) {
        for (int d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    private static java.math.BigDecimal cubeRoot(int n) {
        java.math.MathContext mc = new java.math.MathContext(60);
        java.math.BigDecimal x = new java.math.BigDecimal(Math.cbrt(n));
        java.math.BigDecimal target = new java.math.BigDecimal(n);
        java.math.BigDecimal three = new java.math.BigDecimal(3);
        for (int i = 0; i < 8; i++) {
            // Newton: x = x - (x^3 - n) / (3 x^2)
            x = x.subtract(x.pow(3, mc).subtract(target).divide(three.multiply(x.pow(2, mc)), mc), mc);
        }
        return x;
    }
}
