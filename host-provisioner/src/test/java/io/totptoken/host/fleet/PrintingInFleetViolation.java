package io.totptoken.host.fleet;

/** Deliberately bad, for LayeringRulesTest: a library layer printing and picking an exit code. Never run. */
final class PrintingInFleetViolation {
    private PrintingInFleetViolation() {
    }

    static void fail(String why) {
        System.err.println(why);
        System.exit(3);
    }
}
