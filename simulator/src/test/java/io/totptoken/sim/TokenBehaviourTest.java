package io.totptoken.sim;

import static io.totptoken.conformance.CardClient.TOTP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.ConformanceSuite;
import io.totptoken.conformance.Passwords;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour that depends on install parameters and the device: capacity, lock-out, button, persistence. */
class TokenBehaviourTest {
    private static final byte[] KEY = ConformanceSuite.RFC4226_SECRET;

    private static CardClient open(SimulatedToken token) {
        CardClient c = new CardClient(token::transmit);
        c.select().ok();
        return c;
    }

    @Test
    void defaultInstallHoldsTwoHundredCredentialsThenAnswersNoSpace() {
        CardClient c = open(new SimulatedToken());
        for (int i = 0; i < 200; i++) {
            c.put(String.format("%02d:%s", i, "x".repeat(60)), TOTP | 1, 6, KEY).ok();
        }
        assertEquals(0x6A84, c.put("one-too-many", TOTP | 1, 6, KEY).sw());
        CardClient.Response list = c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok();
        assertEquals(200, CardClient.parse(list.data()).size(), "every long name listed through SEND REMAINING");
        c.send(CardClient.INS_DELETE, 0, 0, CardClient.tlv(0x71, String.format("%02d:%s", 7, "x".repeat(60)).getBytes())).ok();
        c.put("fits-again", TOTP | 1, 6, KEY).ok();
    }

    @Test
    void slotCountIsAnInstallParameterAndSha512TakesTwo() {
        CardClient c = open(new SimulatedToken(SimulatedToken.Config.defaults().withSlots(3)));
        c.put("a", TOTP | 3, 6, KEY).ok();
        assertEquals(0x6A84, c.put("b", TOTP | 3, 6, KEY).sw());
        c.put("b", TOTP | 1, 6, KEY).ok();
        assertEquals(0x6A84, c.put("c", TOTP | 1, 6, KEY).sw());
        assertEquals(0x6A84, c.put("a", TOTP | 1, 6, KEY).sw(), "an overwrite needs room for the new record first");
        assertEquals(0x6A84, c.send(CardClient.INS_RENAME, 0, 0,
                CardClient.concat(CardClient.tlv(0x71, "b".getBytes()), CardClient.tlv(0x71, "z".getBytes()))).sw());
    }

    @Test
    void lockOutAfterTriesUntilReset() {
        SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withTries(3));
        CardClient c = open(token);
        byte[] key = new byte[16];
        c.send(CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(key)).ok();
        byte[] wrong = {1};
        for (int i = 0; i < 3; i++) {
            Passwords.validate(c, wrong, CardClient.parse(c.select().ok().data()).get(2).value());
        }
        byte[] challenge = CardClient.parse(c.select().ok().data()).get(2).value();
        CardClient.Response refused = c.send(CardClient.INS_VALIDATE, 0, 0, CardClient.concat(
                CardClient.tlv(0x75, CardClient.hmac("SHA1", key, challenge)), CardClient.tlv(0x74, new byte[8])));
        assertEquals(0x6983, refused.sw(), "the right password is refused once locked");
        token.powerCycle();
        c.select().ok();
        assertEquals(0x6983, c.send(CardClient.INS_VALIDATE, 0, 0, CardClient.concat(
                CardClient.tlv(0x75, new byte[20]), CardClient.tlv(0x74, new byte[8]))).sw(), "a power cycle does not unlock");
        c.send(CardClient.INS_RESET, 0xDE, 0xAD, new byte[0]).ok();
        c.select().ok();
        c.put("usable", TOTP | 1, 6, KEY).ok();
    }

    @Test
    void touchCredentialComputesOnlyAfterAPress() {
        SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withButton(true, 50));
        CardClient c = open(token);
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("touch", TOTP | 1, 6, KEY, 2, null)).ok();
        assertEquals(0x6982, c.calculate("touch", CardClient.timeStep(1), true).sw(), "no press: as a YubiKey's touch timeout");
        token.button().press();
        c.calculate("touch", CardClient.timeStep(1), true).ok();
        int[] prompts = {0};
        token.button().onWait(() -> {
            prompts[0]++;
            token.button().press();
        });
        c.calculate("touch", CardClient.timeStep(1), true).ok();
        assertEquals(1, prompts[0], "the device asked for a press while the card waited");
    }

    @Test
    void withoutAButtonTouchCredentialsTimeOut() {
        SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withButton(false, 0));
        CardClient c = open(token);
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("touch", TOTP | 1, 6, KEY, 2, null)).ok();
        assertEquals(0x6982, c.calculate("touch", CardClient.timeStep(1), true).sw());
        List<CardClient.Tlv> info = CardClient.parse(c.send(CardClient.INS_INFO, 0, 0, new byte[0]).ok().data());
        assertEquals(0, info.stream().filter(t -> t.tag() == 0x88).findFirst().orElseThrow().value()[0] & 1, "no button");
    }

    @Test
    void unknownAidsAnswerFileNotFoundAndPrefixesSelect() {
        CardClient c = new CardClient(new SimulatedToken()::transmit);
        assertEquals(0x6A82, c.raw(CardClient.apdu(0, 0xA4, 4, 0, new byte[] {(byte) 0xA0, 0, 0, 5, 0x27, 0x47, 0x11, 0x17})).sw());
        assertEquals(0x6A82, c.raw(CardClient.apdu(0, 0xA4, 4, 0, new byte[] {(byte) 0xA0, 0, 0, 5, 0x27, 0x20, 1})).sw());
        c.raw(CardClient.apdu(0, 0xA4, 4, 0, SimulatedToken.OATH_AID)).ok();
        c.select().ok();
    }

    @Test
    void stateSurvivesSaveAndRestore() {
        SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withSlots(20).withTries(4));
        CardClient c = open(token);
        c.put("kept", TOTP | 3, 8, KEY).ok();
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("counter", CardClient.HOTP | 1, 6, KEY, 0, new byte[] {0, 0, 0, 9})).ok();
        c.calculate("counter", new byte[0], true).ok();
        byte[] id = CardClient.parse(c.select().ok().data()).get(1).value();
        byte[] code = c.calculate("kept", CardClient.timeStep(77), false).ok().data();
        byte[] next = c.calculate("counter", new byte[0], false).ok().data();

        SimulatedToken restored = SimulatedToken.fromState(token.saveState());
        assertEquals(20, restored.config().slots());
        assertEquals(4, restored.config().tries());
        CardClient r = open(restored);
        assertArrayEquals(id, CardClient.parse(r.select().ok().data()).get(1).value());
        assertArrayEquals(code, r.calculate("kept", CardClient.timeStep(77), false).ok().data());
        byte[] afterNext = CardClient.concat(CardClient.hmac("SHA1", KEY, CardClient.timeStep(11)));
        assertArrayEquals(afterNext, java.util.Arrays.copyOfRange(r.calculate("counter", new byte[0], false).ok().data(), 3, 23),
                "the HOTP counter moved on from where it was saved");
        assertTrue(next.length > 0);
    }

    @Test
    void serialNumberIsAnInstallParameterThatSurvivesReset() {
        CardClient c = open(new SimulatedToken(SimulatedToken.Config.defaults().withSerial(0xCAFE1234L)));
        byte[] expected = {(byte) 0xCA, (byte) 0xFE, 0x12, 0x34};
        assertArrayEquals(expected, info(c, 0x89));
        c.send(CardClient.INS_RESET, 0xDE, 0xAD, new byte[0]).ok();
        assertArrayEquals(expected, info(c, 0x89));
    }

    private static byte[] info(CardClient c, int tag) {
        return CardClient.parse(c.send(CardClient.INS_INFO, 0, 0, new byte[0]).ok().data()).stream()
                .filter(t -> t.tag() == tag).findFirst().orElseThrow().value();
    }

    @Test
    void damagedStateIsRefusedWithAClearMessage() {
        byte[] image = new SimulatedToken().saveState();
        image[image.length / 2] ^= 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimulatedToken.fromState(image));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }
}
