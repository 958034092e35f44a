package io.totptoken.host.provisioning;

/** The token has a password, none was given and none is remembered for it; the token is unchanged. */
public final class PasswordRequiredException extends TokenOperationException {
    private static final long serialVersionUID = 1L;

    public PasswordRequiredException(String token) {
        super(token + " is protected by a password");
    }
}
