package io.totptoken.host.fleet;

import io.totptoken.host.transport.ForwardingTransport;
import io.totptoken.host.transport.Transport;

/** Counts the APDUs of one token (for its outcome and the progress line). */
final class CountingTransport extends ForwardingTransport {
    private int count;

    CountingTransport(Transport inner) {
        super(inner);
    }

    int count() {
        return count;
    }

    @Override
    public byte[] transmit(byte[] apdu) {
        count++;
        return inner.transmit(apdu);
    }
}
