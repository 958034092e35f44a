package io.totptoken.host.cli;

import com.licel.jcardsim.base.Simulator;
import io.totptoken.sim.SimulatedToken;

/** Deliberately bad, for LayeringRulesTest: the CLI driving jCardSim and the simulator itself. Never run. */
final class JCardSimInCliViolation {
    private JCardSimInCliViolation() {
    }

    static Simulator simulator(SimulatedToken token) {
        return new Simulator();
    }
}
