package io.totptoken.sim;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A served token whose every change is stored before its answer goes out, as a card's EEPROM
 * write ends before its status word: a client that reads success may take the change as kept.
 * When the saver fails (a full disk, a read-only directory), the token in memory goes back to
 * the last image that was stored and the command is answered 6581, ISO 7816-4's "memory
 * failure", so the client is told and the token serves on with what is on disk.
 *
 * <p>One exception: a VALIDATE that cannot be stored keeps its spent try in memory. Undoing it
 * would make every wrong guess free for as long as the disk stays full.
 */
public final class CommittingToken {
    /** ISO 7816-4 5.1.3: execution error, state of non-volatile memory changed, memory failure. */
    public static final int SW_MEMORY_FAILURE = 0x6581;
    /** YKOATH VALIDATE: it spends a password try. */
    private static final int INS_VALIDATE = 0xA3;
    private static final System.Logger LOG = System.getLogger(CommittingToken.class.getName());

    private final SimulatedToken token;
    private final Consumer<byte[]> saver;
    private byte[] lastSaved;

    /**
     * @param saver stores an image of the token's persistent state (atomically); throws a
     *              RuntimeException when it cannot
     */
    public CommittingToken(SimulatedToken token, Consumer<byte[]> saver) {
        this.token = token;
        this.saver = saver;
        this.lastSaved = token.saveState();
    }

    public SimulatedToken token() {
        return token;
    }

    /** Runs a command; one that changed the token is answered only once the change is stored. */
    public synchronized byte[] transmit(byte[] apdu) {
        return settle(apdu, token.transmit(apdu));
    }

    /**
     * The answer to give for a command the token has just run: its own response once any change
     * it made is stored, else 6581. Call it with the thread's interrupt cleared (a cancelled
     * touch wait sets it), or the save's file channel closes itself.
     *
     * @param header the command, or at least its first 4 bytes (CLA INS P1 P2)
     */
    public synchronized byte[] settle(byte[] header, byte[] response) {
        if (!SimulatedToken.mayChangeState(header) || commit("INS " + String.format("%02X", header[1] & 0xFF),
                (header[1] & 0xFF) != INS_VALIDATE)) {
            return response;
        }
        Arrays.fill(response, (byte) 0); // a code computed from a counter that was not kept
        return new byte[] {(byte) (SW_MEMORY_FAILURE >> 8), (byte) SW_MEMORY_FAILURE};
    }

    /**
     * Stores the token's state if it changed since the last store; when that fails, puts the
     * token back as it was stored and logs one line (what, and the saver's reason: no secret).
     *
     * @param what what made the change, for the log ("INS 01", "a press")
     * @return whether the state on disk is the token's state now
     */
    public synchronized boolean commit(String what) {
        return commit(what, true);
    }

    private boolean commit(String what, boolean undoOnFailure) {
        byte[] image = token.saveState();
        if (Arrays.equals(image, lastSaved)) {
            return true;
        }
        try {
            saver.accept(image.clone());
            lastSaved = image;
            return true;
        } catch (RuntimeException e) {
            Arrays.fill(image, (byte) 0);
            if (undoOnFailure) {
                token.restore(lastSaved);
            }
            LOG.log(Level.WARNING, "cannot save the token state after {0}: {1}; {2}", what,
                    e.getMessage(), undoOnFailure ? "the token is back to its last saved state" : "the spent try stays in memory");
            return false;
        }
    }
}
