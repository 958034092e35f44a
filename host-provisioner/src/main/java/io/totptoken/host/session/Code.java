package io.totptoken.host.session;

import java.nio.ByteBuffer;

/**
 * An OTP code from a truncated response (RFC 4226 dynamic truncation, done on the card):
 * the 31-bit value modulo 10^digits, zero-padded.
 *
 * @param truncated the 31-bit value itself, which other code alphabets (Steam's) are written from
 */
public record Code(String value, int digits, int truncated) {
    /** From the value of a 0x76 TLV: digits byte, then 4 bytes with the top bit cleared. */
    public static Code fromTruncated(byte[] truncated) {
        if (truncated.length != 5 || truncated[0] < 6 || truncated[0] > 10) {
            throw new io.totptoken.host.apdu.MalformedResponseException("truncated response of " + truncated.length + " bytes");
        }
        int digits = truncated[0];
        int v = ByteBuffer.wrap(truncated, 1, 4).getInt() & 0x7FFFFFFF;
        long mod = 1;
        for (int i = 0; i < digits; i++) {
            mod *= 10;
        }
        // Zero-padded by hand: String.format would load java.util.Formatter on every start-up.
        StringBuilder text = new StringBuilder(Long.toString(v % mod));
        while (text.length() < digits) {
            text.insert(0, '0');
        }
        return new Code(text.toString(), digits, v);
    }
}
