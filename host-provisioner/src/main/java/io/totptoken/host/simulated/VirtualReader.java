package io.totptoken.host.simulated;

import io.totptoken.host.provisioning.TokenOperationException;
import io.totptoken.host.provisioning.TokenTarget;
import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.host.transport.TransportException;
import io.totptoken.sim.SimulatedButton;
import io.totptoken.sim.VpcdBridge;
import java.util.function.BooleanSupplier;

/**
 * A simulated token served as a virtual PC/SC reader through vpcd, its state file rewritten
 * after every command that changed it, before the answer goes out; a change that cannot be
 * written is undone and answered 6581 (memory failure). While served, the file stays locked
 * against other tokenctl processes.
 */
public final class VirtualReader implements AutoCloseable {
    /** SELECT, LIST, SEND REMAINING and TOKEN INFO leave the persistent memory as it was. */

    private final SimulatorTransport transport;
    private final VpcdBridge bridge;

    private VirtualReader(SimulatorTransport transport) {
        this.transport = transport;
        // Saved before the answer goes out; a save that fails is answered 6581 (memory failure).
        this.bridge = new VpcdBridge(transport.token()).saver(image -> transport.save());
    }

    /** Opens (or creates) the simulated token; serve with {@link #serve}. */
    public static VirtualReader open(TokenTarget target) {
        return open(target, null);
    }

    /** As {@link #open(TokenTarget)}, telling notices of a wait for the token's file or a state taken from its backup. */
    public static VirtualReader open(TokenTarget target, java.util.function.Consumer<String> notices) {
        if (!(target instanceof TokenTarget.Simulated sim)) {
            throw new TokenOperationException("only a simulated token can be served as a virtual reader, not " + target.label());
        }
        return new VirtualReader((SimulatorTransport) sim.connect(notices, false));
    }

    /** Presses the button when the token waits for a touch and {@code press} says yes. */
    public VirtualReader onTouch(BooleanSupplier press) {
        SimulatedButton button = transport.token().button();
        if (button != null) {
            button.onWait(() -> {
                if (press.getAsBoolean()) {
                    button.press();
                }
            });
        }
        return this;
    }

    /** Presses the simulated button once (a touch given ahead of the token's wait). */
    public void press() {
        SimulatedButton button = transport.token().button();
        if (button != null) {
            button.press();
        }
    }

    /** Serves vpcd at host:port on this thread until {@link #close}, reconnecting when vpcd goes away. */
    public void serve(String host, int port) {
        bridge.serve(host, port);
    }

    /** Starts serving on a background thread. */
    public VirtualReader start(String host, int port) {
        bridge.start(host, port);
        return this;
    }

    public boolean awaitConnected(long millis) {
        try {
            return bridge.awaitConnected(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public long commandCount() {
        return bridge.commandCount();
    }

    public String label() {
        return transport.description();
    }

    /** Stops serving, saves the token and releases its file. */
    @Override
    public void close() {
        bridge.stop();
        try {
            transport.save();
        } catch (TransportException e) {
            // The state after the last changing command was saved already.
        } finally {
            transport.close();
        }
    }
}
