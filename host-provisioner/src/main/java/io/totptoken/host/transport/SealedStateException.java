package io.totptoken.host.transport;

/** A sealed state file that cannot be opened: damaged, or the key is wrong or missing. One line, never a secret. */
public final class SealedStateException extends TransportException {
    public SealedStateException(String message) {
        super(message);
    }
}
