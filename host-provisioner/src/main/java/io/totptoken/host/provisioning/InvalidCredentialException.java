package io.totptoken.host.provisioning;

/**
 * A credential the user supplied (URI, export, image, manual entry) cannot be used.
 *
 * <p>The message is one line that tells the user what to fix. It never contains secret
 * bytes or the text of a secret: callers build messages from field names and positions only.
 */
public class InvalidCredentialException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidCredentialException(String message) {
        super(oneLine(message));
    }

    public InvalidCredentialException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Prefixes the message with where the problem was found, e.g. the image file name. */
    public InvalidCredentialException in(String where) {
        InvalidCredentialException located = new InvalidCredentialException(where + ": " + getMessage(), getCause());
        located.setStackTrace(getStackTrace());
        return located;
    }

    private static String oneLine(String message) {
        return message.replaceAll("[\\r\\n]+", " ");
    }
}
