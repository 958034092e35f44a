package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.totptoken.conformance.ConformanceSuite;
import io.totptoken.host.Oathtool;
import io.totptoken.host.session.CardCredential;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The self-test's expected codes are the published ones: the 8-digit TOTP codes equal the
 * conformance suite's copy of RFC 6238 Appendix B, and every code (the 6-digit TOTP and 8-digit
 * HOTP ones derived here too) equals what oathtool computes from the same secret.
 */
class SelfTestVectorsTest {
    private static final String[] OATHTOOL_ALGORITHMS = {"sha1", "sha256", "sha512"};

    @Test
    void theEightDigitTotpCodesAreTheConformanceSuitesCopyOfRfc6238() {
        List<String> suite = new ArrayList<>();
        for (Arguments a : ConformanceSuite.rfc6238().toList()) {
            Object[] v = a.get();
            suite.add("T = " + v[0] + " alg " + v[1] + " " + v[2]);
        }
        List<String> ours = new ArrayList<>();
        for (SelfTest.Check c : SelfTest.checks()) {
            if (c.type() == CardCredential.TOTP && c.digits() == 8) {
                assertArrayEquals(ConformanceSuite.rfc6238Seed(c.algorithm()), c.secret(), c.title());
                for (SelfTest.Vector v : c.vectors()) {
                    ours.add(v.label() + " alg " + c.algorithm() + " " + v.expected());
                }
            }
        }
        ours.sort(null);
        suite.sort(null);
        assertEquals(suite, ours);
    }

    @Test
    void everyExpectedCodeIsOathtools() {
        int codes = 0;
        for (SelfTest.Check c : SelfTest.checks()) {
            String key = HexFormat.of().formatHex(c.secret());
            String digits = Integer.toString(c.digits());
            if (c.type() == CardCredential.HOTP) {
                assertArrayEquals(ConformanceSuite.RFC4226_SECRET, c.secret());
                for (int counter = 0; counter < c.vectors().size(); counter++) {
                    SelfTest.Vector v = c.vectors().get(counter);
                    assertEquals("counter " + counter, v.label());
                    assertEquals(oathtool("--hotp", "-d", digits, "-c", Integer.toString(counter), key), v.expected(), c.title());
                    codes++;
                }
                continue;
            }
            for (SelfTest.Vector v : c.vectors()) {
                long time = Long.parseLong(v.label().substring("T = ".length()));
                assertEquals(time / 30, v.timeStep());
                assertEquals(oathtool("--totp=" + OATHTOOL_ALGORITHMS[c.algorithm() - 1], "-d", digits, "-N", "@" + time, key),
                        v.expected(), c.title() + " " + v.label());
                codes++;
            }
        }
        assertEquals(56, codes);
    }

    private static String oathtool(String... args) {
        return Oathtool.run(args);
    }
}
