package io.totptoken.oath;

/**
 * Every number on the wire, in one place.
 *
 * <p>YKOATH values follow Yubico's "YKOATH Protocol Specification" and the client in
 * yubikey-manager {@code yubikit/oath.py}; values marked "extension" are ours and are
 * never sent by YKOATH clients (see docs/applet.md).
 */
public final class Protocol {
    private Protocol() {
    }

    // ---- Class byte (ISO 7816-4 5.4.1) ----
    /** The command-chaining bit of CLA; no YKOATH command needs chaining. */
    public static final byte CLA_CHAINING = (byte) 0x10;

    // ---- Instructions (YKOATH "Instructions") ----
    public static final byte INS_PUT = (byte) 0x01;
    public static final byte INS_DELETE = (byte) 0x02;
    public static final byte INS_SET_CODE = (byte) 0x03;
    public static final byte INS_RESET = (byte) 0x04;
    public static final byte INS_RENAME = (byte) 0x05;
    public static final byte INS_LIST = (byte) 0xA1;
    public static final byte INS_CALCULATE = (byte) 0xA2;
    public static final byte INS_VALIDATE = (byte) 0xA3;
    public static final byte INS_CALCULATE_ALL = (byte) 0xA4;
    public static final byte INS_SEND_REMAINING = (byte) 0xA5;
    /**
     * ISO GET RESPONSE, taken as SEND REMAINING: PC/SC stacks (javax.smartcardio, Windows for
     * T=0) send it on their own when a card answers 61xx.
     */
    public static final byte INS_GET_RESPONSE = (byte) 0xC0;
    /** Extension: token status (capacity, password, engines). */
    public static final byte INS_TOKEN_INFO = (byte) 0xE1;
    /** Extension: read the device clock (D3 time, D4 last time a code came from it). */
    public static final byte INS_GET_CLOCK = (byte) 0xE2;
    /** Extension: set the device clock (D3 time); P1 = 01 allows moving it backwards. */
    public static final byte INS_SET_CLOCK = (byte) 0xE3;
    public static final byte SET_CLOCK_BACKWARDS = (byte) 0x01;

    /** CALCULATE and CALCULATE ALL P2 (YKOATH "CALCULATE"): the full response, or a truncated one. */
    public static final byte P2_FULL = (byte) 0x00;
    public static final byte P2_TRUNCATED = (byte) 0x01;

    /** RESET must carry P1P2 = DE AD (YKOATH "RESET"). */
    public static final byte RESET_P1 = (byte) 0xDE;
    public static final byte RESET_P2 = (byte) 0xAD;

    // ---- Tags (YKOATH "Tags") ----
    public static final byte TAG_NAME = (byte) 0x71;
    public static final byte TAG_NAME_LIST = (byte) 0x72;
    public static final byte TAG_KEY = (byte) 0x73;
    public static final byte TAG_CHALLENGE = (byte) 0x74;
    public static final byte TAG_RESPONSE = (byte) 0x75;
    public static final byte TAG_TRUNCATED = (byte) 0x76;
    public static final byte TAG_HOTP = (byte) 0x77;
    public static final byte TAG_PROPERTY = (byte) 0x78;
    public static final byte TAG_VERSION = (byte) 0x79;
    public static final byte TAG_IMF = (byte) 0x7A;
    public static final byte TAG_ALGORITHM = (byte) 0x7B;
    public static final byte TAG_TOUCH = (byte) 0x7C;
    /**
     * Extension in PUT: the HMAC inner and outer chaining states, each padded to half the
     * material area, computed by the host. Lets a host skip the on-card derivation.
     */
    public static final byte TAG_KEY_STATES = (byte) 0xD1;
    /**
     * Extension in PUT: the TOTP period in seconds, 1 to 4 bytes big-endian (1 to 2^32 - 1; firmware
     * 0.1.0 took 2 bytes only); else the name's prefix or 30. TOKEN INFO tag 8A gives the largest.
     */
    public static final byte TAG_PERIOD = (byte) 0xD2;
    /** Extension: a device-clock time, 8 bytes of Unix seconds. */
    public static final byte TAG_TIME = (byte) 0xD3;
    /** Extension in GET CLOCK: the latest clock time a code was computed for. */
    public static final byte TAG_LAST_CODE_TIME = (byte) 0xD4;
    /** Extension in a clock-based CALCULATE answer: seconds the code stays valid, 2 bytes, or 4 from 65,536 on. */
    public static final byte TAG_VALID_FOR = (byte) 0xD5;

    // ---- Extension: TOKEN INFO response tags ----
    public static final byte INFO_FIRMWARE_VERSION = (byte) 0x80;
    public static final byte INFO_SLOTS_TOTAL = (byte) 0x81;
    public static final byte INFO_SLOTS_USED = (byte) 0x82;
    public static final byte INFO_CREDENTIALS = (byte) 0x83;
    public static final byte INFO_PASSWORD_SET = (byte) 0x84;
    public static final byte INFO_TRIES_LEFT = (byte) 0x85;
    public static final byte INFO_TRIES_MAX = (byte) 0x86;
    public static final byte INFO_ENGINES = (byte) 0x87;
    public static final byte INFO_PLATFORM = (byte) 0x88;
    public static final byte INFO_SERIAL = (byte) 0x89;
    /** The largest TOTP period tag D2 takes, 4 bytes (absent from firmware 0.1.0, whose D2 took 65,535). */
    public static final byte INFO_MAX_PERIOD = (byte) 0x8A;
    /** INFO_PLATFORM bits: the device offers a button; a real-time clock. */
    public static final byte PLATFORM_HAS_BUTTON = (byte) 0x01;
    public static final byte PLATFORM_HAS_CLOCK = (byte) 0x02;

    // ---- Type and algorithm byte (YKOATH "PUT") ----
    public static final byte TYPE_MASK = (byte) 0xF0;
    public static final byte ALG_MASK = (byte) 0x0F;
    public static final byte TYPE_HOTP = (byte) 0x10;
    public static final byte TYPE_TOTP = (byte) 0x20;
    public static final byte ALG_SHA1 = (byte) 0x01;
    public static final byte ALG_SHA256 = (byte) 0x02;
    public static final byte ALG_SHA512 = (byte) 0x03;

    // ---- Properties (YKOATH "PUT": the tag is followed by one byte, no length) ----
    public static final byte PROP_ONLY_INCREASING = (byte) 0x01;
    public static final byte PROP_REQUIRE_TOUCH = (byte) 0x02;
    public static final byte PROP_KNOWN = (byte) 0x03;

    // ---- Status words (ISO 7816-4, as YKOATH uses them) ----
    public static final short SW_MORE_DATA = (short) 0x6100;
    public static final short SW_NO_SPACE = (short) 0x6A84;
    public static final short SW_AUTH_REQUIRED = (short) 0x6982;
    public static final short SW_AUTH_BLOCKED = (short) 0x6983;
    public static final short SW_NO_SUCH_OBJECT = (short) 0x6984;
    public static final short SW_WRONG_DATA = (short) 0x6A80;
    public static final short SW_FUNC_NOT_SUPPORTED = (short) 0x6A81;
    public static final short SW_INCORRECT_P1P2 = (short) 0x6A86;
    public static final short SW_CONDITIONS = (short) 0x6985;
    public static final short SW_CHAINING_UNSUPPORTED = (short) 0x6884;
    /** The platform has no real-time clock (clock-based code, GET or SET CLOCK). */
    public static final short SW_NO_CLOCK = (short) 0x6A88;

    // ---- Limits ----
    public static final short MAX_NAME = 64;
    public static final short MAX_CHALLENGE = 64;
    public static final byte MIN_DIGITS = 6;
    public static final byte MAX_DIGITS = 8;
    public static final short ID_LENGTH = 8;
    public static final short CHALLENGE_LENGTH = 8;
    public static final short TIME_LENGTH = 8;
    /** A HOTP counter (YKOATH "PUT" tag 7A: 8 bytes big-endian, or the low 4 of them). */
    public static final short COUNTER_LENGTH = 8;
    public static final short SHORT_COUNTER_LENGTH = 4;
    /** A TOTP period (extension tag D2, 1 to 4 bytes; TOKEN INFO tag 8A): at most 4 bytes, unsigned. */
    public static final short PERIOD_LENGTH = 4;
    /** Tag 73 in PUT: [type|algorithm][digits] before the key (YKOATH "PUT"). */
    public static final short PUT_KEY_HEADER = 2;
    /** Tag 73 in SET CODE: [algorithm] before the key (YKOATH "SET CODE"). */
    public static final short SET_CODE_KEY_HEADER = 1;
    /** A truncated code (tag 76): digits byte, then 4 bytes of the MAC (RFC 4226 5.3 dynamic truncation). */
    public static final short TRUNCATED_LENGTH = 4;
    /** The password's MAC in SET CODE and VALIDATE: HMAC-SHA1, 20 bytes (YKOATH "VALIDATE"). */
    public static final short PASSWORD_RESPONSE_LENGTH = 20;
    public static final short DEFAULT_PERIOD = 30;
    /** Largest response chunk before 61xx / SEND REMAINING (a short Le of 00). */
    public static final short CHUNK = 256;

    /**
     * YKOATH feature level announced in SELECT tag 0x79. It is the lowest YubiKey firmware
     * whose OATH features we implement, so clients enable all of them (ykman gates SHA-512 on
     * 4.3.1, touch on 4.2.6, rename on 5.3.1). Our own firmware version is in TOKEN INFO.
     */
    public static final byte YKOATH_MAJOR = 5;
    public static final byte YKOATH_MINOR = 3;
    public static final byte YKOATH_PATCH = 1;

    /** Our firmware version, reported by TOKEN INFO (semantic versioning). */
    public static final byte FW_MAJOR = 0;
    public static final byte FW_MINOR = 2;
    public static final byte FW_PATCH = 0;

    // ---- Install parameters (docs/applet.md) ----
    public static final short DEFAULT_SLOTS = 200;
    /** 221 slots of {@link CredentialStore#RECORD} bytes is the largest array a short can index. */
    public static final short MAX_SLOTS = 221;
    public static final byte DEFAULT_TRIES = 8;
    /** Engine-disable bits in install parameter byte 3: for cards whose engine is broken, and tests. */
    public static final byte DISABLE_STATES = (byte) 0x01;
    public static final byte DISABLE_SIGNATURE = (byte) 0x02;
    /** Install parameter bytes 4-7: the token's serial number, written at personalisation. */
    public static final short SERIAL_LENGTH = 4;

    // ---- Platform services (io.totptoken.platform interfaces offered by the device's platform applet) ----
    /** AID of the platform applet that offers the button and the clock. */
    public static final byte[] PLATFORM_AID = {(byte) 0xF0, (byte) 0x74, (byte) 0x6F, (byte) 0x74, (byte) 0x70, (byte) 0x01};
}
