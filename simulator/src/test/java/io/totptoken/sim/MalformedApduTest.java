package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.ConformanceSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Broken commands answer an ISO status word; none reaches the runtime as an exception (6F00). */
class MalformedApduTest {
    static final Set<Integer> ISO_ERRORS = Set.of(0x6700, 0x6884, 0x6982, 0x6983, 0x6984, 0x6985, 0x6A80, 0x6A81,
            0x6A84, 0x6A86, 0x6D00, 0x6E00);
    static final int[] INSTRUCTIONS = {0x01, 0x02, 0x03, 0x04, 0x05, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xE1};

    private SimulatedToken token;
    private CardClient c;

    @BeforeEach
    void provisioned() {
        token = new SimulatedToken();
        c = new CardClient(token::transmit);
        c.select().ok();
        c.put("known", CardClient.TOTP | 1, 6, ConformanceSuite.RFC4226_SECRET).ok();
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("hotp", CardClient.HOTP | 3, 8, new byte[100], 0, null)).ok();
    }

    static void assertIso(int sw, String what) {
        assertTrue(sw == 0x9000 || (sw >> 8) == 0x61 || ISO_ERRORS.contains(sw), String.format("%s answered %04X", what, sw));
        assertNotEquals(0x6F00, sw, what);
    }

    @Test
    void classChainingInstructionAndParameters() {
        assertEquals(0x6884, c.raw(CardClient.apdu(0x10, 0xA1, 0, 0, new byte[0])).sw(), "chaining bit");
        assertEquals(0x6E00, c.raw(CardClient.apdu(0x80, 0xA1, 0, 0, new byte[0])).sw(), "proprietary class");
        assertEquals(0x6D00, c.raw(CardClient.apdu(0, 0x99, 0, 0, new byte[0])).sw(), "unknown instruction");
        assertEquals(0x6A86, c.raw(CardClient.apdu(0, 0xA1, 1, 0, new byte[0])).sw(), "LIST with P1");
        assertEquals(0x6A86, c.raw(CardClient.apdu(0, 0x04, 0, 0, new byte[0])).sw(), "RESET without DEAD");
    }

    @Test
    void truncatedAndOverlongTlvs() {
        List<byte[]> bodies = new ArrayList<>();
        byte[] good = CardClient.concat(CardClient.tlv(0x71, "known".getBytes()), CardClient.tlv(0x74, new byte[8]));
        // DELETE may succeed on a whole-name prefix of these bodies; "hotp" is never named.
        for (int cut = 0; cut < good.length; cut++) {
            bodies.add(java.util.Arrays.copyOf(good, cut));
        }
        bodies.add(new byte[] {0x71, (byte) 0x81});
        bodies.add(new byte[] {0x71, (byte) 0x82, 0x01});
        bodies.add(new byte[] {0x71, (byte) 0x83, 0, 0, 5});
        bodies.add(new byte[] {0x71, (byte) 0x82, (byte) 0xFF, (byte) 0xFF});
        bodies.add(new byte[] {0x71, 0x7F, 1, 2});
        bodies.add(new byte[] {0x73, 0x01, 0x21});
        bodies.add(new byte[] {0x78});
        bodies.add(CardClient.concat(CardClient.tlv(0x71, "known".getBytes()), new byte[] {0x73, 0x02, 0x21}));
        bodies.add(CardClient.concat(CardClient.tlv(0x71, new byte[64]), CardClient.tlv(0x73, new byte[200])));
        for (int ins : INSTRUCTIONS) {
            for (byte[] body : bodies) {
                for (int p2 = 0; p2 < 2; p2++) {
                    int p1 = ins == 0x04 ? 0xDE : 0;
                    int sw = c.raw(CardClient.apdu(0, ins, p1, ins == 0x04 ? 0xAE : p2, body)).sw();
                    assertIso(sw, String.format("INS %02X body %s", ins, java.util.HexFormat.of().formatHex(body)));
                }
            }
        }
        c.select().ok();
        c.calculate("hotp", new byte[0], true).ok();
    }

    @Test
    void lcThatDisagreesWithTheData() {
        for (int ins : INSTRUCTIONS) {
            byte[] shortData = {0, (byte) ins, 0, 0, 10, 0x71, 0x05, 'k', 'n'};
            assertIso(c.raw(shortData).sw(), "Lc past the data");
            byte[] extended = {0, (byte) ins, 0, 0, 0, 0x10, 0, 0x71, 0x01, 'k'};
            assertIso(c.raw(extended).sw(), "extended Lc past the data");
            byte[] headerOnly = {0, (byte) ins, 0, 0};
            assertIso(c.raw(headerOnly).sw(), "no Lc");
        }
    }
}
