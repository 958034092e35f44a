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

    Applet applet(AID aid) {
        return getApplet(aid);
    }
}
