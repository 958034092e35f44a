package io.totptoken.host.apdu;

import java.io.ByteArrayOutputStream;

/** A command APDU (ISO 7816-4). Data up to 255 bytes goes short, longer data extended. */
public record Apdu(int cla, int ins, int p1, int p2, byte[] data) {
    public Apdu {
        data = data == null ? new byte[0] : data;
        if (data.length > 65535) {
            throw new IllegalArgumentException("APDU data of " + data.length + " bytes");
        }
    }

    public Apdu(int ins, int p1, int p2, byte[] data) {
        this(0, ins, p1, p2, data);
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 7);
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

    @Override
    public String toString() {
        // The data may hold key material; only its size is shown.
        return String.format("Apdu[%02X %02X %02X %02X, %d data bytes]", cla, ins, p1, p2, data.length);
    }
}
