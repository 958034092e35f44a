package io.totptoken.oath;

import io.totptoken.platform.PlatformButton;
import io.totptoken.platform.PlatformClock;
import javacard.framework.AID;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;

/** Finds the device platform's services; each is null where the device has none. */
final class PlatformServices {
    private PlatformServices() {
    }

    static PlatformButton button() {
        Shareable s = lookup(PlatformButton.SERVICE);
        return s instanceof PlatformButton ? (PlatformButton) s : null;
    }

    static PlatformClock clock() {
        Shareable s = lookup(PlatformClock.SERVICE);
        return s instanceof PlatformClock ? (PlatformClock) s : null;
    }

    private static Shareable lookup(byte service) {
        AID aid = JCSystem.lookupAID(Protocol.PLATFORM_AID, (short) 0, (byte) Protocol.PLATFORM_AID.length);
        return aid == null ? null : JCSystem.getAppletShareableInterfaceObject(aid, service);
    }
}
