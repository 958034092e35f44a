package io.totptoken.host.transport;

/** A sealed state file that cannot be opened: damaged, or the key is wrong or missing. One line, never a secret. */
public final class SealedStateException extends TransportException {
    private final boolean damagedOrWrongKey;

    /** A file that cannot be opened for want of something the user must give (a passphrase) or a newer tokenctl. */
    public SealedStateException(String message) {
        this(message, false);
    }

    /** @param damagedOrWrongKey the key was tried (or looked for where the header puts it) and does not open the file */
    public SealedStateException(String message, boolean damagedOrWrongKey) {
        super(message);
        this.damagedOrWrongKey = damagedOrWrongKey;
    }

    /** Whether the file is damaged or its key wrong (or gone): its backup may open, a reset may replace it. */
    public boolean damagedOrWrongKey() {
        return damagedOrWrongKey;
    }
}
