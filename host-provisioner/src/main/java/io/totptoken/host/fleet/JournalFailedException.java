package io.totptoken.host.fleet;

/** The journal could not be written or synced (a full disk, an I/O error): the run stops. */
public final class JournalFailedException extends FleetException {
    private static final long serialVersionUID = 1L;

    public JournalFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
