package io.totptoken.host.simulated;

import io.totptoken.host.provisioning.SerialConnector;
import io.totptoken.host.provisioning.TokenOperationException;
import io.totptoken.host.provisioning.TokenTarget;
import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.sim.Keyfob;

/**
 * The simulated keyfob's button, pressed from tokenctl: on a simulated token in this process
 * (its state saved afterwards: the press may move the selection and the last code time), or on
 * a simulated device served on a serial port (PRESS, docs/serial-protocol.md section 8).
 */
public final class KeyfobButton {
    private KeyfobButton() {
    }

    /**
     * Presses once; a long press selects the next credential first.
     *
     * @return the display, or null when the press went to a command waiting for a touch
     */
    public static KeyfobDisplay press(TokenTarget target, boolean longPress, java.util.function.Consumer<String> notices) {
        if (target instanceof TokenTarget.Serial serial) {
            String text = SerialConnector.press(serial.path(), longPress);
            return text == null ? null : KeyfobDisplay.of(Keyfob.Display.parse(text));
        }
        if (!(target instanceof TokenTarget.Simulated)) {
            throw new TokenOperationException("the button of " + target.label() + " is pressed by a finger; "
                    + "tokenctl presses simulated tokens only (--sim, --port, or the embedded token)");
        }
        SimulatorTransport transport = (SimulatorTransport) target.connect(notices, false);
        try {
            KeyfobDisplay d = KeyfobDisplay.of(show(transport, longPress));
            transport.save();
            return d;
        } finally {
            transport.close();
        }
    }

    /** What the keyfob firmware of a served device shows for a press (its display line). */
    static String displayLine(SimulatorTransport transport, boolean longPress) {
        return show(transport, longPress).toString();
    }

    private static Keyfob.Display show(SimulatorTransport transport, boolean longPress) {
        Keyfob fob = new Keyfob(transport.token());
        return longPress ? fob.longPress() : fob.press();
    }
}
