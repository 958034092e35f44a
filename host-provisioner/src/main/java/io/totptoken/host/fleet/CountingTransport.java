package io.totptoken.host.fleet;

import io.totptoken.host.transport.ForwardingTransport;
import io.totptoken.host.transport.Transport;
import java.util.concurrent.atomic.AtomicLong;

/** Counts APDUs and the time spent in them (for the progress line and the benchmark). */
final class CountingTransport extends ForwardingTransport {
    static final AtomicLong TOTAL_NANOS = new AtomicLong();
    static final AtomicLong TOTAL_APDUS = new AtomicLong();

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
        long start = System.nanoTime();
        try {
            return inner.transmit(apdu);
        } finally {
            TOTAL_NANOS.addAndGet(System.nanoTime() - start);
            TOTAL_APDUS.incrementAndGet();
        }
    }
}
