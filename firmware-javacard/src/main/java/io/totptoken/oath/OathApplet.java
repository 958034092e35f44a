package io.totptoken.oath;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Util;
import javacardx.apdu.ExtendedLength;
import javacard.security.RandomData;

/**
 * The YKOATH applet. {@link #process} only checks the class byte, finishes any repair a
 * power cut left, dispatches, and sends; each instruction lives in a small handler that
 * writes its answer at the start of the APDU buffer and returns its length.
 *
 * <p>Install parameters (the application-specific part of the install data, all optional):
 * bytes 0-1 the number of credential slots (default 200, at most 221), byte 2 the VALIDATE
 * tries before lock-out (default 8), byte 3 engines to leave unused (bit 0 precomputed
 * states, bit 1 native HMAC), bytes 4-7 the serial number (default 0).
 */
public final class OathApplet extends Applet implements ExtendedLength {
    private final CredentialCommands credentials;
    private final AccessCommands access;
    private final ClockCommands clockCommands;
    private final DeviceClock clock;
    private final CredentialStore store;
    private final ResponseChain chain;

    /** Offsets in the install parameters (docs/applet.md "Install parameters"). */
    private static final short SLOTS_PARAM = 0;
    private static final short TRIES_PARAM = 2;
    private static final short DISABLED_PARAM = 3;
    private static final short SERIAL_PARAM = 4;

    private OathApplet(byte[] params, short off, short len) {
        short slots = Protocol.DEFAULT_SLOTS;
        byte tries = Protocol.DEFAULT_TRIES;
        byte disabled = 0;
        if (len >= (short) (SLOTS_PARAM + 2)) {
            slots = Util.getShort(params, (short) (off + SLOTS_PARAM));
        }
        if (len > TRIES_PARAM) {
            tries = params[(short) (off + TRIES_PARAM)];
        }
        if (len > DISABLED_PARAM) {
            disabled = params[(short) (off + DISABLED_PARAM)];
        }
        if (slots < 1 || slots > Protocol.MAX_SLOTS || tries < 1) {
            ISOException.throwIt(Protocol.SW_WRONG_DATA);
        }
        Transients ram = new Transients(slots);
        byte[] scratch = ram.scratch;
        RandomData random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM);
        random.generateData(scratch, Transients.RESET_ID, Protocol.ID_LENGTH);
        DeviceState device = new DeviceState(tries, scratch, Transients.RESET_ID,
                len >= (short) (SERIAL_PARAM + Protocol.SERIAL_LENGTH) ? params : null, (short) (off + SERIAL_PARAM));
        HmacEngine hmac = new HmacEngine(disabled, ram);
        store = new CredentialStore(slots, device, ram);
        chain = new ResponseChain(store, ram);
        Tlv tlv = new Tlv(ram.tlvState);
        access = new AccessCommands(device, store, hmac, tlv, random, ram);
        clock = new DeviceClock(device);
        credentials = new CredentialCommands(store, hmac, tlv, chain, access, clock, scratch);
        clockCommands = new ClockCommands(clock, access, tlv, scratch);
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        if (bLength == 0) {
            new OathApplet(bArray, bOffset, (short) 0).register();
            return;
        }
        // Install data: [AID length][AID][control length][control][parameters length][parameters]
        short aidLen = bArray[bOffset];
        short at = (short) (bOffset + 1 + aidLen);
        at = (short) (at + 1 + bArray[at]);
        short paramLen = bArray[at];
        new OathApplet(bArray, (short) (at + 1), paramLen).register(bArray, (short) (bOffset + 1), (byte) aidLen);
    }

    public boolean select() {
        chain.reset();
        access.deselected();
        return true;
    }

    public void deselect() {
        chain.reset();
        access.deselected();
    }

    public void process(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        if (selectingApplet()) {
            store.repair();
            send(apdu, access.select(buf));
            return;
        }
        byte cla = buf[ISO7816.OFFSET_CLA];
        if ((cla & Protocol.CLA_CHAINING) != 0) {
            ISOException.throwIt(Protocol.SW_CHAINING_UNSUPPORTED);
        }
        if (cla != 0) {
            ISOException.throwIt(ISO7816.SW_CLA_NOT_SUPPORTED);
        }
        byte ins = buf[ISO7816.OFFSET_INS];
        if (ins == Protocol.INS_GET_RESPONSE) {
            ins = Protocol.INS_SEND_REMAINING;
        }
        if (ins != Protocol.INS_SEND_REMAINING) {
            chain.reset();
        }
        store.repair();
        short len;
        switch (ins) {
            case Protocol.INS_PUT:
                len = credentials.put(apdu);
                break;
            case Protocol.INS_DELETE:
                len = credentials.delete(apdu);
                break;
            case Protocol.INS_RENAME:
                len = credentials.rename(apdu);
                break;
            case Protocol.INS_LIST:
                len = credentials.list(apdu);
                break;
            case Protocol.INS_CALCULATE:
                len = credentials.calculate(apdu);
                break;
            case Protocol.INS_CALCULATE_ALL:
                len = credentials.calculateAll(apdu);
                break;
            case Protocol.INS_SEND_REMAINING:
                len = credentials.sendRemaining(apdu);
                break;
            case Protocol.INS_SET_CODE:
                len = access.setCode(apdu);
                break;
            case Protocol.INS_VALIDATE:
                len = access.validate(apdu);
                break;
            case Protocol.INS_RESET:
                len = access.reset(apdu);
                clock.forget();
                chain.reset();
                break;
            case Protocol.INS_TOKEN_INFO:
                len = access.info(apdu);
                break;
            case Protocol.INS_GET_CLOCK:
                len = clockCommands.get(apdu);
                break;
            case Protocol.INS_SET_CLOCK:
                len = clockCommands.set(apdu);
                break;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
                return;
        }
        send(apdu, len);
        if (chain.active()) {
            short more = chain.remaining(credentials);
            if (more > 0) {
                ISOException.throwIt((short) (Protocol.SW_MORE_DATA | (more & 0xFF)));
            }
        }
    }

    private static void send(APDU apdu, short len) {
        if (len > 0) {
            apdu.setOutgoingAndSend((short) 0, len);
        }
    }
}
