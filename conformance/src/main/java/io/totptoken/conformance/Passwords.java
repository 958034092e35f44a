package io.totptoken.conformance;

import java.security.SecureRandom;
import java.util.Arrays;

/** The YKOATH password exchanges, as a client performs them (REFERENCE section 2). */
public final class Passwords {
    private Passwords() {
    }

    /** VALIDATE with key against the card challenge; checks the card's answer too. */
    public static boolean validate(CardClient c, byte[] key, byte[] cardChallenge) {
        byte[] hostChallenge = new byte[8];
        new SecureRandom().nextBytes(hostChallenge);
        CardClient.Response r = c.send(CardClient.INS_VALIDATE, 0, 0, CardClient.concat(
                CardClient.tlv(0x75, CardClient.hmac("SHA1", key, cardChallenge)),
                CardClient.tlv(0x74, hostChallenge)));
        if (r.sw() != 0x9000) {
            return false;
        }
        byte[] expected = CardClient.tlv(0x75, CardClient.hmac("SHA1", key, hostChallenge));
        if (!Arrays.equals(expected, r.data())) {
            throw new AssertionError("the card's VALIDATE answer is wrong");
        }
        return true;
    }

    public static byte[] setCodeData(byte[] key) {
        byte[] challenge = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] keyTlv = new byte[1 + key.length];
        keyTlv[0] = 0x21;
        System.arraycopy(key, 0, keyTlv, 1, key.length);
        return CardClient.concat(CardClient.tlv(0x73, keyTlv), CardClient.tlv(0x74, challenge),
                CardClient.tlv(0x75, CardClient.hmac("SHA1", key, challenge)));
    }

    /** Selects and, when the token has a password, unlocks it with key. */
    public static void unlock(CardClient c, byte[] key) {
        var sel = CardClient.parse(c.select().ok().data());
        if (sel.size() > 2 && !validate(c, key, sel.get(2).value())) {
            throw new AssertionError("password refused");
        }
    }
}
