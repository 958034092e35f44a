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
        CommandInput.checkParams(buf, (byte) 0, (byte) 0);
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
        CommandInput.open(apdu, tlv, Protocol.SET_CLOCK_BACKWARDS, (byte) 0);
        boolean backwards = buf[ISO7816.OFFSET_P1] == Protocol.SET_CLOCK_BACKWARDS;
        tlv.expect(buf, Protocol.TAG_TIME, Protocol.TIME_LENGTH, Protocol.TIME_LENGTH);
        if (tlv.hasMore() || buf[tlv.value()] < 0) {
            ISOException.throwIt(Protocol.SW_WRONG_DATA);
        }
        clock.set(buf, tlv.value(), backwards, scratch, Transients.CODE_TIME);
        Util.arrayFillNonAtomic(scratch, Transients.CODE_TIME, Transients.CODE_TIME_SIZE, (byte) 0);
        return 0;
    }
}
