package io.totptoken.conformance;

import static io.totptoken.conformance.CardClient.HOTP;
import static io.totptoken.conformance.CardClient.TOTP;
import static io.totptoken.conformance.CardClient.concat;
import static io.totptoken.conformance.CardClient.tlv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * YKOATH behaviour any token of ours must show, whatever carries the APDUs. Each test starts
 * from a RESET, so the suite runs against the in-process token and a token behind a reader.
 */
public abstract class ConformanceSuite {
    public static final byte[] RFC4226_SECRET = "12345678901234567890".getBytes();

    protected CardClient c;

    /** A connection to the token under test. */
    protected abstract CardClient connect();

    @BeforeEach
    void freshToken() {
        c = connect();
        c.select().ok();
        c.send(CardClient.INS_RESET, 0xDE, 0xAD, new byte[0]).ok();
        c.select().ok();
    }

    public static byte[] rfc6238Seed(int alg) {
        int len = alg == 1 ? 20 : (alg == 2 ? 32 : 64);
        byte[] seed = new byte[len];
        for (int i = 0; i < len; i++) {
            seed[i] = (byte) ('0' + (i + 1) % 10);
        }
        return seed;
    }

    @Test
    void rfc4226AppendixD() {
        c.put("rfc4226", HOTP | 1, 6, RFC4226_SECRET).ok();
        String[] expected = {"755224", "287082", "359152", "969429", "338314",
            "254676", "287922", "162583", "399871", "520489"};
        for (String code : expected) {
            CardClient.Response r = c.calculate("rfc4226", new byte[0], true).ok();
            assertEquals(code, CardClient.code(Arrays.copyOfRange(r.data(), 2, 7)));
        }
    }

    /** RFC 6238 Appendix B: time, algorithm code, 8-digit code. */
    public static Stream<Arguments> rfc6238() {
        long[] times = {59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000L};
        String[][] codes = {{"94287082", "46119246", "90693936"}, {"07081804", "68084774", "25091201"},
            {"14050471", "67062674", "99943326"}, {"89005924", "91819424", "93441116"},
            {"69279037", "90698825", "38618901"}, {"65353130", "77737706", "47863826"}};
        Stream.Builder<Arguments> out = Stream.builder();
        for (int t = 0; t < times.length; t++) {
            for (int alg = 1; alg <= 3; alg++) {
                out.add(Arguments.of(times[t], alg, codes[t][alg - 1]));
            }
        }
        return out.build();
    }

    @ParameterizedTest(name = "T={0}s {1}")
    @MethodSource("io.totptoken.conformance.ConformanceSuite#rfc6238")
    void rfc6238AppendixB(long time, int alg, String code) {
        c.put("rfc6238", TOTP | alg, 8, rfc6238Seed(alg)).ok();
        CardClient.Response r = c.calculate("rfc6238", CardClient.timeStep(time / 30), true).ok();
        assertEquals(0x76, r.data()[0] & 0xFF);
        assertEquals(code, CardClient.code(Arrays.copyOfRange(r.data(), 2, 7)));
    }

    @Test
    void selectAnswersVersionAndIdWithoutChallenge() {
        List<CardClient.Tlv> sel = CardClient.parse(c.select().ok().data());
        assertEquals(0x79, sel.get(0).tag());
        byte[] v = sel.get(0).value();
        assertTrue(v[0] > 5 || (v[0] == 5 && (v[1] > 3 || (v[1] == 3 && v[2] >= 1))), "version gates rename");
        assertEquals(0x71, sel.get(1).tag());
        assertEquals(8, sel.get(1).value().length);
        assertEquals(2, sel.size(), "no challenge without a password");
    }

    @Test
    void resetDrawsANewIdAndForgetsEverything() {
        byte[] id = CardClient.parse(c.select().ok().data()).get(1).value();
        c.put("gone", TOTP | 1, 6, RFC4226_SECRET).ok();
        c.send(CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(new byte[16])).ok();
        assertEquals(0x6A86, c.send(CardClient.INS_RESET, 0xDE, 0xAE, new byte[0]).sw());
        c.send(CardClient.INS_RESET, 0xDE, 0xAD, new byte[0]).ok();
        List<CardClient.Tlv> sel = CardClient.parse(c.select().ok().data());
        assertFalse(Arrays.equals(id, sel.get(1).value()));
        assertEquals(2, sel.size());
        assertEquals(0, c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok().data().length);
    }

    @Test
    void putOverwritesByName() {
        c.put("same", TOTP | 1, 6, RFC4226_SECRET).ok();
        c.put("same", TOTP | 2, 8, rfc6238Seed(2)).ok();
        List<CardClient.Tlv> list = CardClient.parse(c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok().data());
        assertEquals(1, list.size());
        assertEquals(TOTP | 2, list.get(0).value()[0]);
        CardClient.Response r = c.calculate("same", CardClient.timeStep(59 / 30), true).ok();
        assertEquals("46119246", CardClient.code(Arrays.copyOfRange(r.data(), 2, 7)));
    }

    @Test
    void putRefusesMalformedCredentials() {
        byte[] key = RFC4226_SECRET;
        assertEquals(0x6A80, c.put("x".repeat(65), TOTP | 1, 6, key).sw(), "name over 64 bytes");
        assertEquals(0x6A80, c.put("", TOTP | 1, 6, key).sw(), "empty name");
        assertEquals(0x6A80, c.put("t", 0x30 | 1, 6, key).sw(), "unknown type");
        assertEquals(0x6A80, c.put("t", TOTP | 4, 6, key).sw(), "unknown algorithm");
        assertEquals(0x6A80, c.put("t", TOTP | 1, 5, key).sw(), "5 digits");
        assertEquals(0x6A80, c.put("t", TOTP | 1, 9, key).sw(), "9 digits");
        assertEquals(0x6A80, c.put("t", TOTP | 1, 6, new byte[65]).sw(), "key longer than the SHA-1 block");
        assertEquals(0x6A80, c.send(CardClient.INS_PUT, 0, 0,
                CardClient.putData("t", TOTP | 1, 6, key, 0x04, null)).sw(), "unknown property");
        assertEquals(0x6A80, c.send(CardClient.INS_PUT, 0, 0,
                concat(CardClient.putData("t", TOTP | 1, 6, key, 0, null), tlv(0x7F, new byte[1]))).sw(), "unknown tag");
        assertEquals(0x6A80, c.send(CardClient.INS_PUT, 0, 0,
                CardClient.putData("t", HOTP | 1, 6, key, 0, new byte[3])).sw(), "3-byte counter");
        assertEquals(0x6A86, c.send(CardClient.INS_PUT, 1, 0, CardClient.putData("t", TOTP | 1, 6, key, 0, null)).sw());
        assertEquals(0, c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok().data().length, "nothing half-written");
    }

    @Test
    void keysUpToTheBlockSizeAndHotpCountersOf64Bits() {
        c.put("sha512-128", TOTP | 3, 6, new byte[128]).ok();
        assertEquals(0x6A80, c.put("sha512-129", TOTP | 3, 6, new byte[129]).sw());
        byte[] counter = {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE};
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("hotp64", HOTP | 1, 6, RFC4226_SECRET, 0, counter)).ok();
        for (long i = 0; i < 3; i++) {
            byte[] mac = Arrays.copyOfRange(c.calculate("hotp64", new byte[0], false).ok().data(), 3, 23);
            assertArrayEquals(CardClient.hmac("SHA1", RFC4226_SECRET, CardClient.timeStep(0x7FFFFFFFFFFFFFFEL + i)), mac);
        }
        byte[] imf4 = {0, 0, 0, 7};
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("hotp4", HOTP | 1, 6, RFC4226_SECRET, 0, imf4)).ok();
        byte[] mac = Arrays.copyOfRange(c.calculate("hotp4", new byte[0], false).ok().data(), 3, 23);
        assertArrayEquals(CardClient.hmac("SHA1", RFC4226_SECRET, CardClient.timeStep(7)), mac);
    }

    @Test
    void deleteAndRename() {
        c.put("old", TOTP | 1, 6, RFC4226_SECRET).ok();
        c.put("other", TOTP | 1, 6, RFC4226_SECRET).ok();
        byte[] before = c.calculate("old", CardClient.timeStep(5), false).ok().data();
        byte[] rename = concat(tlv(0x71, "old".getBytes()), tlv(0x71, "new".getBytes()));
        c.send(CardClient.INS_RENAME, 0, 0, rename).ok();
        assertEquals(0x6984, c.calculate("old", CardClient.timeStep(5), false).sw());
        assertArrayEquals(before, c.calculate("new", CardClient.timeStep(5), false).ok().data());
        assertEquals(0x6984, c.send(CardClient.INS_RENAME, 0, 0, rename).sw(), "renaming a missing one");
        assertEquals(0x6A80, c.send(CardClient.INS_RENAME, 0, 0,
                concat(tlv(0x71, "new".getBytes()), tlv(0x71, "other".getBytes()))).sw(), "onto a taken name");
        c.send(CardClient.INS_DELETE, 0, 0, tlv(0x71, "new".getBytes())).ok();
        assertEquals(0x6984, c.send(CardClient.INS_DELETE, 0, 0, tlv(0x71, "new".getBytes())).sw());
        assertEquals(0x6A80, c.send(CardClient.INS_DELETE, 0, 0, tlv(0x74, "new".getBytes())).sw());
        List<CardClient.Tlv> list = CardClient.parse(c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok().data());
        assertEquals(1, list.size());
    }

    @Test
    void calculateFullAndTruncated() {
        c.put("t", TOTP | 2, 7, rfc6238Seed(2)).ok();
        byte[] step = CardClient.timeStep(123456);
        CardClient.Response full = c.calculate("t", step, false).ok();
        byte[] mac = CardClient.hmac("SHA256", rfc6238Seed(2), step);
        assertEquals(0x75, full.data()[0] & 0xFF);
        assertEquals(33, full.data()[1]);
        assertEquals(7, full.data()[2]);
        assertArrayEquals(mac, Arrays.copyOfRange(full.data(), 3, 35));
        CardClient.Response truncated = c.calculate("t", step, true).ok();
        assertEquals(CardClient.otp(mac, 7), CardClient.code(Arrays.copyOfRange(truncated.data(), 2, 7)));
        assertEquals(0x6984, c.calculate("missing", step, true).sw());
        assertEquals(0x6A86, c.send(CardClient.INS_CALCULATE, 0, 2,
                concat(tlv(0x71, "t".getBytes()), tlv(0x74, step))).sw());
        assertEquals(0x6A80, c.send(CardClient.INS_CALCULATE, 0, 1,
                concat(tlv(0x71, "t".getBytes()), tlv(0x75, step))).sw(), "a response tag where the challenge goes");
    }

    @Test
    void onlyIncreasingRefusesAnOlderTimeStep() {
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("inc", TOTP | 1, 6, RFC4226_SECRET, 1, null)).ok();
        c.calculate("inc", CardClient.timeStep(1000), true).ok();
        c.calculate("inc", CardClient.timeStep(1000), true).ok();
        assertEquals(0x6982, c.calculate("inc", CardClient.timeStep(999), true).sw());
        c.calculate("inc", CardClient.timeStep(1001), true).ok();
        assertEquals(0x6982, c.calculate("inc", CardClient.timeStep(1000), true).sw());
    }

    @Test
    void calculateAllTagsEachKindAndChainsLongAnswers() {
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("hotp", HOTP | 1, 6, RFC4226_SECRET, 0, null)).ok();
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("touch", TOTP | 1, 6, RFC4226_SECRET, 2, null)).ok();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String name = "issuer-" + i + ":" + "a".repeat(40) + "@example.com";
            names.add(name);
            c.put(name, TOTP | (1 + i % 3), 6 + i % 3, rfc6238Seed(1 + i % 3)).ok();
        }
        byte[] step = CardClient.timeStep(2000000000L / 30);
        int before = c.apdus;
        CardClient.Response r = c.send(CardClient.INS_CALCULATE_ALL, 0, 1, tlv(0x74, step)).ok();
        int apdus = c.apdus - before;
        List<CardClient.Tlv> tlvs = CardClient.parse(r.data());
        assertEquals(84, tlvs.size());
        assertEquals((r.data().length + 255) / 256, apdus, "every chunk but the last is full");
        for (int i = 0; i < tlvs.size(); i += 2) {
            String name = new String(tlvs.get(i).value());
            CardClient.Tlv answer = tlvs.get(i + 1);
            if (name.equals("hotp")) {
                assertEquals(0x77, answer.tag());
            } else if (name.equals("touch")) {
                assertEquals(0x7C, answer.tag());
            } else {
                int k = names.indexOf(name);
                int alg = 1 + k % 3;
                byte[] mac = CardClient.hmac(alg == 1 ? "SHA1" : alg == 2 ? "SHA256" : "SHA512", rfc6238Seed(alg), step);
                assertEquals(0x76, answer.tag());
                assertEquals(CardClient.otp(mac, 6 + k % 3), CardClient.code(answer.value()));
            }
        }
        List<CardClient.Tlv> full = CardClient.parse(c.send(CardClient.INS_CALCULATE_ALL, 0, 0, tlv(0x74, step)).ok().data());
        assertEquals(0x75, full.get(5).tag());
        assertEquals(0x6A80, c.send(CardClient.INS_CALCULATE_ALL, 0, 1, tlv(0x74, new byte[4])).sw());
        List<CardClient.Tlv> list = CardClient.parse(c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok().data());
        assertEquals(42, list.size());
        assertEquals(0x72, list.get(0).tag());
    }

    @Test
    void sendRemainingOnlyContinuesAnAnswer() {
        assertEquals(0x6985, c.send(CardClient.INS_SEND_REMAINING, 0, 0, new byte[0]).sw());
        for (int i = 0; i < 10; i++) {
            c.put("name-" + i + "-".repeat(50), TOTP | 1, 6, RFC4226_SECRET).ok();
        }
        CardClient.Response first = c.raw(CardClient.apdu(0, CardClient.INS_LIST, 0, 0, new byte[0]));
        assertEquals(0x61, first.sw() >> 8);
        assertEquals(256, first.data().length);
        c.put("interrupts", TOTP | 1, 6, RFC4226_SECRET).ok();
        assertEquals(0x6985, c.raw(CardClient.apdu(0, CardClient.INS_SEND_REMAINING, 0, 0, new byte[0])).sw());
    }

    @Test
    void passwordGuardsEverythingButSelectValidateResetAndInfo() {
        byte[] key = new byte[16];
        new Random(1).nextBytes(key);
        c.put("guarded", TOTP | 1, 6, RFC4226_SECRET).ok();
        c.send(CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(key)).ok();
        List<CardClient.Tlv> sel = CardClient.parse(c.select().ok().data());
        assertEquals(0x74, sel.get(2).tag());
        assertEquals(0x7B, sel.get(3).tag());
        assertEquals(0x6982, c.send(CardClient.INS_LIST, 0, 0, new byte[0]).sw());
        assertEquals(0x6982, c.calculate("guarded", CardClient.timeStep(1), true).sw());
        assertEquals(0x6982, c.send(CardClient.INS_CALCULATE_ALL, 0, 1, tlv(0x74, new byte[8])).sw());
        assertEquals(0x6982, c.put("more", TOTP | 1, 6, RFC4226_SECRET).sw());
        assertEquals(0x6982, c.send(CardClient.INS_SET_CODE, 0, 0, tlv(0x73, new byte[0])).sw());
        c.send(CardClient.INS_INFO, 0, 0, new byte[0]).ok();
        assertTrue(Passwords.validate(c, key, sel.get(2).value()));
        c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok();
        c.send(CardClient.INS_SET_CODE, 0, 0, tlv(0x73, new byte[0])).ok();
        assertEquals(2, CardClient.parse(c.select().ok().data()).size());
        c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok();
    }

    @Test
    void setCodeChecksTheClientsResponse() {
        byte[] data = Passwords.setCodeData(new byte[16]);
        data[data.length - 1] ^= 1;
        assertEquals(0x6A80, c.send(CardClient.INS_SET_CODE, 0, 0, data).sw());
        assertEquals(2, CardClient.parse(c.select().ok().data()).size(), "no password was set");
        assertEquals(0x6A80, c.send(CardClient.INS_SET_CODE, 0, 0, tlv(0x73, new byte[] {0x22, 1, 2})).sw(), "SHA-256 password");
    }

    @Test
    void validateWithoutPasswordOrChallenge() {
        byte[] data = concat(tlv(0x75, new byte[20]), tlv(0x74, new byte[8]));
        assertEquals(0x6984, c.send(CardClient.INS_VALIDATE, 0, 0, data).sw());
        c.send(CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(new byte[16])).ok();
        assertEquals(0x6985, c.send(CardClient.INS_VALIDATE, 0, 0, data).sw(), "no challenge was issued in this session");
    }

    @Test
    void wrongPasswordSpendsATryAndARightOneRestoresThem() {
        byte[] key = new byte[16];
        c.send(CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(key)).ok();
        byte[] wrong = key.clone();
        wrong[0] = 1;
        int max = triesLeft();
        for (int i = 1; i <= 3; i++) {
            assertFalse(Passwords.validate(c, wrong, CardClient.parse(c.select().ok().data()).get(2).value()));
            assertEquals(max - i, triesLeft());
        }
        assertTrue(Passwords.validate(c, key, CardClient.parse(c.select().ok().data()).get(2).value()));
        assertEquals(max, triesLeft());
    }

    @Test
    void tokenInfoCountsSlots() {
        c.put("one", TOTP | 1, 6, RFC4226_SECRET).ok();
        c.put("two", TOTP | 3, 6, rfc6238Seed(3)).ok();
        List<CardClient.Tlv> info = CardClient.parse(c.send(CardClient.INS_INFO, 0, 0, new byte[0]).ok().data());
        assertEquals(3, shortValue(info, 0x82), "SHA-512 takes two slots");
        assertEquals(2, shortValue(info, 0x83));
        assertNotEquals(0, shortValue(info, 0x81));
    }

    int triesLeft() {
        return CardClient.parse(c.send(CardClient.INS_INFO, 0, 0, new byte[0]).ok().data()).stream()
                .filter(t -> t.tag() == 0x85).findFirst().orElseThrow().value()[0];
    }

    static int shortValue(List<CardClient.Tlv> tlvs, int tag) {
        byte[] v = tlvs.stream().filter(t -> t.tag() == tag).findFirst().orElseThrow().value();
        return ((v[0] & 0xFF) << 8) | (v[1] & 0xFF);
    }
}
