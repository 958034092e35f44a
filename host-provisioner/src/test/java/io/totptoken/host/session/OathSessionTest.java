package io.totptoken.host.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import io.totptoken.host.transport.TraceTransport;
import io.totptoken.host.transport.Transport;
import io.totptoken.sim.SimulatedToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session against the in-process token: every operation, its errors, and what crosses the wire. */
class OathSessionTest {
    private static final byte[] RFC6238_SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private final SimulatedToken token = new SimulatedToken();
    private final List<String> trace = new ArrayList<>();
    /** Each command and its answer as they crossed the wire, beneath the trace. */
    private final List<byte[][]> exchanges = new ArrayList<>();
    private final TraceTransport wire = new TraceTransport(new Transport() {
        @Override
        public byte[] transmit(byte[] apdu) {
            byte[] answer = token.transmit(apdu);
            exchanges.add(new byte[][] {apdu.clone(), answer.clone()});
            return answer;
        }

        @Override
        public String description() {
            return "in-process";
        }

        @Override
        public void close() {
        }
    }, trace::add);

    private static byte[] name(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void addListCodeRenameDelete() {
        OathSession s = OathSession.open(wire);
        assertTrue(s.version().major() >= 5);
        s.put(name("Example:alice"), CardCredential.TOTP, 1, 8, RFC6238_SHA1, false, 0, false);
        List<CardCredential> list = s.list();
        assertEquals(1, list.size());
        assertEquals("Example:alice", list.get(0).nameText());
        assertEquals(1, list.get(0).algorithm());
        assertEquals("94287082", s.calculate(list.get(0), 59 / 30).value());
        assertEquals("65353130", s.calculateAll(20000000000L / 30).get(0).code().value());
        s.rename(name("Example:alice"), name("Example:bob"));
        assertEquals("Example:bob", s.list().get(0).nameText());
        s.delete(name("Example:bob"));
        assertTrue(s.list().isEmpty());
        ApduException e = assertThrows(ApduException.class, () -> s.delete(name("Example:bob")));
        assertEquals(0x6984, e.sw());
        assertTrue(e.getMessage().contains("no such credential"), e.getMessage());
    }

    @Test
    void precomputedStatesGiveTheSameCodesAsTheRawKey() {
        OathSession s = OathSession.open(wire);
        TokenInfo info = s.info().orElseThrow();
        java.util.Random random = new java.util.Random(7);
        for (int alg = 1; alg <= 3; alg++) {
            for (int i = 0; i < 30; i++) {
                byte[] key = new byte[1 + random.nextInt(alg == 3 ? 200 : 100)];
                random.nextBytes(key);
                s.put(name("raw"), CardCredential.TOTP, alg, 8, key, false, 0, false);
                s.put(name("pre"), CardCredential.TOTP, alg, 8, key, false, 0, info.takesStates(alg));
                long step = random.nextLong() >>> 20;
                CardCredential raw = new CardCredential(name("raw"), CardCredential.TOTP, alg);
                CardCredential pre = new CardCredential(name("pre"), CardCredential.TOTP, alg);
                assertEquals(s.calculate(raw, step), s.calculate(pre, step), "alg " + alg + " key " + key.length);
            }
        }
    }

    @Test
    void hostStatesMatchTheDefinitionOfTheCompression() throws Exception {
        java.util.Random random = new java.util.Random(3);
        for (int alg = 1; alg <= 3; alg++) {
            int block = alg == 3 ? 128 : 64;
            int lengthField = alg == 3 ? 16 : 8;
            String jca = alg == 1 ? "SHA-1" : alg == 2 ? "SHA-256" : "SHA-512";
            for (int len = 0; len < block - lengthField; len++) {
                byte[] message = new byte[len];
                random.nextBytes(message);
                byte[] padded = new byte[block];
                System.arraycopy(message, 0, padded, 0, len);
                padded[len] = (byte) 0x80;
                padded[block - 2] = (byte) ((len * 8) >> 8);
                padded[block - 1] = (byte) (len * 8);
                assertArrayEquals(java.security.MessageDigest.getInstance(jca).digest(message), HmacStates.compress(alg, padded));
            }
        }
    }

    @Test
    void passwordSetUnlockWrongAndClear() {
        OathSession s = OathSession.open(wire);
        s.put(name("guarded"), CardCredential.TOTP, 1, 6, RFC6238_SHA1, false, 0, false);
        s.setPassword("correct horse".toCharArray());
        OathSession again = OathSession.open(wire);
        assertTrue(again.locked());
        assertEquals(0x6982, assertThrows(ApduException.class, again::list).sw());
        ApduException wrong = assertThrows(ApduException.class, () -> again.unlock("battery staple".toCharArray()));
        assertEquals("wrong password: 7 tries left before the token locks", wrong.getMessage());
        assertEquals(0x6982, wrong.sw());
        assertEquals(7, ((WrongPasswordException) wrong).triesLeft());
        assertEquals(7, again.info().orElseThrow().triesLeft());
        again.unlock("correct horse".toCharArray());
        assertFalse(again.locked());
        assertEquals(8, again.info().orElseThrow().triesLeft());
        again.clearPassword();
        assertFalse(OathSession.open(wire).locked());
    }

    @Test
    void aTokenWithoutTokenInfoGetsAPlainWrongPassword() {
        OathSession s = OathSession.open(wire);
        s.setPassword("correct horse".toCharArray());
        // A YKOATH token without our extension (a YubiKey) answers INS E1 with "instruction not supported".
        Transport yubikeyLike = mock(Transport.class, delegatesTo(wire));
        doReturn(new byte[] {0x6D, 0x00}).when(yubikeyLike).transmit(argThat(apdu -> (apdu[1] & 0xFF) == 0xE1));
        OathSession other = OathSession.open(yubikeyLike);
        WrongPasswordException wrong = assertThrows(WrongPasswordException.class,
                () -> other.unlock("battery staple".toCharArray()));
        assertEquals(-1, wrong.triesLeft());
        assertEquals("wrong password", wrong.getMessage());
        other.unlock("correct horse".toCharArray()); // the fresh challenge after the refusal works
        assertFalse(other.locked());
    }

    @Test
    void wrongPasswordsCountDownWarnAtTheLastTwoAndSayWhatLockingMeans() {
        OathSession s = OathSession.open(wire);
        s.setPassword("correct horse".toCharArray());
        OathSession again = OathSession.open(wire);
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            messages.add(assertThrows(WrongPasswordException.class, () -> again.unlock("wrong".toCharArray())).getMessage());
        }
        assertEquals("wrong password: 3 tries left before the token locks", messages.get(4));
        assertTrue(messages.get(5).startsWith("wrong password: only 2 tries left; after 2 more wrong passwords the token "
                + "locks"), messages.get(5));
        assertTrue(messages.get(6).startsWith("wrong password: only 1 try left; one more wrong password locks the token"),
                messages.get(6));
        for (String m : messages.subList(5, 8)) {
            assertTrue(m.contains("only tokenctl reset recovers it, and reset deletes every account"), m);
        }
        assertTrue(messages.get(7).startsWith("wrong password, and that was the last try: the token is now locked"),
                messages.get(7));
        ApduException locked = assertThrows(ApduException.class, () -> again.unlock("correct horse".toCharArray()));
        assertEquals(0x6983, locked.sw());
        assertEquals("the token is locked after too many wrong passwords; only tokenctl reset recovers it, and reset "
                + "deletes every account", locked.getMessage());
    }

    @Test
    void hotpCounterAndTouchAndLongKeys() {
        OathSession s = OathSession.open(wire);
        s.put(name("hotp"), CardCredential.HOTP, 1, 6, RFC6238_SHA1, false, 3, false);
        CardCredential hotp = new CardCredential(name("hotp"), CardCredential.HOTP, 1);
        assertEquals("969429", s.calculate(hotp, 0).value());
        assertEquals("338314", s.calculate(hotp, 0).value());
        s.put(name("touch"), CardCredential.TOTP, 1, 6, RFC6238_SHA1, true, 0, false);
        List<OathSession.Entry> all = s.calculateAll(1);
        assertTrue(all.stream().anyMatch(e -> e.touch() && e.code() == null));
        assertTrue(all.stream().anyMatch(e -> e.credential().type() == CardCredential.HOTP && e.code() == null));
        byte[] longKey = new byte[300];
        s.put(name("long"), CardCredential.TOTP, 2, 6, longKey, false, 0, false);
        assertEquals(6, s.calculate(new CardCredential(name("long"), CardCredential.TOTP, 2), 1).value().length());
    }

    @Test
    void deviceClockCodesAndSetting() {
        OathSession s = OathSession.open(wire);
        s.put(name("60/Clock:alice"), CardCredential.TOTP, 1, 8, RFC6238_SHA1, false, 0, false);
        CardCredential c = new CardCredential(name("60/Clock:alice"), CardCredential.TOTP, 1);
        s.setClock(1111111109L, true);
        OathSession.DeviceCode code = s.calculateOnDevice(c);
        assertEquals(1111111109L, code.time());
        assertEquals(60 - 1111111109L % 60, code.validFor());
        assertEquals(s.calculate(c, 1111111109L / 60), code.code());
        assertEquals(1111111109L, s.clock().lastCode());
        ApduException back = assertThrows(ApduException.class, () -> s.setClock(59, false));
        assertTrue(back.getMessage().contains("--force"), back.getMessage());
        s.setClock(59, true);
        ApduException rolled = assertThrows(ApduException.class, () -> s.calculateOnDevice(c));
        assertTrue(rolled.getMessage().contains("behind the last code"), rolled.getMessage());
    }

    @Test
    void keyBytesNeverReachTheTrace() {
        OathSession s = OathSession.open(wire);
        byte[] key = new byte[20];
        java.util.Arrays.fill(key, (byte) 0x5A);
        s.put(name("masked"), CardCredential.TOTP, 1, 6, key, false, 0, true);
        String all = String.join("\n", trace);
        assertFalse(all.contains("5a5a5a5a"), all);
        assertTrue(all.contains("****"), all);
        assertTrue(wire.count() >= 2);
    }

    /**
     * The SELECT challenge with the VALIDATE response (or SET CODE's challenge and response) is
     * enough to try passwords offline, so the trace masks the values of tags 0x74 and 0x75 there.
     */
    @Test
    void passwordChallengesAndResponsesNeverReachTheTrace() {
        OathSession.open(wire).setPassword("correct horse".toCharArray());
        OathSession.open(wire).unlock("correct horse".toCharArray());
        String all = String.join("\n", trace);
        int secrets = 0;
        for (byte[][] exchange : exchanges) {
            int ins = exchange[0][1] & 0xFF;
            boolean select = ins == 0xA4 && exchange[0][2] == 0x04;
            if (select || ins == 0xA3 || ins == 0x03) {
                List<io.totptoken.host.apdu.Tlv> tlvs = new ArrayList<>(io.totptoken.host.apdu.Tlv.parse(
                        java.util.Arrays.copyOf(exchange[1], exchange[1].length - 2)));
                if (!select) {
                    tlvs.addAll(io.totptoken.host.apdu.Tlv.parse(
                            java.util.Arrays.copyOfRange(exchange[0], 5, 5 + (exchange[0][4] & 0xFF))));
                }
                for (io.totptoken.host.apdu.Tlv tlv : tlvs) {
                    if (tlv.tag() == 0x74 || tlv.tag() == 0x75) {
                        secrets++;
                        String hex = java.util.HexFormat.of().formatHex(tlv.value());
                        assertFalse(all.contains(hex), "tag " + Integer.toHexString(tlv.tag()) + " in the trace: " + all);
                        assertTrue(all.contains(Integer.toHexString(tlv.tag()) + String.format("%02x", tlv.value().length)
                                + "**".repeat(tlv.value().length)), all);
                    }
                }
            }
        }
        // SET CODE: challenge and response out, response back; SELECT: challenge; VALIDATE: response and challenge out, response back
        assertTrue(secrets >= 6, "challenges and responses seen: " + secrets);
    }
}
