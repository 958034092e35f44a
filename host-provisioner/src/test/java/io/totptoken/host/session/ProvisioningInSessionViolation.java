package io.totptoken.host.session;

import io.totptoken.host.provisioning.TokenTarget;

/** Deliberately bad, for LayeringRulesTest: the session layer reaching up into provisioning. Never run. */
final class ProvisioningInSessionViolation {
    private ProvisioningInSessionViolation() {
    }

    static String label(TokenTarget target) {
        return target.label();
    }
}
