package io.totptoken.platform;

import javacard.framework.Shareable;

/**
 * The device's real-time clock, offered as a Shareable interface by the platform applet. Time
 * is Unix seconds as an 8-byte big-endian unsigned number (Java Card has no long).
 */
public interface PlatformClock extends Shareable {
    /** Parameter of getAppletShareableInterfaceObject that asks for this service. */
    byte SERVICE = 0x02;

    /** Writes the current time, 8 bytes, at buf[off]. */
    void readTime(byte[] buf, short off);

    /** Sets the clock to the 8-byte time at buf[off]. */
    void setTime(byte[] buf, short off);
}
