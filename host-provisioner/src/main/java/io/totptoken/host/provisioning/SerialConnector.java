package io.totptoken.host.provisioning;

import io.totptoken.host.transport.SerialTransport;
import io.totptoken.host.transport.Transport;
import java.util.List;

/**
 * Tokens on serial ports; kept apart from {@link TokenTarget} and {@link TokenConnection} so that
 * only serial targets load jSerialComm (the PC/SC and simulated paths never do).
 */
public final class SerialConnector {
    private SerialConnector() {
    }

    static Transport open(String path) {
        return SerialTransport.open(path);
    }

    /** The ports the system lists (USB CDC, UARTs); pseudo-terminals never appear. */
    public static List<String> ports() {
        return SerialTransport.ports();
    }

    /**
     * When the device reports that it waits for a press, tells the user; a simulated device
     * (HELLO flag) is pressed from here when the prompt says yes.
     */
    static void onTouch(Transport transport, TouchPrompt prompt, String label) {
        SerialTransport serial = (SerialTransport) transport;
        boolean simulated = serial.identity().simulated() && serial.identity().button();
        serial.onTouchRequested(new Runnable() {
            @Override
            public void run() {
                if (prompt.touch(label, simulated) && simulated) {
                    serial.press(false);
                }
            }
        });
    }

    /**
     * Presses the button of the simulated device on path: opens the port (HELLO), sends PRESS.
     *
     * @return the display's text, or null when the press went to a command waiting for a touch
     */
    public static String press(String path, boolean longPress) {
        try (SerialTransport t = SerialTransport.open(path)) {
            return t.press(longPress);
        }
    }
}
