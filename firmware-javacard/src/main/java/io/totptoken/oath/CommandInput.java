package io.totptoken.oath;

import javacard.framework.APDU;
import javacard.framework.APDUException;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;

/**
 * The opening every command handler shares: check P1 and P2, receive all of the command data,
 * start the TLV reader on it.
 */
final class CommandInput {
    private CommandInput() {
    }

    /** The largest offset a short can hold: no command may end beyond it, whatever the buffer's length. */
    private static final short MAX_OFFSET = (short) 0x7FFF;

    /**
     * Checks P1 and P2 ({@link #checkParams}), receives the data and starts tlv on it.
     *
     * @return the data length; the data starts at {@code apdu.getOffsetCdata()}
     */
    static short open(APDU apdu, Tlv tlv, byte maxP1, byte maxP2) {
        checkParams(apdu.getBuffer(), maxP1, maxP2);
        short len = receive(apdu);
        tlv.start(apdu.getOffsetCdata(), len);
        return len;
    }

    /** P1 must be within [0, maxP1] and P2 within [0, maxP2]; else 6A86. */
    static void checkParams(byte[] buf, byte maxP1, byte maxP2) {
        byte p1 = buf[ISO7816.OFFSET_P1];
        byte p2 = buf[ISO7816.OFFSET_P2];
        if (p1 < 0 || p1 > maxP1 || p2 < 0 || p2 > maxP2) {
            ISOException.throwIt(Protocol.SW_INCORRECT_P1P2);
        }
    }

    /**
     * Reads the whole command data into the APDU buffer, short or extended (Lc of three bytes);
     * answers 6700 when it does not fit. Lengths come from the APDU object, never from the
     * buffer's length: jCardSim's extended buffer is 32,777 bytes, negative as a short.
     *
     * @return the data length; the data starts at {@code apdu.getOffsetCdata()}
     */
    private static short receive(APDU apdu) {
        short received = apdu.setIncomingAndReceive();
        short total = apdu.getIncomingLength();
        short off = apdu.getOffsetCdata();
        // An extended Lc above 32767 reads as negative; one that would end past a short offset cannot be indexed.
        if (total < 0 || off < 0 || total > (short) (MAX_OFFSET - off)) {
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
        }
        try {
            while (received < total) {
                short got = apdu.receiveBytes((short) (off + received));
                if (got <= 0) {
                    ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
                }
                received += got;
            }
        } catch (APDUException e) {
            // The buffer has no room for the rest of the data (a card with a short buffer).
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
        }
        if (received != total) {
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
        }
        return total;
    }
}
