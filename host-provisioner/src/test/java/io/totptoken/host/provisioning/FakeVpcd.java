package io.totptoken.host.provisioning;

import io.totptoken.host.transport.Transport;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;

/** The host side of vpcd's framing, played by a test: a 2-byte length, then the APDU; the answer likewise. */
public final class FakeVpcd {
    private FakeVpcd() {
    }

    /** APDUs to the card end connected on socket (a served VirtualReader). */
    public static Transport framed(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        return new Transport() {
            @Override
            public byte[] transmit(byte[] apdu) {
                try {
                    out.write(new byte[] {(byte) (apdu.length >> 8), (byte) apdu.length});
                    out.write(apdu);
                    out.flush();
                    return in.readNBytes(in.readUnsignedShort());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public String description() {
                return "test vpcd";
            }

            @Override
            public void close() {
            }
        };
    }
}
