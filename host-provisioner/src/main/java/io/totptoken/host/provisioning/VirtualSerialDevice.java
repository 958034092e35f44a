package io.totptoken.host.provisioning;

import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.host.transport.TransportException;
import io.totptoken.serial.SerialLineException;
import io.totptoken.sim.serial.SerialDevice;

/**
 * A simulated token served as a keyfob on a serial port (docs/serial-protocol.md): its state
 * file is rewritten after every command and press that changed it, before the answer goes out
 * (a change that cannot be written is undone and answered 6581, memory failure), and stays
 * locked against other tokenctl processes while served.
 */
public final class VirtualSerialDevice implements AutoCloseable {
    private final SimulatorTransport transport;
    private final SerialDevice device;

    private VirtualSerialDevice(SimulatorTransport transport) {
        this.transport = transport;
        this.device = new SerialDevice(transport.token())
                .saver(image -> transport.save())
                .buttonAction(longPress -> KeyfobButton.displayLine(transport, longPress));
    }

    /** Opens (or creates) the simulated token; serve with {@link #serve}. */
    public static VirtualSerialDevice open(TokenTarget target) {
        return open(target, null);
    }

    /** As {@link #open(TokenTarget)}, telling notices of a wait for the token's file or a state taken from its backup. */
    public static VirtualSerialDevice open(TokenTarget target, java.util.function.Consumer<String> notices) {
        if (!(target instanceof TokenTarget.Simulated sim)) {
            throw new TokenOperationException("only a simulated token can be served on a serial port, not " + target.label());
        }
        return new VirtualSerialDevice((SimulatorTransport) sim.connect(notices, false));
    }

    /** Told when a command starts waiting for a press of the button. */
    public VirtualSerialDevice onTouchWait(Runnable listener) {
        device.onTouchWait(listener);
        return this;
    }

    /** Serves path on this thread until the line closes or {@link #close}. */
    public void serve(String path) {
        try {
            device.serve(path);
        } catch (SerialLineException e) {
            throw new TransportException(e.getMessage(), e);
        }
    }

    /** Presses the device's own button; returns the display, or null when a waiting command took the press. */
    public String press(boolean longPress) {
        SerialDevice.PressOutcome o = device.press(longPress);
        return o.touch() ? null : o.display();
    }

    public String label() {
        return transport.description();
    }

    /** Stops serving, saves the token and releases its file. */
    @Override
    public void close() {
        device.stop();
        try {
            transport.save();
        } catch (TransportException e) {
            // The state after the last changing command was saved already.
        } finally {
            transport.close();
        }
    }
}
