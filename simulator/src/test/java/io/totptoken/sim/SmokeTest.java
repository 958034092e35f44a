package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.totptoken.conformance.CardClient;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void putAndCalculate() {
        SimulatedToken token = new SimulatedToken();
        CardClient c = new CardClient(token::transmit);
        CardClient.Response sel = c.select();
        System.out.println(String.format("select %04X %s", sel.sw(), java.util.HexFormat.of().formatHex(sel.data())));
        byte[] key = "12345678901234567890".getBytes();
        c.put("test", 0x21, 8, key).ok();
        CardClient.Response r = c.calculate("test", CardClient.timeStep(59 / 30), true).ok();
        System.out.println(java.util.HexFormat.of().formatHex(r.data()));
        assertEquals("94287082", CardClient.code(java.util.Arrays.copyOfRange(r.data(), 2, 7)));
        CardClient.Response info = c.send(CardClient.INS_INFO, 0, 0, new byte[0]).ok();
        System.out.println(java.util.HexFormat.of().formatHex(info.data()));
    }
}
