package io.totptoken.host.fleet;

/**
 * A fleet run cannot start or go on: a bad manifest or seed file, a journal that does not match
 * the run, an output directory in use. The message is one line a user can act on and never holds
 * a secret.
 */
public class FleetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FleetException(String message) {
        super(message);
    }

    public FleetException(String message, Throwable cause) {
        super(message, cause);
    }
}
