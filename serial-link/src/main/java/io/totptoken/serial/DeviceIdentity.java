package io.totptoken.serial;

import java.nio.ByteBuffer;

/**
 * What a device reports in its HELLO reply (docs/serial-protocol.md section 6).
 *
 * @param protocolVersion  the link protocol version the device speaks
 * @param serial           the serial number, 0 to 2^32 - 1
 * @param firmware         the device firmware version, "major.minor.patch"
 * @param rtc              the device has a real-time clock
 * @param button           the device has a button (touch credentials can be used)
 * @param display          the device has a display (the keyfob shows codes)
 * @param simulated        a simulation: it takes PRESS frames
 * @param maxPayload       the largest frame payload the device accepts
 * @param session          chosen anew at every boot, never 0: a change means the device restarted
 * @param touchTimeoutMillis how long the device waits for a press before it gives up (0: no button)
 * @param maxCommandMillis the longest the device takes for any command, a touch wait not counted
 */
public record DeviceIdentity(int protocolVersion, long serial, String firmware, boolean rtc, boolean button,
                             boolean display, boolean simulated, int maxPayload, long session,
                             long touchTimeoutMillis, int maxCommandMillis) {
    /** Bytes of the HELLO reply payload this version writes; later versions may append more. */
    public static final int LENGTH = 21;

    public byte[] encode() {
        String[] v = firmware.split("\\.");
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put((byte) protocolVersion);
        b.put((byte) ((rtc ? SerialProtocol.FLAG_RTC : 0) | (button ? SerialProtocol.FLAG_BUTTON : 0)
                | (display ? SerialProtocol.FLAG_DISPLAY : 0) | (simulated ? SerialProtocol.FLAG_SIMULATED : 0)));
        b.putInt((int) serial);
        for (int i = 0; i < 3; i++) {
            b.put((byte) Integer.parseInt(v[i]));
        }
        b.putShort((short) maxPayload);
        b.putInt((int) session);
        b.putInt((int) Math.min(touchTimeoutMillis, 0xFFFFFFFFL));
        b.putShort((short) Math.min(maxCommandMillis, 0xFFFF));
        return b.array();
    }

    /**
     * Reads a HELLO reply payload; bytes after the ones this version knows are ignored.
     *
     * @throws IllegalArgumentException when it is shorter than {@link #LENGTH}
     */
    public static DeviceIdentity decode(byte[] payload) {
        if (payload.length < LENGTH) {
            throw new IllegalArgumentException("HELLO reply of " + payload.length + " bytes, " + LENGTH + " expected");
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        int version = b.get() & 0xFF;
        int flags = b.get() & 0xFF;
        long serial = b.getInt() & 0xFFFFFFFFL;
        String firmware = (b.get() & 0xFF) + "." + (b.get() & 0xFF) + "." + (b.get() & 0xFF);
        int maxPayload = b.getShort() & 0xFFFF;
        long session = b.getInt() & 0xFFFFFFFFL;
        long touch = b.getInt() & 0xFFFFFFFFL;
        int maxCommand = b.getShort() & 0xFFFF;
        return new DeviceIdentity(version, serial, firmware, (flags & SerialProtocol.FLAG_RTC) != 0,
                (flags & SerialProtocol.FLAG_BUTTON) != 0, (flags & SerialProtocol.FLAG_DISPLAY) != 0,
                (flags & SerialProtocol.FLAG_SIMULATED) != 0, maxPayload, session, touch, maxCommand);
    }
}
