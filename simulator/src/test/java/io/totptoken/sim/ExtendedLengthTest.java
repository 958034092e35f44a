package io.totptoken.sim;

import static io.totptoken.conformance.CardClient.TOTP;
import static io.totptoken.conformance.CardClient.concat;
import static io.totptoken.conformance.CardClient.tlv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.ConformanceSuite;
import io.totptoken.conformance.Passwords;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Extended-length APDUs (ISO 7816-4: Lc in three bytes, Le in two or three) reach the applet
 * in jCardSim's extended APDU buffer of 32,777 bytes, longer than a short can count: every
 * command answers them as it answers the short form, and the length checks hold at the top.
 */
class ExtendedLengthTest {
    private static final byte[] KEY = ConformanceSuite.RFC4226_SECRET;

    private SimulatedToken token;
    /** Sends every command but SELECT in extended form. */
    private CardClient extended;

    @BeforeEach
    void token() {
        token = new SimulatedToken();
        extended = new CardClient(apdu -> token.transmit(isSelect(apdu) ? apdu : toExtended(apdu)));
        extended.select().ok();
    }

    private static boolean isSelect(byte[] apdu) {
        return apdu[1] == (byte) 0xA4 && apdu[2] == 0x04;
    }

    /** The same command with a three-byte Lc (when it has data) and a two- or three-byte Le of 0 (65,536). */
    static byte[] toExtended(byte[] shortApdu) {
        if (shortApdu.length == 4) {
            return concat(shortApdu, new byte[] {0, 0, 0});
        }
        if (shortApdu[4] == 0 && shortApdu.length > 5) {
            return shortApdu; // already extended
        }
        int lc = shortApdu[4] & 0xFF;
        byte[] data = Arrays.copyOfRange(shortApdu, 5, 5 + lc);
        return concat(Arrays.copyOf(shortApdu, 4), new byte[] {0, 0, (byte) lc}, data, new byte[] {0, 0});
    }

    @Test
    void jcardsimsExtendedBufferIsLongerThanAShortCounts() throws Exception {
        var size = javacard.framework.APDU.class.getDeclaredField("BUFFER_EXTENDED_SIZE");
        size.setAccessible(true);
        assertTrue(((Number) size.get(null)).intValue() > Short.MAX_VALUE, "this test needs jCardSim's 32,777-byte buffer");
    }

    @Test
    void putCalculateListRenameDeleteInExtendedForm() {
        extended.put("Example:alice", TOTP | 1, 6, KEY).ok();
        extended.send(CardClient.INS_PUT, 0, 0, CardClient.putData("hotp", CardClient.HOTP | 2, 8, KEY, 0, null)).ok();
        byte[] step = CardClient.timeStep(1_111_111_111L / 30);
        CardClient.Response code = extended.calculate("Example:alice", step, false).ok();
        assertArrayEquals(concat(new byte[] {0x75, 21, 6}, CardClient.hmac("SHA1", KEY, step)), code.data());
        CardClient.Response hotp = extended.calculate("hotp", new byte[0], true).ok();
        assertEquals(CardClient.otp(CardClient.hmac("SHA256", KEY, new byte[8]), 8), CardClient.code(
                Arrays.copyOfRange(hotp.data(), 2, 7)), "HOTP counter 0");
        List<CardClient.Tlv> listed = CardClient.parse(extended.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok().data());
        assertEquals(2, listed.size());
        List<CardClient.Tlv> all = CardClient.parse(extended.send(CardClient.INS_CALCULATE_ALL, 0, 1,
                tlv(0x74, step)).ok().data());
        assertEquals(4, all.size(), "two names, a code and an HOTP marker");
        extended.send(CardClient.INS_RENAME, 0, 0, concat(tlv(0x71, "hotp".getBytes()), tlv(0x71, "counter".getBytes()))).ok();
        extended.send(CardClient.INS_DELETE, 0, 0, tlv(0x71, "Example:alice".getBytes())).ok();
        listed = CardClient.parse(extended.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok().data());
        assertEquals("counter", new String(listed.get(0).value(), 1, listed.get(0).value().length - 1));
        assertEquals(1, listed.size());
    }

    @Test
    void aPutLongerThan255BytesIsTakenWhole() {
        // SHA-512 with a 128-byte key and 128 bytes of states: only an extended APDU carries it.
        byte[] key = new byte[128];
        Arrays.fill(key, (byte) 0x5A);
        byte[] data = concat(CardClient.putData("n".repeat(64), TOTP | 3, 8, key, 2, null), tlv(0xD1, new byte[128]),
                tlv(0xD2, new byte[] {0, 60}));
        assertTrue(data.length > 255);
        extended.send(CardClient.INS_PUT, 0, 0, data).ok();
        token.button().press();
        byte[] step = CardClient.timeStep(7);
        assertArrayEquals(concat(new byte[] {0x75, 65, 8}, CardClient.hmac("SHA512", key, step)),
                extended.calculate("n".repeat(64), step, false).ok().data());
    }

    @Test
    void passwordAndClockCommandsInExtendedForm() {
        byte[] pw = new byte[16];
        Arrays.fill(pw, (byte) 3);
        extended.send(CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(pw)).ok();
        Passwords.unlock(extended, pw);
        extended.send(0xE3, 1, 0, tlv(0xD3, ByteBuffer.allocate(8).putLong(2_000_000_000L).array())).ok();
        List<CardClient.Tlv> clock = CardClient.parse(extended.send(0xE2, 0, 0, new byte[0]).ok().data());
        long now = ByteBuffer.wrap(clock.get(0).value()).getLong();
        assertTrue(now >= 2_000_000_000L && now < 2_000_000_010L, "clock " + now);
        assertEquals(0x9000, extended.send(CardClient.INS_INFO, 0, 0, new byte[0]).sw());
    }

    @Test
    void lengthsAreCheckedAgainstTheBufferAtTheTop() {
        // The largest data the applet can index behind a 7-byte header: parsed, and refused as data.
        byte[] name = tlv(0x71, "x".getBytes());
        byte[] fill = new byte[Short.MAX_VALUE - 7 - name.length];
        byte[] most = concat(name, fill);
        assertEquals(0x6A80, extended.raw(CardClient.apdu(0, CardClient.INS_PUT, 0, 0, most)).sw());
        assertEquals(0x6984, extended.raw(CardClient.apdu(0, CardClient.INS_DELETE, 0, 0, most)).sw(),
                "the name is read, the rest is not needed");
        // One byte more would put the data's end beyond a short offset: a wrong length, not a crash.
        byte[] tooMuch = concat(most, new byte[1]);
        assertEquals(0x6700, extended.raw(CardClient.apdu(0, CardClient.INS_PUT, 0, 0, tooMuch)).sw());
        byte[] max = new byte[0xFFFF];
        assertEquals(0x6700, extended.raw(CardClient.apdu(0, CardClient.INS_PUT, 0, 0, max)).sw(), "Lc 65535");
        extended.put("still", TOTP | 1, 6, KEY).ok();
    }
}
