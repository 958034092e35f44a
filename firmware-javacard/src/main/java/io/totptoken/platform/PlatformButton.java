package io.totptoken.oath;

import javacard.framework.Shareable;

/**
 * The token's button, offered by the device's platform applet (AID
 * {@link Protocol#PLATFORM_AID}, parameter {@link Protocol#PLATFORM_BUTTON}).
 */
public interface PlatformButton extends Shareable {
    /** Waits for the user to press the button; false when the platform's wait timed out. */
    boolean awaitPress();
}
