package io.totptoken.sim;

import com.licel.jcardsim.base.SimulatorRuntime;
import javacard.framework.AID;
import javacard.framework.Applet;

/** jCardSim's runtime, made to behave like a card's where it does not (REFERENCE section 7). */
final class TokenRuntime extends SimulatorRuntime {
    /** A real runtime aborts a transaction still open when process() returns or throws. */
    @Override
    public byte[] transmitCommand(byte[] command) {
        try {
            return super.transmitCommand(command);
        } finally {
            if (transactionDepth != 0) {
                abortTransaction();
            }
        }
    }

    private AID lastAid;
    private ApplicationInstance lastInstance;

    /**
     * jCardSim looks the selected applet up in a map ordered by AIDs turned into hex strings,
     * on every command; the answer for the same AID object never changes between installs,
     * so keep it.
     */
    @Override
    public ApplicationInstance lookupApplet(AID aid) {
        if (aid != null && aid == lastAid) {
            return lastInstance;
        }
        ApplicationInstance found = super.lookupApplet(aid);
        lastAid = aid;
        lastInstance = found;
        return found;
    }

    @Override
    protected void deleteApplet(AID aid) {
        lastAid = null;
        super.deleteApplet(aid);
    }

    @Override
    public void installApplet(AID loadFileAid, AID moduleAid, AID appletAid, byte[] data, short off, byte len) {
        lastAid = null;
        super.installApplet(loadFileAid, moduleAid, appletAid, data, off, len);
    }

    Applet applet(AID aid) {
        return getApplet(aid);
    }
}
