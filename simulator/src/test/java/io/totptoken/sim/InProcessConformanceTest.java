package io.totptoken.sim;

/** The conformance suite against the token in this JVM. */
class InProcessConformanceTest extends ConformanceSuite {
    private final SimulatedToken token = new SimulatedToken();

    @Override
    CardClient connect() {
        return new CardClient(token);
    }
}
