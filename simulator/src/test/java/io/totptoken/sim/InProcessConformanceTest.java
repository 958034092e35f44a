package io.totptoken.sim;

import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.ConformanceSuite;

/** The conformance suite against the token in this JVM. */
class InProcessConformanceTest extends ConformanceSuite {
    private final SimulatedToken token = new SimulatedToken();

    @Override
    protected CardClient connect() {
        return new CardClient(token::transmit);
    }
}
