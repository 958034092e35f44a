package io.totptoken.sim.serial;

import io.totptoken.oath.Protocol;
import io.totptoken.serial.DeviceIdentity;
import io.totptoken.serial.SerialProtocol;
import io.totptoken.sim.SimulatedToken;
import java.util.Arrays;

/** What a device reports about itself, read from its token as the device's firmware would. */
final class TokenFacts {
    /** INFO_PLATFORM bit for a real-time clock in TOKEN INFO (docs/applet.md). */
    private static final int PLATFORM_HAS_CLOCK = 0x02;

    private TokenFacts() {
    }

    /**
     * The identity of a simulated device serving the token: serial number and touch timeout
     * from its configuration, the clock from TOKEN INFO, the firmware version of this build.
     * Leaves the card reset (nothing selected).
     */
    static DeviceIdentity identity(SimulatedToken token, boolean display, long session, int maxPayload,
                                   int maxCommandMillis) {
        token.powerCycle();
        boolean rtc = false;
        byte[] aid = Arrays.copyOf(SimulatedToken.OATH_AID, 7);
        byte[] select = new byte[5 + aid.length];
        select[1] = (byte) 0xA4;
        select[2] = 0x04;
        select[4] = (byte) aid.length;
        System.arraycopy(aid, 0, select, 5, aid.length);
        if (sw(token.transmit(select)) == 0x9000) {
            byte[] info = token.transmit(new byte[] {0x00, Protocol.INS_TOKEN_INFO, 0x00, 0x00});
            for (int i = 0; sw(info) == 0x9000 && i + 2 < info.length - 2; i += 2 + (info[i + 1] & 0xFF)) {
                if (info[i] == Protocol.INFO_PLATFORM && info[i + 1] == 1) {
                    rtc = (info[i + 2] & PLATFORM_HAS_CLOCK) != 0;
                }
            }
        }
        token.powerCycle();
        SimulatedToken.Config c = token.config();
        boolean button = token.button() != null;
        String firmware = Protocol.FW_MAJOR + "." + Protocol.FW_MINOR + "." + Protocol.FW_PATCH;
        return new DeviceIdentity(SerialProtocol.VERSION, c.serial(), firmware, rtc, button, display, true,
                maxPayload, session, button ? c.touchTimeoutMillis() : 0, maxCommandMillis);
    }

    private static int sw(byte[] r) {
        return r.length < 2 ? 0 : ((r[r.length - 2] & 0xFF) << 8) | (r[r.length - 1] & 0xFF);
    }
}
