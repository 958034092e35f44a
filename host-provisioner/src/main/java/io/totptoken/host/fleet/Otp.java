package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.HashAlgorithm;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Host-side codes to compare with a token's: HOTP (RFC 4226 section 5.3) and TOTP (RFC 6238 section 4). */
public final class Otp {
    private Otp() {
    }

    /** The HOTP value for a counter: dynamic truncation of HMAC(secret, counter), mod 10^digits, zero-padded. */
    public static String hotp(HashAlgorithm algorithm, byte[] secret, long counter, int digits) {
        byte[] mac;
        try {
            Mac m = Mac.getInstance(algorithm.macName());
            m.init(new SecretKeySpec(secret, algorithm.macName()));
            mac = m.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.macName() + " missing from the JDK", e);
        }
        int offset = mac[mac.length - 1] & 0x0F;
        long value = ((mac[offset] & 0x7FL) << 24) | ((mac[offset + 1] & 0xFFL) << 16)
                | ((mac[offset + 2] & 0xFFL) << 8) | (mac[offset + 3] & 0xFFL);
        long mod = 1;
        for (int i = 0; i < digits; i++) {
            mod *= 10;
        }
        return String.format("%0" + digits + "d", value % mod);
    }

    /** TOTP time step T = floor(unixSeconds / period), T0 = 0. */
    public static long timeStep(long unixSeconds, int period) {
        return Math.floorDiv(unixSeconds, period);
    }
}
