package io.totptoken.sim;

import io.totptoken.platform.PlatformButton;
import io.totptoken.platform.PlatformClock;
import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Shareable;

/**
 * The simulated device's platform: offers the button and the real-time clock to the OATH
 * applet as Shareable interfaces, as a real device's platform applet would. The peripherals
 * themselves are plain Java, bound to the token whose command runs on this thread.
 */
public final class PlatformApplet extends Applet implements PlatformButton, PlatformClock {
    /** The button and clock of a device; either may be null (the device has none). */
    record Peripherals(SimulatedButton button, SimulatedClock clock) {
    }

    static final ThreadLocal<Peripherals> DEVICE = new ThreadLocal<>();

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new PlatformApplet().register();
    }

    @Override
    public Shareable getShareableInterfaceObject(AID client, byte parameter) {
        Peripherals p = DEVICE.get();
        if (p == null) {
            return null;
        }
        if (parameter == PlatformButton.SERVICE && p.button() != null) {
            return this;
        }
        return parameter == PlatformClock.SERVICE && p.clock() != null ? this : null;
    }

    @Override
    public boolean awaitPress() {
        Peripherals p = DEVICE.get();
        return p != null && p.button() != null && p.button().awaitPress();
    }

    @Override
    public void readTime(byte[] buf, short off) {
        long seconds = Math.floorDiv(DEVICE.get().clock().millis(), 1000);
        for (int i = 7; i >= 0; i--) {
            buf[off + i] = (byte) seconds;
            seconds >>= 8;
        }
    }

    @Override
    public void setTime(byte[] buf, short off) {
        long seconds = 0;
        for (int i = 0; i < 8; i++) {
            seconds = (seconds << 8) | (buf[off + i] & 0xFF);
        }
        DEVICE.get().clock().set(seconds * 1000);
    }

    @Override
    public void process(APDU apdu) {
        if (!selectingApplet()) {
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }
}
