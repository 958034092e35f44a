package io.totptoken.host.provisioning;

/**
 * The desktop cannot do what was asked: no screen that can be captured, no clipboard to copy to.
 * The message says why and what to install or allow; it never holds a secret.
 */
public final class DesktopUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DesktopUnavailableException(String message) {
        super(message);
    }
}
