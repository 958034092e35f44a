package io.totptoken.platform;

import javacard.framework.Shareable;

/**
 * The token's button, offered as a Shareable interface by the device's platform applet.
 *
 * <p>Platform services live in this package of their own (a library CAP with only
 * interfaces), so the platform applet and the OATH applet each import it, and either can be
 * deleted or upgraded without the other. The OATH applet finds the platform applet by AID
 * (see the OATH applet's Protocol.PLATFORM_AID) and asks for {@link #SERVICE}.
 */
public interface PlatformButton extends Shareable {
    /** Parameter of getAppletShareableInterfaceObject that asks for this service. */
    byte SERVICE = 0x01;

    /** Waits for the user to press the button; false when the platform's wait timed out. */
    boolean awaitPress();
}
