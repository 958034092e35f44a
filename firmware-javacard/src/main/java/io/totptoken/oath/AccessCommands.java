package io.totptoken.oath;

import javacard.framework.APDU;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Util;
import io.totptoken.platform.PlatformButton;
import javacard.security.RandomData;

/**
 * SELECT answer, SET CODE, VALIDATE, RESET, TOKEN INFO, and the checks other commands
 * ask of it: is the session authenticated, did the user press the button.
 *
 * <p>The password follows YKOATH: a 16-byte key (PBKDF2 on the host), HMAC-SHA1 mutual
 * challenge-response, valid until deselect. Beyond YKOATH, VALIDATE has a retry counter
 * that is spent before the check; at zero VALIDATE answers 6983 until RESET.
 */
final class AccessCommands {
    private static final short AUTHENTICATED = 0;
    private static final short CHALLENGE_ISSUED = 1;
    /** Bytes of RAM the flags take ({@link Transients#accessFlags}). */
    static final short FLAGS_SIZE = 2;
    private static final short PASSWORD_RESPONSE = Protocol.PASSWORD_RESPONSE_LENGTH;
    /** The password is HMAC-SHA1 key material, whose second half follows the first. */
    private static final short SECOND_HALF = HmacEngine.BLOCK / 2;
    /** SET CODE's tag 73: the algorithm byte and a key of at most one SHA-1 block. */
    private static final short MAX_KEY_TLV = Protocol.SET_CODE_KEY_HEADER + HmacEngine.BLOCK;

    private final DeviceState device;
    private final CredentialStore store;
    private final HmacEngine hmac;
    private final Tlv tlv;
    private final RandomData random;
    private final byte[] scratch;
    private final byte[] flags;
    /** The challenge SELECT gave, for the next VALIDATE. */
    private final byte[] challenge;

    AccessCommands(DeviceState device, CredentialStore store, HmacEngine hmac, Tlv tlv, RandomData random,
                   Transients ram) {
        this.device = device;
        this.store = store;
        this.hmac = hmac;
        this.tlv = tlv;
        this.random = random;
        this.scratch = ram.scratch;
        this.flags = ram.accessFlags;
        this.challenge = ram.cardChallenge;
    }

    void deselected() {
        flags[AUTHENTICATED] = 0;
        flags[CHALLENGE_ISSUED] = 0;
    }

    void requireAuth() {
        if (device.passwordSet() && flags[AUTHENTICATED] == 0) {
            ISOException.throwIt(Protocol.SW_AUTH_REQUIRED);
        }
    }

    /** 79 version, 71 ID; with a password also 74 challenge and 7B algorithm. */
    short select(byte[] buf) {
        deselected();
        short n = 0;
        buf[n++] = Protocol.TAG_VERSION;
        buf[n++] = 3;
        buf[n++] = Protocol.YKOATH_MAJOR;
        buf[n++] = Protocol.YKOATH_MINOR;
        buf[n++] = Protocol.YKOATH_PATCH;
        buf[n++] = Protocol.TAG_NAME;
        buf[n++] = (byte) Protocol.ID_LENGTH;
        device.copyId(buf, n);
        n += Protocol.ID_LENGTH;
        if (device.passwordSet()) {
            random.generateData(challenge, (short) 0, Protocol.CHALLENGE_LENGTH);
            flags[CHALLENGE_ISSUED] = 1;
            buf[n++] = Protocol.TAG_CHALLENGE;
            buf[n++] = (byte) Protocol.CHALLENGE_LENGTH;
            n = Util.arrayCopyNonAtomic(challenge, (short) 0, buf, n, Protocol.CHALLENGE_LENGTH);
            buf[n++] = Protocol.TAG_ALGORITHM;
            buf[n++] = 1;
            buf[n++] = Protocol.ALG_SHA1;
        }
        return n;
    }

    /** SET CODE: 73 [alg][key] 74 challenge 75 HMAC(key, challenge); an empty 73 removes it. */
    short setCode(APDU apdu) {
        requireAuth();
        byte[] buf = apdu.getBuffer();
        short dataLen = CommandInput.open(apdu, tlv, (byte) 0, (byte) 0);
        short data = apdu.getOffsetCdata();
        try {
            tlv.expect(buf, Protocol.TAG_KEY, (short) 0, MAX_KEY_TLV);
            if (tlv.length() == 0) {
                if (tlv.hasMore()) {
                    ISOException.throwIt(Protocol.SW_WRONG_DATA);
                }
                device.setPassword(null, (short) 0);
                return 0;
            }
            short key = tlv.value();
            short keyLen = (short) (tlv.length() - Protocol.SET_CODE_KEY_HEADER);
            if ((buf[key] & Protocol.ALG_MASK) != Protocol.ALG_SHA1 || keyLen < 1) {
                ISOException.throwIt(Protocol.SW_WRONG_DATA);
            }
            tlv.expect(buf, Protocol.TAG_CHALLENGE, (short) 1, Protocol.MAX_CHALLENGE);
            short chal = tlv.value();
            short chalLen = tlv.length();
            tlv.expect(buf, Protocol.TAG_RESPONSE, PASSWORD_RESPONSE, PASSWORD_RESPONSE);
            short response = tlv.value();
            hmac.prepare(Protocol.ALG_SHA1, buf, (short) (key + Protocol.SET_CODE_KEY_HEADER), keyLen,
                    scratch, Transients.KEY_MATERIAL);
            hmac.sign(Protocol.ALG_SHA1, scratch, Transients.KEY_MATERIAL, scratch,
                    (short) (Transients.KEY_MATERIAL + SECOND_HALF), buf, chal, chalLen, scratch, Transients.KEY_MAC);
            if (!equal(scratch, Transients.KEY_MAC, buf, response, PASSWORD_RESPONSE)) {
                ISOException.throwIt(Protocol.SW_WRONG_DATA);
            }
            device.setPassword(scratch, Transients.KEY_MATERIAL);
            flags[AUTHENTICATED] = 1;
        } finally {
            Util.arrayFillNonAtomic(scratch, (short) 0, Transients.SCRATCH_SIZE, (byte) 0);
            Util.arrayFillNonAtomic(buf, data, dataLen, (byte) 0);
        }
        return 0;
    }

    /** VALIDATE: 75 HMAC(key, card challenge) 74 host challenge; answers 75 HMAC(key, host challenge). */
    short validate(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        CommandInput.open(apdu, tlv, (byte) 0, (byte) 0);
        tlv.expect(buf, Protocol.TAG_RESPONSE, PASSWORD_RESPONSE, PASSWORD_RESPONSE);
        short response = tlv.value();
        tlv.expect(buf, Protocol.TAG_CHALLENGE, (short) 1, Protocol.MAX_CHALLENGE);
        short hostChallenge = tlv.value();
        short hostChallengeLen = tlv.length();
        if (!device.passwordSet()) {
            ISOException.throwIt(Protocol.SW_NO_SUCH_OBJECT);
        }
        if (device.triesLeft() <= 0) {
            ISOException.throwIt(Protocol.SW_AUTH_BLOCKED);
        }
        if (flags[CHALLENGE_ISSUED] == 0) {
            ISOException.throwIt(Protocol.SW_CONDITIONS);
        }
        device.spendTry();
        flags[CHALLENGE_ISSUED] = 0;
        byte[] pw = device.passwordArray();
        short pwOff = device.passwordOffset();
        try {
            hmac.sign(Protocol.ALG_SHA1, pw, pwOff, pw, (short) (pwOff + SECOND_HALF),
                    challenge, (short) 0, Protocol.CHALLENGE_LENGTH, scratch, Transients.CODE_MAC);
            if (!equal(scratch, Transients.CODE_MAC, buf, response, PASSWORD_RESPONSE)) {
                ISOException.throwIt(Protocol.SW_AUTH_REQUIRED);
            }
            device.restoreTries();
            flags[AUTHENTICATED] = 1;
            // The host challenge moves out of the way of the answer.
            Util.arrayCopyNonAtomic(buf, hostChallenge, scratch, Transients.CODE_CHALLENGE, hostChallengeLen);
            short n = 0;
            buf[n++] = Protocol.TAG_RESPONSE;
            buf[n++] = (byte) PASSWORD_RESPONSE;
            hmac.sign(Protocol.ALG_SHA1, pw, pwOff, pw, (short) (pwOff + SECOND_HALF),
                    scratch, Transients.CODE_CHALLENGE, hostChallengeLen, buf, n);
            return (short) (n + PASSWORD_RESPONSE);
        } finally {
            Util.arrayFillNonAtomic(scratch, (short) 0, Transients.SCRATCH_SIZE, (byte) 0);
        }
    }

    /** RESET (P1P2 = DE AD): every credential and the password go, a new ID is drawn. */
    short reset(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        if (buf[ISO7816.OFFSET_P1] != Protocol.RESET_P1 || buf[ISO7816.OFFSET_P2] != Protocol.RESET_P2) {
            ISOException.throwIt(Protocol.SW_INCORRECT_P1P2);
        }
        random.generateData(scratch, Transients.RESET_ID, Protocol.ID_LENGTH);
        store.expectRepair();
        device.reset(scratch, Transients.RESET_ID);
        store.dropAll();
        deselected();
        Util.arrayFillNonAtomic(scratch, Transients.RESET_ID, Transients.RESET_SIZE, (byte) 0);
        return 0;
    }

    /** TOKEN INFO (extension): counts and capabilities, no secrets; allowed without the password. */
    short info(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        CommandInput.checkParams(buf, (byte) 0, (byte) 0);
        short n = 0;
        buf[n++] = Protocol.INFO_FIRMWARE_VERSION;
        buf[n++] = 3;
        buf[n++] = Protocol.FW_MAJOR;
        buf[n++] = Protocol.FW_MINOR;
        buf[n++] = Protocol.FW_PATCH;
        n = shortTlv(buf, n, Protocol.INFO_SLOTS_TOTAL, store.slots());
        n = shortTlv(buf, n, Protocol.INFO_SLOTS_USED, store.usedSlots());
        n = shortTlv(buf, n, Protocol.INFO_CREDENTIALS, store.credentials());
        n = byteTlv(buf, n, Protocol.INFO_PASSWORD_SET, device.passwordSet() ? (byte) 1 : (byte) 0);
        n = byteTlv(buf, n, Protocol.INFO_TRIES_LEFT, device.triesLeft());
        n = byteTlv(buf, n, Protocol.INFO_TRIES_MAX, device.maxTries());
        buf[n++] = Protocol.INFO_ENGINES;
        buf[n++] = 3;
        for (byte alg = Protocol.ALG_SHA1; alg <= Protocol.ALG_SHA512; alg++) {
            buf[n++] = hmac.engine(alg);
        }
        byte platform = PlatformServices.button() != null ? Protocol.PLATFORM_HAS_BUTTON : 0;
        if (DeviceClock.present()) {
            platform |= Protocol.PLATFORM_HAS_CLOCK;
        }
        n = byteTlv(buf, n, Protocol.INFO_PLATFORM, platform);
        buf[n++] = Protocol.INFO_SERIAL;
        buf[n++] = (byte) Protocol.SERIAL_LENGTH;
        n = device.copySerial(buf, n);
        buf[n++] = Protocol.INFO_MAX_PERIOD;
        buf[n++] = (byte) Protocol.PERIOD_LENGTH;
        return Util.arrayFillNonAtomic(buf, n, Protocol.PERIOD_LENGTH, (byte) 0xFF);
    }

    /** True when the platform's button was pressed; false without a button (as a touch timeout). */
    boolean pressed() {
        PlatformButton b = PlatformServices.button();
        return b != null && b.awaitPress();
    }

    private static short shortTlv(byte[] buf, short n, byte tag, short value) {
        buf[n++] = tag;
        buf[n++] = 2;
        return Util.setShort(buf, n, value);
    }

    private static short byteTlv(byte[] buf, short n, byte tag, byte value) {
        buf[n++] = tag;
        buf[n++] = 1;
        buf[n++] = value;
        return n;
    }

    /** Compares without stopping at the first difference. */
    private static boolean equal(byte[] a, short aOff, byte[] b, short bOff, short len) {
        byte diff = 0;
        for (short i = 0; i < len; i++) {
            diff |= (byte) (a[(short) (aOff + i)] ^ b[(short) (bOff + i)]);
        }
        return diff == 0;
    }
}
