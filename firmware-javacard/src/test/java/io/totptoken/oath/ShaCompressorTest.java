package io.totptoken.oath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The applet's compression function against the JDK's digests, through the identity that
 * defines it: a message short enough to fit one block, padded as FIPS 180-4 section 5.1
 * says, hashes to exactly one compression of its padded block from the initial value.
 */
class ShaCompressorTest {
    @ParameterizedTest
    @ValueSource(bytes = {1, 2, 3})
    void oneCompressionOfAPaddedBlockIsTheDigest(byte alg) throws Exception {
        int block = alg == 3 ? 128 : 64;
        int lengthField = alg == 3 ? 16 : 8;
        int stateLen = alg == 1 ? 20 : (alg == 2 ? 32 : 64);
        String jca = alg == 1 ? "SHA-1" : (alg == 2 ? "SHA-256" : "SHA-512");
        ShaCompressor compressor = new ShaCompressor(new Transients((short) 1).shaWords);
        Random random = new Random(alg);
        for (int len = 0; len < block - lengthField; len++) {
            byte[] message = new byte[len];
            random.nextBytes(message);
            byte[] padded = new byte[block];
            System.arraycopy(message, 0, padded, 0, len);
            padded[len] = (byte) 0x80;
            long bits = len * 8L;
            padded[block - 2] = (byte) (bits >> 8);
            padded[block - 1] = (byte) bits;
            byte[] state = new byte[stateLen];
            compressor.compressFromIv(alg, padded, (short) 0, state, (short) 0);
            assertArrayEquals(MessageDigest.getInstance(jca).digest(message), state, jca + " of " + len + " bytes");
        }
    }
}
