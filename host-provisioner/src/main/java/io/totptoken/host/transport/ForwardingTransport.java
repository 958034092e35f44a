package io.totptoken.host.transport;

/**
 * A wrapper around another transport: it changes what {@link #transmit(byte[])} does and
 * forwards the description and close to the transport it wraps.
 */
public abstract class ForwardingTransport implements Transport {
    protected final Transport inner;

    protected ForwardingTransport(Transport inner) {
        this.inner = inner;
    }

    @Override
    public String description() {
        return inner.description();
    }

    @Override
    public void close() {
        inner.close();
    }
}
