package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.totptoken.conformance.CardClient;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Random credentials and instants through the card, against javax.crypto.Mac. */
class RandomCasesTest {
    @ParameterizedTest(name = "{1} cases, engines disabled {0}")
    @CsvSource({"0, 10000", "1, 1000", "3, 1000"})
    void codesEqualTheJdksHmac(int disabledEngines, int cases) {
        SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withDisabledEngines(disabledEngines));
        CardClient c = new CardClient(token::transmit);
        c.select().ok();
        SplittableRandom random = new SplittableRandom(20261128L + disabledEngines);
        for (int i = 0; i < cases; i++) {
            int alg = 1 + random.nextInt(3);
            String jca = alg == 1 ? "SHA1" : alg == 2 ? "SHA256" : "SHA512";
            byte[] key = new byte[1 + random.nextInt(alg == 3 ? 128 : 64)];
            random.nextBytes(key);
            int digits = 6 + random.nextInt(3);
            long period = random.nextInt(4) == 0 ? 1 + random.nextInt(3600) : 30;
            long time = random.nextLong(1L << 42);
            byte[] step = CardClient.timeStep(time / period);
            String name = "case" + random.nextInt(8);
            String where = "case " + i + " alg " + jca + " key " + key.length + " t " + time + "/" + period;
            c.put(name, CardClient.TOTP | alg, digits, key).ok();
            byte[] mac = CardClient.hmac(jca, key, step);
            CardClient.Response full = c.calculate(name, step, false).ok();
            assertArrayEquals(mac, Arrays.copyOfRange(full.data(), 3, full.data().length), where);
            CardClient.Response truncated = c.calculate(name, step, true).ok();
            assertEquals(CardClient.otp(mac, digits), CardClient.code(Arrays.copyOfRange(truncated.data(), 2, 7)), where);
        }
    }
}
