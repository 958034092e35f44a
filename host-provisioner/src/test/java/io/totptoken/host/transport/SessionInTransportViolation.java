package io.totptoken.host.transport;

import io.totptoken.host.session.OathSession;

/** Deliberately bad, for LayeringRulesTest: a transport knowing the OATH session above it. Never run. */
final class SessionInTransportViolation {
    private SessionInTransportViolation() {
    }

    static OathSession session(Transport transport) {
        return OathSession.open(transport);
    }
}
