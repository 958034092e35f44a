package io.totptoken.host.transport;

/** The token could not be reached or stopped answering; the message is one line a user can act on. */
public class TransportException extends RuntimeException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
