package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.ConformanceSuite;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The whole conformance suite again on cards whose cheaper HMAC engines are unavailable. */
class EngineFallbackConformanceTest {
    static final int STATES = 1;
    static final int SIGNATURE = 2;
    static final int DIGEST = 3;

    static byte[] engines(CardClient c) {
        return CardClient.parse(c.send(CardClient.INS_INFO, 0, 0, new byte[0]).ok().data()).stream()
                .filter(t -> t.tag() == 0x87).findFirst().orElseThrow().value();
    }

    @Nested
    class NativeHmacOnly extends ConformanceSuite {
        private final SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withDisabledEngines(1));

        @Override
        protected CardClient connect() {
            return new CardClient(token::transmit);
        }

        @Test
        void usesNativeHmac() {
            assertArrayEquals(new byte[] {SIGNATURE, SIGNATURE, SIGNATURE}, engines(c));
        }
    }

    @Nested
    class DigestOnly extends ConformanceSuite {
        private final SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withDisabledEngines(3));

        @Override
        protected CardClient connect() {
            return new CardClient(token::transmit);
        }

        @Test
        void usesMessageDigestHmac() {
            assertArrayEquals(new byte[] {DIGEST, DIGEST, DIGEST}, engines(c));
        }
    }

    @Test
    void defaultCardUsesPrecomputedStatesWhereJCardSimHonoursThem() {
        CardClient c = new CardClient(new SimulatedToken()::transmit);
        c.select().ok();
        // jCardSim 3.0.5.11 refuses setInitialDigest for SHA-512 (its reflection on the
        // BouncyCastle digest fails), so the probe falls back to native HMAC there.
        assertArrayEquals(new byte[] {STATES, STATES, SIGNATURE}, engines(c));
    }
}
