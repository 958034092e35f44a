package io.totptoken.host.provisioning;

import io.totptoken.host.fleet.FleetException;

/** Deliberately bad, for LayeringRulesTest: provisioning reaching fleet, which builds on it. Never run. */
final class FleetInProvisioningViolation {
    private FleetInProvisioningViolation() {
    }

    static RuntimeException failure() {
        return new FleetException("never");
    }
}
