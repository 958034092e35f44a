package io.totptoken.oath;

import javacard.framework.APDU;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Util;

/** GET CLOCK and SET CLOCK (extensions): read and set the device's real-time clock. */
final class ClockCommands {
    private final DeviceClock clock;
    private final AccessCommands access;
    private final Tlv tlv;
    private final byte[] scratch;

    ClockCommands(DeviceClock clock, AccessCommands access, Tlv tlv, byte[] scratch) {
        this.clock = clock;
        this.access = access;
        this.tlv = tlv;
        this.scratch = scratch;
    }

    /** D3 the clock's time, D4 the latest time a code came from it. No password needed: time is no secret. */
    short get(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        OathApplet.checkParams(buf, (byte) 0);
        short n = 0;
        buf[n++] = Protocol.TAG_TIME;
        buf[n++] = (byte) Protocol.TIME_LENGTH;
        clock.now(buf, n);
        n += Protocol.TIME_LENGTH;
        buf[n++] = Protocol.TAG_LAST_CODE_TIME;
        buf[n++] = (byte) Protocol.TIME_LENGTH;
        return clock.copyLastIssued(buf, n);
    }

    /** D3 the new time; P1 = 01 allows moving backwards. Needs the password when one is set. */
    short set(APDU apdu) {
        access.requireAuth();
        byte[] buf = apdu.getBuffer();
        byte p1 = buf[ISO7816.OFFSET_P1];
        if ((p1 != 0 && p1 != Protocol.SET_CLOCK_BACKWARDS) || buf[ISO7816.OFFSET_P2] != 0) {
            ISOException.throwIt(Protocol.SW_INCORRECT_P1P2);
        }
        short dataLen = OathApplet.receive(apdu);
        tlv.start(OathApplet.dataOffset(apdu), dataLen);
        tlv.expect(buf, Protocol.TAG_TIME, Protocol.TIME_LENGTH, Protocol.TIME_LENGTH);
        if (tlv.hasMore() || buf[tlv.value()] < 0) {
            ISOException.throwIt(Protocol.SW_WRONG_DATA);
        }
        clock.set(buf, tlv.value(), p1 == Protocol.SET_CLOCK_BACKWARDS, scratch, (short) 0);
        Util.arrayFillNonAtomic(scratch, (short) 0, Protocol.TIME_LENGTH, (byte) 0);
        return 0;
    }
}
