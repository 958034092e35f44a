package io.totptoken.sim;

import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.Passwords;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a user of a token can observe: its ID, which password (if any) unlocks it, how many
 * slots are taken, and every credential with its type and the MAC it gives for a fixed
 * challenge (HOTP: for its current counter), and the clock's anti-rollback mark (GET CLOCK tag
 * D4, the latest time a code came from the clock). Observed on a copy of the token restored from
 * its persistent memory, so observing changes nothing.
 */
final class TokenObserver {
    record State(String id, int password, int slotsUsed, List<String> credentials, String lastCode) {
        boolean sameContent(State o) {
            return password == o.password && slotsUsed == o.slotsUsed && credentials.equals(o.credentials)
                    && lastCode.equals(o.lastCode);
        }
    }

    private static final byte[] CHALLENGE = CardClient.timeStep(0x0123456789L);

    private TokenObserver() {
    }

    /**
     * @param passwords the access keys the test knows; the state records which one unlocks
     *                  the token (index + 1), 0 for none
     */
    static State observe(SimulatedToken token, List<byte[]> passwords) {
        SimulatedToken copy = SimulatedToken.fromState(token.saveState());
        CardClient c = new CardClient(copy::transmit);
        int password = 0;
        String id = "";
        for (int attempt = 0; attempt <= passwords.size(); attempt++) {
            List<CardClient.Tlv> sel = CardClient.parse(c.select().ok().data());
            id = HexFormat.of().formatHex(sel.get(1).value());
            if (sel.size() < 3) {
                break;
            }
            if (attempt == passwords.size()) {
                throw new AssertionError("no known password unlocks the token");
            }
            if (Passwords.validate(c, passwords.get(attempt), sel.get(2).value())) {
                password = attempt + 1;
                break;
            }
        }
        List<CardClient.Tlv> info = CardClient.parse(c.send(CardClient.INS_INFO, 0, 0, new byte[0]).ok().data());
        int used = ((info.get(2).value()[0] & 0xFF) << 8) | (info.get(2).value()[1] & 0xFF);
        List<String> creds = new ArrayList<>();
        for (CardClient.Tlv entry : CardClient.parse(c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok().data())) {
            byte[] v = entry.value();
            String name = new String(v, 1, v.length - 1);
            if (copy.button() != null) {
                copy.button().press(); // touch credentials compute after a press; others leave it queued
            }
            CardClient.Response r = c.calculate(name, CHALLENGE, false).ok();
            creds.add(String.format("%02x %s %s", v[0], name, HexFormat.of().formatHex(r.data())));
        }
        creds.sort(null);
        List<CardClient.Tlv> clock = CardClient.parse(c.send(0xE2, 0, 0, new byte[0]).ok().data());
        return new State(id, password, used, creds, HexFormat.of().formatHex(clock.get(1).value()));
    }
}
