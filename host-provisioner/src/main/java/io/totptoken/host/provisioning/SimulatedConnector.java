package io.totptoken.host.provisioning;

import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.host.transport.StateCodec;
import io.totptoken.host.transport.Transport;
import io.totptoken.sim.SimulatedButton;
import io.totptoken.sim.SimulatedToken;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Simulated tokens; kept apart from {@link TokenTarget} so that only simulated targets load jCardSim. */
final class SimulatedConnector {
    private SimulatedConnector() {
    }

    static Transport open(Path file, boolean embedded, StateProtection protection, Consumer<String> notices,
            boolean forReset) {
        if (embedded) {
            TokenHome.createPrivate(file.getParent());
        }
        return SimulatorTransport.open(file, SimulatedToken.Config.defaults(),
                SimulatorTransport.Opening.defaults().withNotices(notices).replacingDamaged(forReset).sweeping(true),
                protection == null ? StateCodec.PLAIN : protection.codec());
    }

    /** When the token waits for its button, asks; a yes presses it. */
    static void onTouch(Transport transport, TouchPrompt prompt, String label) {
        SimulatedButton button = ((SimulatorTransport) transport).token().button();
        if (button != null) {
            button.onWait(new Runnable() {
                @Override
                public void run() {
                    if (prompt.touch(label, true)) {
                        button.press();
                    }
                }
            });
        }
    }
}
