package io.totptoken.host.provisioning;

import javax.smartcardio.TerminalFactory;

/** Deliberately bad, for LayeringRulesTest: PC/SC reached outside transport. Never run. */
final class PcscInProvisioningViolation {
    private PcscInProvisioningViolation() {
    }

    static TerminalFactory terminals() {
        return TerminalFactory.getDefault();
    }
}
