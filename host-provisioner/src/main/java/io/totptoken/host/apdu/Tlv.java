package io.totptoken.host.apdu;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** One BER-TLV with a one-byte tag (the only kind YKOATH uses); lengths 1, 2 or 3 bytes. */
public record Tlv(int tag, byte[] value) {
    public static byte[] encode(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 4);
        out.write(tag);
        if (value.length > 0xFF) {
            out.write(0x82);
            out.write(value.length >> 8);
        } else if (value.length > 0x7F) {
            out.write(0x81);
        }
        out.write(value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** Concatenates encoded TLVs (or any byte strings). */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * Splits data into TLVs.
     *
     * @throws MalformedResponseException when a length runs past the end
     */
    public static List<Tlv> parse(byte[] data) {
        List<Tlv> out = new ArrayList<>();
        int i = 0;
        while (i < data.length) {
            int tag = data[i++] & 0xFF;
            if (i >= data.length) {
                throw new MalformedResponseException("TLV " + Integer.toHexString(tag) + " has no length");
            }
            int len = data[i++] & 0xFF;
            if (len == 0x81 || len == 0x82) {
                int n = len - 0x80;
                if (i + n > data.length) {
                    throw new MalformedResponseException("TLV " + Integer.toHexString(tag) + " length is cut off");
                }
                len = 0;
                for (int k = 0; k < n; k++) {
                    len = (len << 8) | (data[i++] & 0xFF);
                }
            } else if (len > 0x7F) {
                throw new MalformedResponseException("TLV " + Integer.toHexString(tag) + " has a length form we do not read");
            }
            if (i + len > data.length) {
                throw new MalformedResponseException("TLV " + Integer.toHexString(tag) + " runs past the end of the answer");
            }
            byte[] v = new byte[len];
            System.arraycopy(data, i, v, 0, len);
            i += len;
            out.add(new Tlv(tag, v));
        }
        return out;
    }

    /** The value of the first TLV with the tag, or null. */
    public static byte[] find(List<Tlv> tlvs, int tag) {
        for (Tlv t : tlvs) {
            if (t.tag == tag) {
                return t.value;
            }
        }
        return null;
    }
}
