package io.totptoken.serial;

/**
 * Numbers of the serial link, as docs/serial-protocol.md defines them (section numbers below
 * refer to that document). Both ends use this class: the simulator's SerialDevice and the
 * host's SerialTransport; a device's firmware implements the same numbers in C.
 */
public final class SerialProtocol {
    private SerialProtocol() {
    }

    /** Protocol version carried in HELLO and its reply (section 6). */
    public static final int VERSION = 1;

    // ---- Framing (section 2) ----
    /** Opens and closes every frame; never appears inside one (HDLC flag, RFC 1662 section 4.2). */
    public static final int FLAG = 0x7E;
    /** Escapes a FLAG or ESCAPE byte inside a frame: the next byte is XORed with ESCAPE_XOR. */
    public static final int ESCAPE = 0x7D;
    public static final int ESCAPE_XOR = 0x20;
    /** Type, sequence number, 2-byte length. */
    public static final int HEADER_LENGTH = 4;
    /** CRC-32/ISO-HDLC, most significant byte first. */
    public static final int CRC_LENGTH = 4;
    /** Header and CRC around every payload. */
    public static final int FRAME_OVERHEAD = HEADER_LENGTH + CRC_LENGTH;
    /** What the length field can express. */
    public static final int MAX_PAYLOAD = 0xFFFF;
    /** The least payload every device accepts: a short case-4 APDU (4 + 1 + 255 + 1). */
    public static final int MIN_DEVICE_PAYLOAD = 261;

    // ---- Frame types, host to device (section 3) ----
    public static final int TYPE_HELLO = 0x01;
    public static final int TYPE_APDU = 0x02;
    /** Simulated devices only: the button, pressed by another program. */
    public static final int TYPE_PRESS = 0x03;

    // ---- Frame types, device to host ----
    /** The request arrived whole and is being executed (ASCII ACK). */
    public static final int TYPE_ACK = 0x06;
    public static final int TYPE_HELLO_REPLY = 0x81;
    public static final int TYPE_RESPONSE = 0x82;
    /** Still working on the request; sent every KEEPALIVE_INTERVAL_MS while executing. */
    public static final int TYPE_KEEPALIVE = 0x83;
    public static final int TYPE_EVENT = 0x84;
    public static final int TYPE_PRESS_REPLY = 0x85;

    // ---- Both directions ----
    /** A frame arrived damaged or could not be taken (ASCII NAK); payload: one reason byte. */
    public static final int TYPE_NAK = 0x15;

    // ---- NAK reasons (section 5) ----
    public static final int NAK_DAMAGED = 0x01;
    public static final int NAK_TOO_LONG = 0x02;
    public static final int NAK_UNKNOWN_TYPE = 0x03;
    /** The device has restarted (or never saw a HELLO): the host must say HELLO first. */
    public static final int NAK_NO_SESSION = 0x04;
    /** A request number that is neither the last one nor the next one. */
    public static final int NAK_SEQUENCE = 0x05;
    /** The device does not offer this (PRESS on a real device). */
    public static final int NAK_UNSUPPORTED = 0x06;
    /** The payload is not what the frame type needs (an empty APDU, a short PRESS). */
    public static final int NAK_BAD_PAYLOAD = 0x07;

    // ---- KEEPALIVE states (section 7) ----
    public static final int STATE_WORKING = 0x01;
    public static final int STATE_TOUCH = 0x02;

    // ---- EVENT codes (section 7) ----
    /** The card waits for a press; 4 bytes follow: milliseconds before it gives up. */
    public static final int EVENT_TOUCH_WANTED = 0x01;
    /** The button was pressed while the card waited. */
    public static final int EVENT_TOUCH_PRESSED = 0x02;

    // ---- PRESS kinds and PRESS REPLY results (section 8) ----
    public static final int PRESS_SHORT = 0x00;
    public static final int PRESS_LONG = 0x01;
    /** The press went to a command waiting for a touch. */
    public static final int PRESSED_TOUCH = 0x01;
    /** No command waited: the keyfob acted on it; UTF-8 display text follows. */
    public static final int PRESSED_KEYFOB = 0x02;
    /** The device has no button. */
    public static final int PRESSED_NO_BUTTON = 0x03;

    // ---- HELLO reply flags (section 6) ----
    public static final int FLAG_RTC = 0x01;
    public static final int FLAG_BUTTON = 0x02;
    public static final int FLAG_DISPLAY = 0x04;
    public static final int FLAG_SIMULATED = 0x08;

    // ---- Timing (section 9) ----
    /** A device sends KEEPALIVE at least this often while it executes a request. */
    public static final int KEEPALIVE_INTERVAL_MS = 100;
    /**
     * A partial frame with no byte for this long is dropped as truncated: not sooner, and no
     * later than {@link #INTER_BYTE_TIMEOUT_MAX_MS}.
     */
    public static final int INTER_BYTE_TIMEOUT_MS = 50;
    public static final int INTER_BYTE_TIMEOUT_MAX_MS = 250;
    /** Host default: resend when nothing about the request arrived for this long. */
    public static final int DEFAULT_RETRANSMIT_MS = 500;
    /** Host default: give up after this many sends in a row without a sign of life. */
    public static final int DEFAULT_TRIES = 4;
    /** Shortest retransmission timeout a host may use: keepalives must fit in it with room to spare. */
    public static final int MIN_RETRANSMIT_MS = 3 * KEEPALIVE_INTERVAL_MS;
}
