package io.totptoken.host.provisioning;

/**
 * An operation that cannot be done on this token as it is: a name already taken, a query that
 * matches no account or several, not enough free slots. Checked before anything is written, so
 * the token is unchanged. The message is one line a user can act on and names no secret.
 */
public class TokenOperationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TokenOperationException(String message) {
        super(message);
    }
}
