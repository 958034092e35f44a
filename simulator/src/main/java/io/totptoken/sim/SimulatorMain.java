package io.totptoken.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Runs a simulated token in the vpcd virtual reader until killed.
 *
 * <pre>
 * java -cp ... io.totptoken.sim.SimulatorMain --vpcd [HOST:PORT] [--state FILE]
 *                                             [--touch-timeout MS] [--auto-touch]
 * </pre>
 *
 * <p>{@code --state FILE}: the token is loaded from FILE when it exists, and FILE is rewritten
 * (write to a temporary file, then rename) after every command that changed the token's
 * persistent memory, and once more at shutdown; a kill at any moment leaves the last complete
 * state. The file holds the keys: it is created readable by its owner only.
 *
 * <p>The button: each line read from standard input presses it once; with {@code --auto-touch}
 * it is pressed whenever the card waits for it. {@code --touch-timeout} (default 15000 ms)
 * applies only to a new token; a loaded one keeps the settings it was made with.
 */
public final class SimulatorMain {
    private static final String USAGE = "usage: SimulatorMain --vpcd [HOST:PORT] [--state FILE] "
            + "[--touch-timeout MS] [--auto-touch]";

    private final Path stateFile;
    private byte[] saved;

    private SimulatorMain(Path stateFile) {
        this.stateFile = stateFile;
    }

    public static void main(String[] args) throws IOException {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %5$s%6$s%n");
        }
        String host = VpcdBridge.DEFAULT_HOST;
        int port = VpcdBridge.DEFAULT_PORT;
        Path state = null;
        long touchTimeout = SimulatedToken.Config.defaults().touchTimeoutMillis();
        boolean autoTouch = false;
        boolean vpcd = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--vpcd" -> {
                        vpcd = true;
                        if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            String[] hp = parseHostPort(args[++i], host, port);
                            host = hp[0];
                            port = Integer.parseInt(hp[1]);
                        }
                    }
                    case "--state" -> state = Path.of(value(args, ++i));
                    case "--touch-timeout" -> touchTimeout = Long.parseLong(value(args, ++i));
                    case "--auto-touch" -> autoTouch = true;
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (!vpcd) {
                throw new IllegalArgumentException("--vpcd is required (the only transport so far)");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }

        SimulatorMain main = new SimulatorMain(state);
        SimulatedToken loaded;
        try {
            loaded = main.load(SimulatedToken.Config.defaults().withButton(true, touchTimeout));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("cannot load " + state + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        SimulatedToken token = loaded;
        wireButton(token.button(), autoTouch);
        VpcdBridge bridge = new VpcdBridge(token);
        if (state != null) {
            bridge.afterCommand(header -> {
                if (SimulatedToken.mayChangeState(header)) {
                    main.save(token);
                }
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bridge.stop();
            if (main.stateFile != null) {
                main.save(token);
            }
        }, "simulator-shutdown"));
        System.err.printf("token in vpcd reader at %s:%d%s; stop with Ctrl-C%n", host, port,
                state == null ? "" : ", state in " + state);
        bridge.serve(host, port);
    }

    private SimulatedToken load(SimulatedToken.Config config) throws IOException {
        if (stateFile != null && Files.exists(stateFile)) {
            SimulatedToken token = SimulatedToken.fromState(Files.readAllBytes(stateFile));
            saved = token.saveState();
            return token;
        }
        return new SimulatedToken(config);
    }

    private synchronized void save(SimulatedToken token) {
        byte[] image = token.saveState();
        if (Arrays.equals(image, saved)) {
            return;
        }
        try {
            Path dir = stateFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(stateFile.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.write(tmp, image);
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            saved = image;
        } catch (IOException e) {
            // Keep serving: the user sees the problem and the last good file stays in place.
            System.err.println("cannot save the token state to " + stateFile + ": " + e);
        }
    }

    private static void wireButton(SimulatedButton button, boolean autoTouch) {
        if (button == null) {
            return;
        }
        if (autoTouch) {
            button.onWait(button::press);
            return;
        }
        button.onWait(() -> System.err.println("the token waits for a touch: press Enter"));
        Thread stdin = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    button.press();
                }
            } catch (IOException ignored) {
                // no terminal: the button is simply never pressed
            }
        }, "button");
        stdin.setDaemon(true);
        stdin.start();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** "HOST:PORT", "HOST" or "PORT". */
    static String[] parseHostPort(String s, String host, int port) {
        int colon = s.lastIndexOf(':');
        String h = host;
        String p = Integer.toString(port);
        if (colon >= 0) {
            h = colon == 0 ? host : s.substring(0, colon);
            p = s.substring(colon + 1);
        } else if (s.chars().allMatch(Character::isDigit)) {
            p = s;
        } else {
            h = s;
        }
        try {
            int n = Integer.parseInt(p);
            if (n < 1 || n > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + p);
        }
        return new String[] {h, p};
    }
}
