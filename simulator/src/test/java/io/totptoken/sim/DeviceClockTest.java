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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Codes from the device's own clock: RFC 6238 vectors, periods, drift, setting, anti-rollback, no clock. */
class DeviceClockTest {
    private final AtomicLong host = new AtomicLong(1_700_000_000_000L);

    private SimulatedToken token(SimulatedToken.Config config) {
        return new SimulatedToken(config, host::get);
    }

    private static CardClient open(SimulatedToken token) {
        CardClient c = new CardClient(token::transmit);
        c.select().ok();
        return c;
    }

    static byte[] time(long seconds) {
        return tlv(0xD3, ByteBuffer.allocate(8).putLong(seconds).array());
    }

    /** A clock-based CALCULATE: no challenge. */
    static CardClient.Response onDevice(CardClient c, String name) {
        return c.send(CardClient.INS_CALCULATE, 0, 1, tlv(0x71, name.getBytes()));
    }

    static long clock(CardClient c) {
        byte[] v = CardClient.parse(c.send(0xE2, 0, 0, new byte[0]).ok().data()).get(0).value();
        return ByteBuffer.wrap(v).getLong();
    }

    @ParameterizedTest(name = "T={0}s alg {1}")
    @MethodSource("io.totptoken.conformance.ConformanceSuite#rfc6238")
    void rfc6238VectorsFromTheDeviceClock(long t, int alg, String code) {
        CardClient c = open(token(SimulatedToken.Config.defaults()));
        c.put("rfc", TOTP | alg, 8, ConformanceSuite.rfc6238Seed(alg)).ok();
        c.send(0xE3, 1, 0, time(t)).ok();
        CardClient.Response r = onDevice(c, "rfc").ok();
        assertEquals(code, CardClient.code(Arrays.copyOfRange(r.data(), 2, 7)));
        List<CardClient.Tlv> extra = CardClient.parse(Arrays.copyOfRange(r.data(), 7, r.data().length));
        assertEquals(t, ByteBuffer.wrap(extra.get(0).value()).getLong());
        assertEquals(30 - t % 30, ByteBuffer.wrap(extra.get(1).value()).getShort(), "seconds left");
    }

    @Test
    void periodFromTheExtensionTagOrTheNamePrefix() {
        CardClient c = open(token(SimulatedToken.Config.defaults()));
        byte[] key = ConformanceSuite.RFC4226_SECRET;
        c.send(CardClient.INS_PUT, 0, 0, concat(CardClient.putData("tagged", TOTP | 1, 6, key, 0, null),
                tlv(0xD2, new byte[] {0, 90}))).ok();
        c.put("60/Issuer:prefixed", TOTP | 1, 6, key).ok();
        c.put("plain", TOTP | 1, 6, key).ok();
        c.send(0xE3, 1, 0, time(1_000_000)).ok();
        for (String[] p : new String[][] {{"tagged", "90"}, {"60/Issuer:prefixed", "60"}, {"plain", "30"}}) {
            int period = Integer.parseInt(p[1]);
            byte[] mac = CardClient.hmac("SHA1", key, CardClient.timeStep(1_000_000 / period));
            CardClient.Response r = onDevice(c, p[0]).ok();
            assertEquals(CardClient.otp(mac, 6), CardClient.code(Arrays.copyOfRange(r.data(), 2, 7)), p[0]);
        }
    }

    @Test
    void periodsOf32768SecondsAndMoreFromTheTagOrThePrefix() {
        SimulatedToken t = token(SimulatedToken.Config.defaults());
        CardClient c = open(t);
        byte[] key = ConformanceSuite.RFC4226_SECRET;
        Object[][] credentials = {
            {"32768/Issuer:two-byte tag", new byte[] {(byte) 0x80, 0}, 32768L},
            {"86400/Issuer:four-byte tag", new byte[] {0, 1, 0x51, (byte) 0x80}, 86400L},
            {"86400/Issuer:prefix only", null, 86400L},
            {"Issuer:longest", new byte[] {-1, -1, -1, -1}, 0xFFFF_FFFFL},
            {"4294967296/Issuer:prefix past 32 bits", null, 30L},
        };
        for (Object[] p : credentials) {
            byte[] put = CardClient.putData((String) p[0], TOTP | 1, 6, key, 0, null);
            c.send(CardClient.INS_PUT, 0, 0, p[1] == null ? put : concat(put, tlv(0xD2, (byte[]) p[1]))).ok();
        }
        long now = 1_234_567_890L;
        c.send(0xE3, 1, 0, time(now)).ok();
        for (Object[] p : credentials) {
            long period = (Long) p[2];
            CardClient.Response r = onDevice(c, (String) p[0]).ok();
            byte[] mac = CardClient.hmac("SHA1", key, CardClient.timeStep(now / period));
            assertEquals(CardClient.otp(mac, 6), CardClient.code(Arrays.copyOfRange(r.data(), 2, 7)), (String) p[0]);
            byte[] left = CardClient.parse(Arrays.copyOfRange(r.data(), 7, r.data().length)).get(1).value();
            assertEquals(period - now % period, new java.math.BigInteger(1, left).longValue(), "seconds left, " + p[0]);
            assertEquals(period - now % period < 65536 ? 2 : 4, left.length, "D5 stays 2 bytes when that is enough");
        }
        Keyfob fob = new Keyfob(t);
        fob.longPress();
        Keyfob.Display daily = fob.press();
        assertEquals("four-byte tag", daily.account());
        assertEquals(86400 - now % 86400, daily.secondsLeft());
        assertEquals(daily, Keyfob.Display.parse(daily.toString()));

        byte[] info = CardClient.parse(c.send(CardClient.INS_INFO, 0, 0, new byte[0]).ok().data()).stream()
                .filter(x -> x.tag() == 0x8A).findFirst().orElseThrow().value();
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, info, "TOKEN INFO: the longest period D2 takes");
        for (byte[] bad : new byte[][] {{}, {0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0, 30}}) {
            byte[] put = concat(CardClient.putData("bad", TOTP | 1, 6, key, 0, null), tlv(0xD2, bad));
            assertEquals(0x6A80, c.send(CardClient.INS_PUT, 0, 0, put).sw(), "D2 " + Arrays.toString(bad));
        }
    }

    @Test
    void clockDriftsAndSyncs() {
        SimulatedToken t = token(SimulatedToken.Config.defaults().withClock(true, 100));
        CardClient c = open(t);
        long start = host.get() / 1000;
        assertEquals(start, clock(c));
        host.addAndGet(1_000_000_000L); // 1e6 s of host time: 100 ppm is 100 s
        assertEquals(start + 1_000_000 + 100, clock(c));
        c.send(0xE3, 1, 0, time(host.get() / 1000)).ok();
        assertEquals(host.get() / 1000, clock(c));
    }

    @Test
    void settingBackwardsNeedsForceAndOldStepsStayRefused() {
        CardClient c = open(token(SimulatedToken.Config.defaults()));
        c.put("t", TOTP | 1, 6, ConformanceSuite.RFC4226_SECRET).ok();
        long now = clock(c);
        onDevice(c, "t").ok();
        assertEquals(0x6985, c.send(0xE3, 0, 0, time(now - 100)).sw(), "backwards without force");
        c.send(0xE3, 1, 0, time(now - 100)).ok();
        assertEquals(0x6985, onDevice(c, "t").sw(), "no code for a time before the last one shown");
        c.calculate("t", CardClient.timeStep(1), true).ok(); // host-given time is the host's business
        c.send(0xE3, 0, 0, time(now + 3600)).ok();
        onDevice(c, "t").ok();
        assertEquals(0x6A86, c.send(0xE3, 2, 0, time(now)).sw());
        assertEquals(0x6A80, c.send(0xE3, 0, 0, tlv(0xD3, new byte[4])).sw());
        byte[] last = CardClient.parse(c.send(0xE2, 0, 0, new byte[0]).ok().data()).get(1).value();
        assertEquals(now + 3600, ByteBuffer.wrap(last).getLong());
    }

    @Test
    void resetClearsTheMarkOfAClockSetFarAhead() {
        SimulatedToken t = token(SimulatedToken.Config.defaults());
        CardClient c = open(t);
        c.put("t", TOTP | 1, 6, ConformanceSuite.RFC4226_SECRET).ok();
        long farAhead = 253_402_300_800L; // 10000-01-01T00:00:00Z
        c.send(0xE3, 1, 0, time(farAhead)).ok();
        onDevice(c, "t").ok();
        c.send(0xE3, 1, 0, time(host.get() / 1000)).ok();
        assertEquals(0x6985, onDevice(c, "t").sw(), "the mark holds after the clock is set back");
        assertEquals(farAhead, lastCode(c));
        Keyfob.Display refused = new Keyfob(t).press();
        assertEquals("clock is behind the last code shown (10000-01-01): set the clock forward, or tokenctl reset "
                + "to erase the token and clear the mark", refused.message());

        c.send(CardClient.INS_RESET, 0xDE, 0xAD, new byte[0]).ok();
        c.select().ok();
        assertEquals(0, lastCode(c), "RESET clears the mark");
        assertEquals(0, lastCode(open(SimulatedToken.fromState(t.saveState(), host::get))), "and a restart keeps it clear");
        c.put("t", TOTP | 1, 6, ConformanceSuite.RFC4226_SECRET).ok();
        long now = clock(c);
        CardClient.Response r = onDevice(c, "t").ok();
        byte[] mac = CardClient.hmac("SHA1", ConformanceSuite.RFC4226_SECRET, CardClient.timeStep(now / 30));
        assertEquals(CardClient.otp(mac, 6), CardClient.code(Arrays.copyOfRange(r.data(), 2, 7)));
        assertEquals(now, lastCode(c), "a new mark in the new epoch");
        c.send(0xE3, 1, 0, time(now - 60)).ok();
        assertEquals(0x6985, onDevice(c, "t").sw(), "and it guards as before");
    }

    static long lastCode(CardClient c) {
        byte[] v = CardClient.parse(c.send(0xE2, 0, 0, new byte[0]).ok().data()).get(1).value();
        return ByteBuffer.wrap(v).getLong();
    }

    @Test
    void settingTheClockNeedsThePassword() {
        CardClient c = open(token(SimulatedToken.Config.defaults()));
        byte[] key = new byte[16];
        c.send(CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(key)).ok();
        List<CardClient.Tlv> sel = CardClient.parse(c.select().ok().data());
        assertEquals(0x6982, c.send(0xE3, 0, 0, time(clock(c) + 10)).sw());
        assertTrue(Passwords.validate(c, key, sel.get(2).value()));
        c.send(0xE3, 0, 0, time(clock(c) + 10)).ok();
    }

    @Test
    void withoutAClockTheTokenSaysSo() {
        CardClient c = open(token(SimulatedToken.Config.defaults().withClock(false, 0)));
        c.put("t", TOTP | 1, 6, ConformanceSuite.RFC4226_SECRET).ok();
        assertEquals(0x6A88, onDevice(c, "t").sw());
        assertEquals(0x6A88, c.send(0xE2, 0, 0, new byte[0]).sw());
        assertEquals(0x6A88, c.send(0xE3, 0, 0, time(5)).sw());
        byte[] platform = CardClient.parse(c.send(CardClient.INS_INFO, 0, 0, new byte[0]).ok().data()).stream()
                .filter(x -> x.tag() == 0x88).findFirst().orElseThrow().value();
        assertEquals(1, platform[0], "button, no clock");
    }

    @Test
    void keyfobShowsTheSelectedCodeAndLongPressMovesOn() {
        SimulatedToken t = token(SimulatedToken.Config.defaults().withButton(true, 100));
        CardClient c = open(t);
        byte[] key = ConformanceSuite.RFC4226_SECRET;
        c.put("Example:alice@example.com", TOTP | 1, 6, key).ok();
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("Other:bob", TOTP | 2, 8, key, 2, null)).ok();
        long now = clock(c);
        Keyfob fob = new Keyfob(t);
        Keyfob.Display first = fob.press();
        assertEquals("Example", first.issuer());
        assertEquals("alice@example.com", first.account());
        assertEquals(CardClient.otp(CardClient.hmac("SHA1", key, CardClient.timeStep(now / 30)), 6), first.code());
        assertEquals(30 - now % 30, first.secondsLeft());
        Keyfob.Display second = fob.longPress();
        assertEquals("bob", second.account(), "a long press selects the next one, a touch one included");
        assertEquals(CardClient.otp(CardClient.hmac("SHA256", key, CardClient.timeStep(now / 30)), 8), second.code());
        assertEquals("bob", fob.press().account(), "the selection stays");
        assertEquals(first, Keyfob.Display.parse(first.toString()), "the display line, as the serial link carries it");
        assertEquals(second, Keyfob.Display.parse(second.toString()));
        assertEquals(new Keyfob.Display(null, "carol", "123456", 0, null), Keyfob.Display.parse("carol  123456"));
        assertEquals(new Keyfob.Display(null, null, null, 0, "no clock on this device"),
                Keyfob.Display.parse("no clock on this device"));
        SimulatedToken restored = SimulatedToken.fromState(t.saveState(), host::get);
        assertEquals("bob", new Keyfob(restored).press().account(), "and survives a restart");
        c.select().ok();
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("touchy", TOTP | 1, 6, key, 2, null)).ok();
        assertEquals(0x6982, c.calculate("touchy", CardClient.timeStep(1), true).sw(), "no stale press left behind");
    }

    @Test
    void clockStateSurvivesARestart() {
        SimulatedToken t = token(SimulatedToken.Config.defaults().withClock(true, -50));
        CardClient c = open(t);
        c.send(0xE3, 1, 0, time(5_000_000_000L)).ok();
        byte[] image = t.saveState();
        host.addAndGet(2_000_000_000L); // 2e6 s later, at -50 ppm: 100 s slower
        CardClient r = open(SimulatedToken.fromState(image, host::get));
        assertEquals(5_000_000_000L + 2_000_000 - 100, clock(r));
    }
}
