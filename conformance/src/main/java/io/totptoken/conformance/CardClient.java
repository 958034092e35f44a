package io.totptoken.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A small YKOATH client for tests: builds APDUs, follows 61xx, splits TLVs. */
public final class CardClient {
    public static final int INS_PUT = 0x01, INS_DELETE = 0x02, INS_SET_CODE = 0x03, INS_RESET = 0x04, INS_RENAME = 0x05,
            INS_LIST = 0xA1, INS_CALCULATE = 0xA2, INS_VALIDATE = 0xA3, INS_CALCULATE_ALL = 0xA4,
            INS_SEND_REMAINING = 0xA5, INS_INFO = 0xE1;
    public static final int TOTP = 0x20, HOTP = 0x10, SHA1 = 1, SHA256 = 2, SHA512 = 3;

    public record Response(byte[] data, int sw) {
        public Response ok() {
            if (sw != 0x9000) {
                throw new AssertionError(String.format("SW %04X", sw));
            }
            return this;
        }
    }

    public record Tlv(int tag, byte[] value) {
    }

    private final UnaryOperator<byte[]> card;
    public int apdus;

    public CardClient(UnaryOperator<byte[]> card) {
        this.card = card;
    }

    public Response raw(byte[] apdu) {
        apdus++;
        byte[] r = card.apply(apdu);
        int sw = ((r[r.length - 2] & 0xFF) << 8) | (r[r.length - 1] & 0xFF);
        byte[] data = new byte[r.length - 2];
        System.arraycopy(r, 0, data, 0, data.length);
        return new Response(data, sw);
    }

    /** Sends a short APDU (extended when data exceeds 255 bytes) and follows 61xx with SEND REMAINING. */
    public Response send(int ins, int p1, int p2, byte[] data) {
        Response r = raw(apdu(0, ins, p1, p2, data));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(r.data());
        while ((r.sw() >> 8) == 0x61) {
            r = raw(apdu(0, INS_SEND_REMAINING, 0, 0, new byte[0]));
            all.writeBytes(r.data());
        }
        return new Response(all.toByteArray(), r.sw());
    }

    public static byte[] apdu(int cla, int ins, int p1, int p2, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(cla);
        out.write(ins);
        out.write(p1);
        out.write(p2);
        if (data.length > 255) {
            out.write(0);
            out.write(data.length >> 8);
            out.write(data.length);
        } else if (data.length > 0) {
            out.write(data.length);
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    public static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (value.length > 255) {
            out.write(0x82);
            out.write(value.length >> 8);
        } else if (value.length > 127) {
            out.write(0x81);
        }
        out.write(value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static List<Tlv> parse(byte[] data) {
        List<Tlv> out = new ArrayList<>();
        int i = 0;
        while (i < data.length) {
            int tag = data[i++] & 0xFF;
            int len = data[i++] & 0xFF;
            if (len == 0x81) {
                len = data[i++] & 0xFF;
            } else if (len == 0x82) {
                len = ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
                i += 2;
            }
            byte[] v = new byte[len];
            System.arraycopy(data, i, v, 0, len);
            i += len;
            out.add(new Tlv(tag, v));
        }
        return out;
    }

    public Response select() {
        return raw(apdu(0, 0xA4, 0x04, 0x00, new byte[] {(byte) 0xA0, 0, 0, 5, 0x27, 0x21, 1}));
    }

    public static byte[] putData(String name, int typeAlg, int digits, byte[] key, int props, byte[] imf) {
        byte[] keyTlv = new byte[2 + key.length];
        keyTlv[0] = (byte) typeAlg;
        keyTlv[1] = (byte) digits;
        System.arraycopy(key, 0, keyTlv, 2, key.length);
        byte[] data = concat(tlv(0x71, name.getBytes()), tlv(0x73, keyTlv));
        if (props != 0) {
            data = concat(data, new byte[] {0x78, (byte) props});
        }
        if (imf != null) {
            data = concat(data, tlv(0x7A, imf));
        }
        return data;
    }

    public Response put(String name, int typeAlg, int digits, byte[] key) {
        return send(INS_PUT, 0, 0, putData(name, typeAlg, digits, key, 0, null));
    }

    /** The full-response CALCULATE: digits byte followed by the HMAC. */
    public Response calculate(String name, byte[] challenge, boolean truncated) {
        return send(INS_CALCULATE, 0, truncated ? 1 : 0,
                concat(tlv(0x71, name.getBytes()), tlv(0x74, challenge)));
    }

    /** The code a client shows for a truncated response value (digits + 4 bytes). */
    public static String code(byte[] truncated) {
        int digits = truncated[0];
        int v = ByteBuffer.wrap(truncated, 1, 4).getInt() & 0x7FFFFFFF;
        return String.format("%0" + digits + "d", v % (int) Math.pow(10, digits));
    }

    public static byte[] timeStep(long step) {
        return ByteBuffer.allocate(8).putLong(step).array();
    }

    public static byte[] hmac(String alg, byte[] key, byte[] msg) {
        try {
            Mac mac = Mac.getInstance("Hmac" + alg);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "Hmac" + alg));
            return mac.doFinal(msg);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 4226 dynamic truncation of a full MAC. */
    public static String otp(byte[] mac, int digits) {
        int off = mac[mac.length - 1] & 0x0F;
        int v = ByteBuffer.wrap(mac, off, 4).getInt() & 0x7FFFFFFF;
        return String.format("%0" + digits + "d", v % (int) Math.pow(10, digits));
    }
}
