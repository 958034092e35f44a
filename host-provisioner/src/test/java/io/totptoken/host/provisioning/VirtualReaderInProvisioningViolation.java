package io.totptoken.host.provisioning;

import io.totptoken.host.simulated.VirtualReader;

/** Deliberately bad, for LayeringRulesTest: provisioning using simulated beyond SimulatedConnector. Never run. */
final class VirtualReaderInProvisioningViolation {
    private VirtualReaderInProvisioningViolation() {
    }

    static VirtualReader serve(TokenTarget target) {
        return VirtualReader.open(target);
    }
}
