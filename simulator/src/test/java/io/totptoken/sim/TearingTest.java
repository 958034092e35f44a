package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.Passwords;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javacard.framework.Applet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cuts the power after the k-th persistent write of a mutating command, for every k until the
 * command completes, and checks that the token then shows the old or the new state, never a
 * mix, leaks no slot, and keeps working. jCardSim does not roll back, so this proves the
 * applet's write order, not the simulator's transactions.
 */
@Tag("slow")
class TearingTest {
    private static final Class<? extends Applet> TORN = TearingClassLoader.appletClass();
    private static final byte[] PW1 = bytes(16, 0x11);
    private static final byte[] PW2 = bytes(16, 0x22);
    private static final List<byte[]> PASSWORDS = List.of(PW1, PW2);
    /** The device clock stands still, so a clock code's mark is the same in every run. */
    private static final long FROZEN_MILLIS = 1_700_000_000_000L;

    record Scenario(String name, Consumer<CardClient> setup, byte[] unlock, int ins, int p1, int p2, byte[] data,
                    boolean newId) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        Consumer<CardClient> two = TearingTest::twoCredentials;
        Consumer<CardClient> twoAndPassword = c -> {
            twoCredentials(c);
            c.send(CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(PW1)).ok();
        };
        Consumer<CardClient> marked = c -> {
            twoCredentials(c);
            clockCode(c);
            c.send(CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(PW1)).ok();
        };
        Consumer<CardClient> markOfAnEarlierEpoch = c -> {
            c.put("alpha", 0x21, 6, bytes(20, 1)).ok();
            clockCode(c);
            c.send(CardClient.INS_RESET, 0xDE, 0xAD, new byte[0]).ok();
            c.select().ok();
            twoCredentials(c);
        };
        byte[] clockCalculate = CardClient.tlv(0x71, "alpha".getBytes());
        return Stream.of(
                new Scenario("PUT new SHA-1", two, null, CardClient.INS_PUT, 0, 0,
                        CardClient.putData("new", 0x21, 6, bytes(20, 7), 0, null), false),
                new Scenario("PUT new SHA-512 HOTP", two, null, CardClient.INS_PUT, 0, 0,
                        CardClient.putData("big", 0x13, 8, bytes(64, 9), 0, new byte[] {0, 0, 0, 9}), false),
                new Scenario("PUT overwrite SHA-1 with SHA-512", two, null, CardClient.INS_PUT, 0, 0,
                        CardClient.putData("alpha", 0x23, 8, bytes(100, 5), 2, null), false),
                new Scenario("PUT overwrite SHA-512 with SHA-256", two, null, CardClient.INS_PUT, 0, 0,
                        CardClient.putData("beta", 0x22, 7, bytes(32, 6), 1, null), false),
                new Scenario("DELETE SHA-512", two, null, CardClient.INS_DELETE, 0, 0,
                        CardClient.tlv(0x71, "beta".getBytes()), false),
                new Scenario("RENAME SHA-1", two, null, CardClient.INS_RENAME, 0, 0,
                        CardClient.concat(CardClient.tlv(0x71, "alpha".getBytes()), CardClient.tlv(0x71, "gamma".getBytes())), false),
                new Scenario("RENAME SHA-512", two, null, CardClient.INS_RENAME, 0, 0,
                        CardClient.concat(CardClient.tlv(0x71, "beta".getBytes()), CardClient.tlv(0x71, "delta".getBytes())), false),
                new Scenario("CALCULATE HOTP", two, null, CardClient.INS_CALCULATE, 0, 1,
                        CardClient.concat(CardClient.tlv(0x71, "beta".getBytes()), CardClient.tlv(0x74, new byte[0])), false),
                new Scenario("SET CODE new", two, null, CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(PW1), false),
                new Scenario("SET CODE change", twoAndPassword, PW1, CardClient.INS_SET_CODE, 0, 0,
                        Passwords.setCodeData(PW2), false),
                new Scenario("SET CODE clear", twoAndPassword, PW1, CardClient.INS_SET_CODE, 0, 0,
                        CardClient.tlv(0x73, new byte[0]), false),
                new Scenario("RESET", twoAndPassword, null, CardClient.INS_RESET, 0xDE, 0xAD, new byte[0], true),
                new Scenario("RESET with a clock mark", marked, null, CardClient.INS_RESET, 0xDE, 0xAD, new byte[0], true),
                new Scenario("CALCULATE from the clock", two, null, CardClient.INS_CALCULATE, 0, 1, clockCalculate, false),
                new Scenario("CALCULATE from the clock, first mark after a RESET", markOfAnEarlierEpoch, null,
                        CardClient.INS_CALCULATE, 0, 1, clockCalculate, false));
    }

    @AfterEach
    void disarm() {
        PowerCut.disarm();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyCutLeavesOldOrNewState(Scenario s) {
        TokenObserver.State expectedNew = completedState(s);
        int cuts = 0;
        for (int k = 1; ; k++) {
            SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults(), TORN, () -> FROZEN_MILLIS);
            CardClient c = new CardClient(token::transmit);
            c.select().ok();
            s.setup().accept(c);
            TokenObserver.State old = TokenObserver.observe(token, PASSWORDS);
            if (s.unlock() != null) {
                Passwords.unlock(c, s.unlock());
            } else {
                c.select().ok();
            }
            PowerCut.arm(k);
            byte[] response;
            try {
                response = token.transmit(CardClient.apdu(0, s.ins(), s.p1(), s.p2(), s.data()));
            } catch (PowerCut.Cut e) {
                response = null;
            }
            PowerCut.disarm();
            if (!PowerCut.happened()) {
                assertEquals(0x90, response[response.length - 2] & 0xFF, "command failed uncut");
                assertTrue(cuts > 0, "the command made no persistent write");
                return;
            }
            cuts++;
            token.powerCycle();
            TokenObserver.State after = TokenObserver.observe(token, PASSWORDS);
            if (after.sameContent(old)) {
                assertEquals(old.id(), after.id(), "cut after write " + k + ": old state with another ID");
            } else if (after.sameContent(expectedNew)) {
                if (s.newId()) {
                    assertNotEquals(old.id(), after.id(), "cut after write " + k + ": reset kept the ID");
                } else {
                    assertEquals(old.id(), after.id(), "cut after write " + k + ": ID changed");
                }
            } else {
                fail("cut after write " + k + " left a mix:\n old " + old + "\n new " + expectedNew + "\n now " + after);
            }
            stillWorks(token, after);
        }
    }

    /** The state after the command runs without a cut, on the same starting point. */
    private static TokenObserver.State completedState(Scenario s) {
        SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults(), TORN, () -> FROZEN_MILLIS);
        CardClient c = new CardClient(token::transmit);
        c.select().ok();
        s.setup().accept(c);
        if (s.unlock() != null) {
            Passwords.unlock(c, s.unlock());
        }
        c.send(s.ins(), s.p1(), s.p2(), s.data()).ok();
        return TokenObserver.observe(token, PASSWORDS);
    }

    /** After a cut the token accepts a new credential and counts its slots right. */
    private static void stillWorks(SimulatedToken token, TokenObserver.State state) {
        CardClient c = new CardClient(token::transmit);
        if (state.password() > 0) {
            Passwords.unlock(c, PASSWORDS.get(state.password() - 1));
        } else {
            c.select().ok();
        }
        c.put("after-cut", 0x23, 6, bytes(64, 3)).ok();
        TokenObserver.State now = TokenObserver.observe(token, PASSWORDS);
        assertEquals(state.slotsUsed() + 2, now.slotsUsed(), "slots leaked or lost");
        assertEquals(state.credentials().size() + 1, now.credentials().size());
    }

    /** A code from the device clock (no challenge): sets the anti-rollback mark. */
    private static void clockCode(CardClient c) {
        c.send(CardClient.INS_CALCULATE, 0, 1, CardClient.tlv(0x71, "alpha".getBytes())).ok();
    }

    private static void twoCredentials(CardClient c) {
        c.put("alpha", 0x21, 6, bytes(20, 1)).ok();
        c.send(CardClient.INS_PUT, 0, 0,
                CardClient.putData("beta", 0x13, 8, bytes(64, 2), 0, new byte[] {0, 0, 0, 5})).ok();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }
}
