package io.totptoken.host.session;

import static io.totptoken.host.session.Ykoath.*;

import io.totptoken.host.apdu.Apdu;
import io.totptoken.host.apdu.MalformedResponseException;
import io.totptoken.host.apdu.Response;
import io.totptoken.host.apdu.Tlv;
import io.totptoken.host.transport.SendRemainingTransport;
import io.totptoken.host.transport.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A YKOATH session with one token (REFERENCE section 2; Yubico's "YKOATH Protocol
 * Specification"), plus our TOKEN INFO and key-states extensions. Refusals become an
 * {@link ApduException} with the status word and a sentence; key bytes are wiped once the
 * APDU carrying them is sent.
 */
public final class OathSession {
    /** The YKOATH application ID clients select; instances answer by prefix. */
    public static final byte[] AID = Ykoath.AID;

    /** Yubico's clients zero-pad shorter keys to this; HMAC does not change, and YubiKeys want it. */
    static final int MIN_KEY = 14;

    /** The OATH application's version from SELECT: the YKOATH feature level. */
    public record Version(int major, int minor, int patch) {
        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }

    /** The device clock (GET CLOCK): its time and the latest time a code came from it, Unix seconds. */
    public record DeviceTime(long now, long lastCode) {
    }

    /** A code computed from the device's own clock, with the clock time used and seconds it stays valid. */
    public record DeviceCode(Code code, long time, long validFor) {
    }

    /** One answer of CALCULATE ALL: the code, or null when the token did not compute one (HOTP, touch). */
    public record Entry(CardCredential credential, Code code, boolean touch) {
    }

    private final Transport transport;
    private Version version;
    private byte[] id;
    private byte[] challenge;
    private boolean password;

    private OathSession(Transport transport) {
        this.transport = transport instanceof SendRemainingTransport ? transport : new SendRemainingTransport(transport);
    }

    /** Selects the OATH application on the token. */
    public static OathSession open(Transport transport) {
        OathSession s = new OathSession(transport);
        s.select();
        return s;
    }

    private void select() {
        Response r = send(new Apdu(INS_SELECT, P1_SELECT_BY_NAME, 0x00, AID), "select");
        List<Tlv> tlvs = Tlv.parse(r.data());
        byte[] v = Tlv.find(tlvs, TAG_VERSION);
        id = Tlv.find(tlvs, TAG_NAME);
        if (v == null || v.length != 3 || id == null) {
            throw new MalformedResponseException("SELECT has no version or ID");
        }
        version = new Version(v[0] & 0xFF, v[1] & 0xFF, v[2] & 0xFF);
        challenge = Tlv.find(tlvs, TAG_CHALLENGE);
        password = challenge != null;
    }

    public Version version() {
        return version;
    }

    /** The 8-byte token ID, also the password salt; it changes on reset. */
    public byte[] deviceId() {
        return id.clone();
    }

    /** Whether the token has a password (its SELECT answer carried a challenge), given in this session or not. */
    public boolean hasPassword() {
        return password;
    }

    /** Whether the token has a password and this session has not given it yet. */
    public boolean locked() {
        return challenge != null;
    }

    /** PBKDF2-HMAC-SHA1(UTF-8 password, salt = ID, 1000 iterations, 16 bytes), as YKOATH clients derive it. */
    public byte[] deriveKey(char[] password) {
        return Pbkdf2.hmacSha1(password, id, 1000, 16);
    }

    /** Unlocks with the password; the card must prove it knows the key too (mutual). */
    public void unlock(char[] password) {
        byte[] key = deriveKey(password);
        try {
            validate(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    public void validate(byte[] key) {
        if (challenge == null) {
            return;
        }
        byte[] hostChallenge = new byte[8];
        new SecureRandom().nextBytes(hostChallenge);
        byte[] data = Tlv.concat(Tlv.encode(TAG_RESPONSE, hmacSha1(key, challenge)), Tlv.encode(TAG_CHALLENGE, hostChallenge));
        Response r = transmit(new Apdu(INS_VALIDATE, 0, 0, data));
        if (r.sw() == SW_AUTH_REQUIRED) {
            select(); // the card wants a fresh challenge for the next try
            throw new WrongPasswordException(r.sw(), passwordTriesLeft());
        }
        check(r, "unlock");
        byte[] proof = Tlv.find(Tlv.parse(r.data()), TAG_RESPONSE);
        if (proof == null || !MessageDigest.isEqual(proof, hmacSha1(key, hostChallenge))) {
            throw new MalformedResponseException("the token could not prove it knows the password");
        }
        challenge = null;
    }

    /** Sets a password; the session stays unlocked. */
    public void setPassword(char[] password) {
        byte[] key = deriveKey(password);
        byte[] keyTlv = new byte[1 + key.length];
        byte[] data = null;
        try {
            byte[] challengeBytes = new byte[8];
            new SecureRandom().nextBytes(challengeBytes);
            keyTlv[0] = (byte) (TYPE_TOTP | ALG_SHA1);
            System.arraycopy(key, 0, keyTlv, 1, key.length);
            data = Tlv.concat(Tlv.encode(TAG_KEY, keyTlv), Tlv.encode(TAG_CHALLENGE, challengeBytes),
                    Tlv.encode(TAG_RESPONSE, hmacSha1(key, challengeBytes)));
            check(transmit(new Apdu(INS_SET_CODE, 0, 0, data)), "set password");
            this.password = true;
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(keyTlv, (byte) 0);
            if (data != null) {
                Arrays.fill(data, (byte) 0);
            }
        }
    }

    public void clearPassword() {
        check(transmit(new Apdu(INS_SET_CODE, 0, 0, Tlv.encode(TAG_KEY, new byte[0]))), "remove password");
        password = false;
    }

    /**
     * Wrong passwords the token still takes before it locks, from TOKEN INFO (which needs no
     * password); -1 for a token that does not report it.
     */
    public int passwordTriesLeft() {
        try {
            Optional<TokenInfo> info = info();
            return info.isPresent() && info.get().passwordSet() ? info.get().triesLeft() : -1;
        } catch (ApduException | MalformedResponseException e) {
            return -1; // a token with an INS E1 of its own: it does not report tries
        }
    }

    /** TOKEN INFO, or empty for a token without our extension (a YubiKey). */
    public Optional<TokenInfo> info() {
        Response r = transmit(new Apdu(INS_TOKEN_INFO, 0, 0, new byte[0]));
        if (r.sw() == SW_INS_NOT_SUPPORTED || r.sw() == SW_CLA_NOT_SUPPORTED || r.sw() == SW_INCORRECT_P1P2) {
            return Optional.empty();
        }
        List<Tlv> t = Tlv.parse(check(r, "info").data());
        byte[] fw = Tlv.find(t, INFO_FIRMWARE_VERSION);
        byte[] engines = Tlv.find(t, INFO_ENGINES);
        int[] e = new int[engines == null ? 0 : engines.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = engines[i];
        }
        return Optional.of(new TokenInfo(fw == null ? "?" : (fw[0] & 0xFF) + "." + (fw[1] & 0xFF) + "." + (fw[2] & 0xFF),
                u16(t, INFO_SLOTS_TOTAL), u16(t, INFO_SLOTS_USED), u16(t, INFO_CREDENTIALS), u8(t, INFO_PASSWORD_SET) != 0,
                u8(t, INFO_TRIES_LEFT), u8(t, INFO_TRIES_MAX), e, (u8(t, INFO_PLATFORM) & PLATFORM_HAS_BUTTON) != 0,
                u32(t, INFO_SERIAL),
                Tlv.find(t, INFO_MAX_PERIOD) == null ? TokenInfo.MAX_PERIOD_WITHOUT_TAG : u32(t, INFO_MAX_PERIOD)));
    }

    public List<CardCredential> list() {
        List<CardCredential> out = new ArrayList<>();
        for (Tlv t : Tlv.parse(check(transmit(new Apdu(INS_LIST, 0, 0, new byte[0])), "list").data())) {
            if (t.tag() != TAG_NAME_LIST || t.value().length < 1) {
                throw new MalformedResponseException("LIST entry with tag " + Integer.toHexString(t.tag()));
            }
            byte[] v = t.value();
            out.add(new CardCredential(Arrays.copyOfRange(v, 1, v.length), v[0] & TYPE_MASK, v[0] & ALG_MASK));
        }
        return out;
    }

    /** PUT without a period tag (see {@link #put(byte[], int, int, int, byte[], boolean, long, boolean, int)}). */
    public void put(byte[] name, int type, int algorithm, int digits, byte[] secret, boolean touch, long counter,
                    boolean states) {
        put(name, type, algorithm, digits, secret, touch, counter, states, 0);
    }

    /**
     * Stores a credential (PUT), replacing one of the same name. The secret is hashed when
     * longer than a block and zero-padded to 14 bytes, as Yubico's clients do. With
     * {@code states} the precomputed HMAC states go along (for tokens whose TOKEN INFO says they
     * take them); the raw key is still sent so any token can use it.
     *
     * @param type      0x10 HOTP or 0x20 TOTP
     * @param algorithm 1 SHA-1, 2 SHA-256, 3 SHA-512
     * @param counter   HOTP initial counter (sent when non-zero)
     * @param period    TOTP period sent in tag D2 (our extension, for codes from the token's own
     *                  clock; 2 bytes up to 65,535, else 4), or 0 to send none
     */
    public void put(byte[] name, int type, int algorithm, int digits, byte[] secret, boolean touch, long counter,
                    boolean states, int period) {
        byte[] key = shortenKey(algorithm, secret);
        byte[] keyTlv = new byte[2 + Math.max(key.length, MIN_KEY)];
        byte[] precomputed = null;
        byte[] data = null;
        try {
            keyTlv[0] = (byte) (type | algorithm);
            keyTlv[1] = (byte) digits;
            System.arraycopy(key, 0, keyTlv, 2, key.length);
            data = Tlv.concat(Tlv.encode(TAG_NAME, name), Tlv.encode(TAG_KEY, keyTlv));
            if (touch) {
                data = Tlv.concat(data, new byte[] {(byte) TAG_PROPERTY, PROP_REQUIRE_TOUCH});
            }
            if (counter != 0) {
                data = Tlv.concat(data, Tlv.encode(TAG_IMF, ByteBuffer.allocate(4).putInt((int) counter).array()));
            }
            if (period > 0) {
                data = Tlv.concat(data, Tlv.encode(TAG_PERIOD, period <= 0xFFFF
                        ? new byte[] {(byte) (period >> 8), (byte) period} : ByteBuffer.allocate(4).putInt(period).array()));
            }
            if (states) {
                precomputed = HmacStates.of(algorithm, key);
                data = Tlv.concat(data, Tlv.encode(TAG_KEY_STATES, precomputed));
            }
            check(transmit(new Apdu(INS_PUT, 0, 0, data)), "add");
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(keyTlv, (byte) 0);
            if (precomputed != null) {
                Arrays.fill(precomputed, (byte) 0);
            }
            if (data != null) {
                Arrays.fill(data, (byte) 0);
            }
        }
    }

    /** A code: TOTP for the time step, HOTP with (and advancing) the token's counter. */
    public Code calculate(CardCredential credential, long timeStep) {
        byte[] challenge = credential.type() == CardCredential.HOTP ? new byte[0]
                : ByteBuffer.allocate(8).putLong(timeStep).array();
        Response r = check(transmit(new Apdu(INS_CALCULATE, 0, P2_TRUNCATED,
                Tlv.concat(Tlv.encode(TAG_NAME, credential.name()), Tlv.encode(TAG_CHALLENGE, challenge)))), "code");
        byte[] truncated = Tlv.find(Tlv.parse(r.data()), TAG_TRUNCATED);
        if (truncated == null) {
            throw new MalformedResponseException("CALCULATE answered without a code");
        }
        return Code.fromTruncated(truncated);
    }

    /** A TOTP code from the device's own clock (our extension: CALCULATE without a challenge). */
    public DeviceCode calculateOnDevice(CardCredential credential) {
        Response r = check(transmit(new Apdu(INS_CALCULATE, 0, P2_TRUNCATED, Tlv.encode(TAG_NAME, credential.name()))), "device code");
        List<Tlv> tlvs = Tlv.parse(r.data());
        byte[] truncated = Tlv.find(tlvs, TAG_TRUNCATED);
        byte[] time = Tlv.find(tlvs, TAG_TIME);
        byte[] validFor = Tlv.find(tlvs, TAG_VALID_FOR);
        if (truncated == null || time == null || time.length != 8 || validFor == null
                || (validFor.length != 2 && validFor.length != 4)) {
            throw new MalformedResponseException("a clock-based CALCULATE answered without code, time or validity");
        }
        long left = validFor.length == 2 ? ByteBuffer.wrap(validFor).getShort() & 0xFFFF
                : ByteBuffer.wrap(validFor).getInt() & 0xFFFF_FFFFL;
        return new DeviceCode(Code.fromTruncated(truncated), ByteBuffer.wrap(time).getLong(), left);
    }

    /** Reads the device clock (GET CLOCK). */
    public DeviceTime clock() {
        List<Tlv> tlvs = Tlv.parse(check(transmit(new Apdu(INS_GET_CLOCK, 0, 0, new byte[0])), "clock").data());
        byte[] now = Tlv.find(tlvs, TAG_TIME);
        byte[] last = Tlv.find(tlvs, TAG_LAST_CODE_TIME);
        if (now == null || now.length != 8 || last == null || last.length != 8) {
            throw new MalformedResponseException("GET CLOCK answered without the times");
        }
        return new DeviceTime(ByteBuffer.wrap(now).getLong(), ByteBuffer.wrap(last).getLong());
    }

    /** Sets the device clock (SET CLOCK); moving it backwards needs {@code backwards}. */
    public void setClock(long unixSeconds, boolean backwards) {
        check(transmit(new Apdu(INS_SET_CLOCK, backwards ? P1_SET_CLOCK_BACKWARDS : 0, 0,
                Tlv.encode(TAG_TIME, ByteBuffer.allocate(8).putLong(unixSeconds).array()))), "set clock");
    }

    /** Codes for every credential at a 30-second time step; HOTP and touch credentials come without one. */
    public List<Entry> calculateAll(long timeStep) {
        Response r = check(transmit(new Apdu(INS_CALCULATE_ALL, 0, P2_TRUNCATED,
                Tlv.encode(TAG_CHALLENGE, ByteBuffer.allocate(8).putLong(timeStep).array()))), "code");
        List<Tlv> tlvs = Tlv.parse(r.data());
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i + 1 < tlvs.size(); i += 2) {
            Tlv name = tlvs.get(i);
            Tlv answer = tlvs.get(i + 1);
            if (name.tag() != TAG_NAME) {
                throw new MalformedResponseException("CALCULATE ALL entry without a name");
            }
            int type = answer.tag() == TAG_HOTP ? TYPE_HOTP : TYPE_TOTP;
            CardCredential c = new CardCredential(name.value(), type, 0);
            Code code = answer.tag() == TAG_TRUNCATED ? Code.fromTruncated(answer.value()) : null;
            out.add(new Entry(c, code, answer.tag() == TAG_TOUCH));
        }
        if (tlvs.size() % 2 != 0) {
            throw new MalformedResponseException("CALCULATE ALL ends with a name and no answer");
        }
        return out;
    }

    public void delete(byte[] name) {
        check(transmit(new Apdu(INS_DELETE, 0, 0, Tlv.encode(TAG_NAME, name))), "delete");
    }

    public void rename(byte[] from, byte[] to) {
        check(transmit(new Apdu(INS_RENAME, 0, 0, Tlv.concat(Tlv.encode(TAG_NAME, from), Tlv.encode(TAG_NAME, to)))),
                "rename");
    }

    /** Factory reset (P1P2 = DEAD): every credential and the password go; then selects again. */
    public void reset() {
        check(transmit(new Apdu(INS_RESET, P1_RESET, P2_RESET, new byte[0])), "reset");
        select();
    }

    private Response transmit(Apdu apdu) {
        byte[] encoded = apdu.encode();
        try {
            return Response.parse(transport.transmit(encoded));
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    private Response send(Apdu apdu, String operation) {
        return check(transmit(apdu), operation);
    }

    private static Response check(Response r, String operation) {
        if (!r.ok()) {
            throw new ApduException(r.sw(), ApduException.explain(r.sw(), operation));
        }
        return r;
    }

    static byte[] shortenKey(int algorithm, byte[] secret) {
        int block = algorithm == ALG_SHA512 ? 128 : 64;
        if (secret.length <= block) {
            return secret.clone();
        }
        try {
            return MessageDigest.getInstance(algorithm == ALG_SHA1 ? "SHA-1" : algorithm == ALG_SHA256 ? "SHA-256" : "SHA-512").digest(secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmacSha1(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int u16(List<Tlv> t, int tag) {
        byte[] v = Tlv.find(t, tag);
        return v == null || v.length != 2 ? 0 : ((v[0] & 0xFF) << 8) | (v[1] & 0xFF);
    }

    private static long u32(List<Tlv> t, int tag) {
        byte[] v = Tlv.find(t, tag);
        return v == null || v.length != 4 ? 0 : ByteBuffer.wrap(v).getInt() & 0xFFFFFFFFL;
    }

    private static int u8(List<Tlv> t, int tag) {
        byte[] v = Tlv.find(t, tag);
        return v == null || v.length != 1 ? 0 : v[0] & 0xFF;
    }

    static String text(byte[] name) {
        return new String(name, StandardCharsets.UTF_8);
    }
}
