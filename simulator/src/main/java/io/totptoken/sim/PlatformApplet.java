package io.totptoken.sim;

import io.totptoken.platform.PlatformButton;
import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Shareable;

/**
 * The simulated device's platform: offers the button to the OATH applet as a Shareable
 * interface, as a real device's platform applet would. The button itself is plain Java,
 * bound to the token whose command is running on this thread.
 */
public final class PlatformApplet extends Applet implements PlatformButton {
    static final ThreadLocal<SimulatedButton> BUTTON = new ThreadLocal<>();

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new PlatformApplet().register();
    }

    @Override
    public Shareable getShareableInterfaceObject(AID client, byte parameter) {
        return parameter == PlatformButton.SERVICE && BUTTON.get() != null ? this : null;
    }

    @Override
    public boolean awaitPress() {
        SimulatedButton button = BUTTON.get();
        return button != null && button.awaitPress();
    }

    @Override
    public void process(APDU apdu) {
        if (!selectingApplet()) {
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }
}
