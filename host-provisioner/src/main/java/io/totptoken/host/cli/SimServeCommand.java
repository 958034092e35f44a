package io.totptoken.host.cli;

import io.totptoken.host.provisioning.TokenTarget;
import io.totptoken.host.provisioning.VirtualReader;
import io.totptoken.host.provisioning.VirtualSerialDevice;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = {"Serve the simulated token (embedded, or --sim PATH) until Ctrl-C: as a virtual PC/SC "
    + "reader (--vpcd) or as a keyfob on a serial port (--serial PATH).",
    "--vpcd needs pcscd with the vpcd driver (Debian: vsmartcard-vpcd); any PC/SC client (ykman, tokenctl --reader) then sees it.",
    "--serial serves one end of a serial line (e.g. a socat pty pair); tokenctl --port OTHER-END talks to it.",
    "The token waits for a touch: each line on standard input presses its button (or --auto-touch)."})
final class SimServeCommand extends TokenCommand {
    static final String DEFAULT_VPCD = "localhost:35963";

    @Option(names = "--vpcd", paramLabel = "HOST:PORT", arity = "0..1", fallbackValue = DEFAULT_VPCD,
            description = "Connect to vpcd at HOST:PORT (default " + DEFAULT_VPCD + ", vpcd's first slot).")
    String vpcd;

    @Option(names = "--serial", paramLabel = "PATH", description = "Serve the token as a keyfob on the serial port PATH.")
    String serial;

    @Option(names = "--auto-touch", description = "Press the button whenever the token waits for a touch.")
    boolean autoTouch;

    SimServeCommand(Invocation run) {
        super(run);
        token.createsSimulated = true;
    }

    @Override
    public Integer call() {
        if ((vpcd == null) == (serial == null)) {
            throw new UsageException("sim serve needs one of --vpcd [HOST:PORT] or --serial PATH");
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // The bridge and the device report (dis)connections and failed saves through
            // java.util.logging: one line each.
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %5$s%6$s%n");
        }
        if (serial != null) {
            return serveSerial();
        }
        String[] hostPort = hostPort(vpcd);
        TokenTarget target = token.single(run);
        VirtualReader reader = VirtualReader.open(target, notices());
        announceCreated(target);
        // Ctrl-C: stop serving, save the token and release its file before the JVM ends.
        Runtime.getRuntime().addShutdownHook(new Thread(reader::close, "tokenctl-sim-stop"));
        if (autoTouch) {
            reader.onTouch(() -> true);
        } else {
            reader.onTouch(() -> {
                run.note("The token waits for a touch: press Enter.");
                return false;
            });
            Thread stdin = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    while (in.readLine() != null) {
                        reader.press();
                    }
                } catch (IOException e) {
                    // no input: the button is never pressed
                }
            }, "tokenctl-button");
            stdin.setDaemon(true);
            stdin.start();
        }
        run.note("Serving " + reader.label() + " as a vpcd reader at " + hostPort[0] + ":" + hostPort[1] + "; stop with Ctrl-C.");
        reader.serve(hostPort[0], Integer.parseInt(hostPort[1]));
        return ExitCodes.OK;
    }

    private int serveSerial() {
        TokenTarget target = token.single(run);
        VirtualSerialDevice device = VirtualSerialDevice.open(target, notices());
        announceCreated(target);
        // Ctrl-C: stop serving, save the token and release its file before the JVM ends.
        Runtime.getRuntime().addShutdownHook(new Thread(device::close, "tokenctl-sim-stop"));
        if (autoTouch) {
            device.onTouchWait(() -> device.press(false));
        } else {
            device.onTouchWait(() -> run.note("The token waits for a touch: press Enter (or tokenctl's prompt on the other end)."));
        }
        Thread stdin = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    String display = device.press(false);
                    if (display != null) {
                        run.note(display);
                    }
                }
            } catch (IOException e) {
                // no input: the button is pressed over the line only
            }
        }, "tokenctl-button");
        stdin.setDaemon(true);
        stdin.start();
        run.note("Serving " + device.label() + " on serial port " + serial + "; stop with Ctrl-C.");
        device.serve(serial);
        run.note("The serial line " + serial + " closed.");
        return ExitCodes.OK;
    }

    static String[] hostPort(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? text : text.substring(0, colon);
        String port = colon < 0 ? "35963" : text.substring(colon + 1);
        if (host.isEmpty()) {
            host = "localhost";
        }
        if (colon < 0 && text.chars().allMatch(Character::isDigit)) {
            host = "localhost";
            port = text;
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--vpcd: '" + text + "' is not HOST:PORT with a port from 1 to 65535");
        }
        return new String[] {host, port};
    }
}
