package io.totptoken.host.transport;

import java.io.ByteArrayOutputStream;

/**
 * Follows "61xx: more data" with SEND REMAINING until the whole answer is in, and returns it
 * as one response with the final status word (YKOATH "Responses over 256 bytes").
 */
public final class SendRemainingTransport extends ForwardingTransport {
    private static final byte[] SEND_REMAINING = {0x00, (byte) 0xA5, 0x00, 0x00};
    /** Far more than any token holds; stops a token that keeps answering 61xx. */
    private static final int MAX_CHUNKS = 4096;

    public SendRemainingTransport(Transport inner) {
        super(inner);
    }

    @Override
    public byte[] transmit(byte[] apdu) {
        byte[] r = inner.transmit(apdu);
        if (r.length < 2 || (r[r.length - 2] & 0xFF) != 0x61) {
            return r;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int chunks = 0; r.length >= 2 && (r[r.length - 2] & 0xFF) == 0x61; chunks++) {
            if (chunks == MAX_CHUNKS) {
                throw new TransportException("the token keeps sending more data; giving up after " + MAX_CHUNKS + " parts");
            }
            all.write(r, 0, r.length - 2);
            r = inner.transmit(SEND_REMAINING);
        }
        all.write(r, 0, r.length);
        return all.toByteArray();
    }
}
