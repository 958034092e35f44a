package io.totptoken.sim;

/**
 * A token state image that cannot be restored: wrong checksum, not a state image, counts or
 * lengths that do not fit, or install parameters no token has. {@link #reason} is the reason
 * alone ("checksum mismatch"), for a message that names the file the image came from.
 */
public final class DamagedStateException extends IllegalArgumentException {
    private final String reason;

    public DamagedStateException(String reason) {
        this(reason, null);
    }

    public DamagedStateException(String reason, Throwable cause) {
        super("the token state is damaged: " + reason, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
