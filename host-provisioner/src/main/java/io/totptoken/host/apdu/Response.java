package io.totptoken.host.apdu;

import java.util.Arrays;

/** A response APDU: data and status word. */
public record Response(byte[] data, int sw) {
    public static final int SW_OK = 0x9000;

    public static Response parse(byte[] raw) {
        if (raw.length < 2) {
            throw new IllegalArgumentException("response of " + raw.length + " bytes has no status word");
        }
        return new Response(Arrays.copyOf(raw, raw.length - 2),
                ((raw[raw.length - 2] & 0xFF) << 8) | (raw[raw.length - 1] & 0xFF));
    }

    public boolean ok() {
        return sw == SW_OK;
    }
}
