package io.totptoken.host.session;

/**
 * Every YKOATH number the host sends or reads, one per line, the host's side of the wire (the
 * card's is the firmware's {@code io.totptoken.oath.Protocol}, with the same names).
 *
 * <p>"REFERENCE 2" is section 2 of REFERENCE.md (Yubico's "YKOATH Protocol Specification" and
 * yubikit {@code oath.py}); "applet.md" is our own docs/applet.md, for our extensions, which
 * YKOATH clients never send. Status words are ISO 7816-4's, as YKOATH uses them.
 */
public final class Ykoath {
    private Ykoath() {
    }

    /** The application ID clients select; an instance ID (one more byte) answers by prefix. REFERENCE 2. */
    public static final byte[] AID = {(byte) 0xA0, 0x00, 0x00, 0x05, 0x27, 0x21, 0x01};

    // ---- Instructions ----
    /** REFERENCE 2 (ISO 7816-4 SELECT; CALCULATE ALL is the same INS with P1 = 00). */
    public static final int INS_SELECT = 0xA4;
    /** SELECT by application ID. REFERENCE 2. */
    public static final int P1_SELECT_BY_NAME = 0x04;
    /** REFERENCE 2. */
    public static final int INS_PUT = 0x01;
    /** REFERENCE 2. */
    public static final int INS_DELETE = 0x02;
    /** REFERENCE 2. */
    public static final int INS_SET_CODE = 0x03;
    /** REFERENCE 2; takes P1P2 = DE AD. */
    public static final int INS_RESET = 0x04;
    /** REFERENCE 2. */
    public static final int P1_RESET = 0xDE;
    /** REFERENCE 2. */
    public static final int P2_RESET = 0xAD;
    /** REFERENCE 2. */
    public static final int INS_RENAME = 0x05;
    /** REFERENCE 2. */
    public static final int INS_LIST = 0xA1;
    /** REFERENCE 2. */
    public static final int INS_CALCULATE = 0xA2;
    /** CALCULATE and CALCULATE ALL with P2 = 01 answer truncated codes (tag 76). REFERENCE 2. */
    public static final int P2_TRUNCATED = 0x01;
    /** REFERENCE 2. */
    public static final int INS_VALIDATE = 0xA3;
    /** REFERENCE 2 (P1 = 00, unlike SELECT). */
    public static final int INS_CALCULATE_ALL = 0xA4;
    /** Our TOKEN INFO, allowed without the password. applet.md "Extensions". */
    public static final int INS_TOKEN_INFO = 0xE1;
    /** Our GET CLOCK. applet.md "The device clock". */
    public static final int INS_GET_CLOCK = 0xE2;
    /** Our SET CLOCK. applet.md "The device clock". */
    public static final int INS_SET_CLOCK = 0xE3;
    /** SET CLOCK may move the clock backwards. applet.md "The device clock". */
    public static final int P1_SET_CLOCK_BACKWARDS = 0x01;

    // ---- Tags ----
    /** REFERENCE 2; also the 8-byte device ID in SELECT. */
    public static final int TAG_NAME = 0x71;
    /** REFERENCE 2. */
    public static final int TAG_NAME_LIST = 0x72;
    /** REFERENCE 2. */
    public static final int TAG_KEY = 0x73;
    /** REFERENCE 2. */
    public static final int TAG_CHALLENGE = 0x74;
    /** REFERENCE 2. */
    public static final int TAG_RESPONSE = 0x75;
    /** REFERENCE 2. */
    public static final int TAG_TRUNCATED = 0x76;
    /** REFERENCE 2: an HOTP credential in CALCULATE ALL, not computed. */
    public static final int TAG_HOTP = 0x77;
    /** REFERENCE 2: the tag and one byte, no length. */
    public static final int TAG_PROPERTY = 0x78;
    /** REFERENCE 2. */
    public static final int TAG_VERSION = 0x79;
    /** REFERENCE 2: the HOTP initial counter. */
    public static final int TAG_IMF = 0x7A;
    /** REFERENCE 2: a credential in CALCULATE ALL that waits for a touch. */
    public static final int TAG_TOUCH = 0x7C;
    /** Our precomputed HMAC states in PUT. applet.md "Extensions". */
    public static final int TAG_KEY_STATES = 0xD1;
    /** Our TOTP period in PUT (2 bytes, or 4). applet.md "Extensions" and "The device clock". */
    public static final int TAG_PERIOD = 0xD2;
    /** A device-clock time, 8 bytes of Unix seconds. applet.md "The device clock". */
    public static final int TAG_TIME = 0xD3;
    /** GET CLOCK: the latest clock time a code came from. applet.md "The device clock". */
    public static final int TAG_LAST_CODE_TIME = 0xD4;
    /** A clock-based CALCULATE: seconds the code stays valid. applet.md "The device clock". */
    public static final int TAG_VALID_FOR = 0xD5;

    // ---- Type and algorithm byte, property ----
    /** The type/algorithm byte: type in the high nibble. REFERENCE 2. */
    public static final int TYPE_MASK = 0xF0;
    /** The type/algorithm byte: algorithm in the low nibble. REFERENCE 2. */
    public static final int ALG_MASK = 0x0F;
    /** REFERENCE 2. */
    public static final int TYPE_HOTP = 0x10;
    /** REFERENCE 2. */
    public static final int TYPE_TOTP = 0x20;
    /** REFERENCE 2. */
    public static final int ALG_SHA1 = 0x01;
    /** REFERENCE 2. */
    public static final int ALG_SHA256 = 0x02;
    /** REFERENCE 2. */
    public static final int ALG_SHA512 = 0x03;
    /** REFERENCE 2. */
    public static final int PROP_REQUIRE_TOUCH = 0x02;

    // ---- TOKEN INFO answer tags (applet.md "Extensions") ----
    /** 3 bytes: our firmware version. */
    public static final int INFO_FIRMWARE_VERSION = 0x80;
    /** 2 bytes: credential slots in all. */
    public static final int INFO_SLOTS_TOTAL = 0x81;
    /** 2 bytes: slots in use. */
    public static final int INFO_SLOTS_USED = 0x82;
    /** 2 bytes: credentials. */
    public static final int INFO_CREDENTIALS = 0x83;
    /** 1 byte: 1 when a password is set. */
    public static final int INFO_PASSWORD_SET = 0x84;
    /** 1 byte: VALIDATE tries left. */
    public static final int INFO_TRIES_LEFT = 0x85;
    /** 1 byte: VALIDATE tries after a success. */
    public static final int INFO_TRIES_MAX = 0x86;
    /** 3 bytes: the HMAC engine for SHA-1, SHA-256, SHA-512. */
    public static final int INFO_ENGINES = 0x87;
    /** 1 byte of platform features. */
    public static final int INFO_PLATFORM = 0x88;
    /** INFO_PLATFORM bit: the device has a button. */
    public static final int PLATFORM_HAS_BUTTON = 0x01;
    /** 4 bytes: the serial number written at personalisation. */
    public static final int INFO_SERIAL = 0x89;
    /** 4 bytes: the longest period TAG_PERIOD takes; absent before firmware 0.2.0. */
    public static final int INFO_MAX_PERIOD = 0x8A;

    // ---- Status words ----
    /** REFERENCE 2. */
    public static final int SW_NO_SPACE = 0x6A84;
    /** Authentication required, or refused (also a touch not given). REFERENCE 2. */
    public static final int SW_AUTH_REQUIRED = 0x6982;
    /** No VALIDATE tries left. applet.md "Password and retry counter". */
    public static final int SW_AUTH_BLOCKED = 0x6983;
    /** REFERENCE 2. */
    public static final int SW_NO_SUCH_OBJECT = 0x6984;
    /** REFERENCE 2. */
    public static final int SW_WRONG_DATA = 0x6A80;
    /** ISO 7816-4 "function not supported": our applet answers it to a PUT of an algorithm it lacks. */
    public static final int SW_FUNC_NOT_SUPPORTED = 0x6A81;
    /** SELECT of an application the token does not have. ISO 7816-4. */
    public static final int SW_FILE_NOT_FOUND = 0x6A82;
    /** A clock moved backwards without P1 = 01, a clock behind its last code. applet.md "The device clock". */
    public static final int SW_CONDITIONS = 0x6985;
    /** A change the token could not store; it kept its state from before the command. ISO 7816-4 (memory failure). */
    public static final int SW_MEMORY_FAILURE = 0x6581;
    /** No device clock. applet.md "The device clock". */
    public static final int SW_NO_CLOCK = 0x6A88;
    /** applet.md "Instructions". */
    public static final int SW_INCORRECT_P1P2 = 0x6A86;
    /** applet.md "Instructions". */
    public static final int SW_WRONG_LENGTH = 0x6700;
    /** applet.md "Instructions". */
    public static final int SW_INS_NOT_SUPPORTED = 0x6D00;
    /** applet.md "Instructions". */
    public static final int SW_CLA_NOT_SUPPORTED = 0x6E00;
}
