package io.totptoken.sim.serial;

import static io.totptoken.serial.SerialProtocol.KEEPALIVE_INTERVAL_MS;

import io.totptoken.serial.DeviceIdentity;
import io.totptoken.sim.SimulatedButton;
import io.totptoken.sim.SimulatedToken;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The device end of the serial link (docs/serial-protocol.md): a simulated token behind a
 * serial port, as a microcontroller with a secure element, a button and a display would
 * serve it. One thread reads the line and answers link frames at once (ACK, KEEPALIVE,
 * repeats from the cache, NAK); another runs commands on the token, one at a time, so a
 * command that waits for a touch never stops the link. The protocol is {@link DeviceLink}'s,
 * the press a command waits for {@link TouchWait}'s, storing the state {@link StateSaving}'s;
 * this class starts, stops and configures them.
 *
 * <pre>
 * new SerialDevice(token).saver(image -&gt; ...).buttonAction(longPress -&gt; ...).serve("/dev/ttyGS0");
 * </pre>
 *
 * <p>The device takes the token's button over while it serves ({@link SimulatedButton#onWait}).
 */
public final class SerialDevice implements AutoCloseable {
    /** The largest frame payload this device accepts (reported in HELLO). */
    public static final int MAX_PAYLOAD = 1024;
    /** Longest command, a touch wait not counted: jCardSim takes milliseconds, a save an fsync. */
    public static final int MAX_COMMAND_MILLIS = 3_000;

    private static final System.Logger LOG = System.getLogger(SerialDevice.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the button does when no command waits for a press: the keyfob. */
    @FunctionalInterface
    public interface ButtonAction {
        /** @return what the display shows afterwards, or null for nothing */
        String pressed(boolean longPress);
    }

    /**
     * What a press did.
     *
     * @param touch   it went to a command waiting for a touch
     * @param display what the display shows (keyfob), or null
     */
    public record PressOutcome(boolean touch, String display) {
    }

    /** Counters since start, for tests and benchmarks. */
    public record Stats(long framesIn, long damagedIn, long commandsExecuted, long repeatsAnswered, long naksSent) {
    }

    private final SimulatedToken token;
    private final SimulatedButton button;
    private final StateSaving saving = new StateSaving();
    private final DeviceLink link;
    private volatile ButtonAction buttonAction;
    private volatile Runnable onTouchWait = () -> { };

    // Guarded by the link's lock.
    private String path;
    private ExecutorService exec;
    /** Keepalives: read wake-ups are too coarse for them (jSerialComm's read timeout is in tenths of a second). */
    private ScheduledExecutorService timer;
    private final Object stopLock = new Object();

    public SerialDevice(SimulatedToken token) {
        this.token = token;
        this.button = token.button();
        this.link = new DeviceLink(token, saving, this::keyfob, () -> onTouchWait.run());
    }

    /** Serves until the line closes or {@link #stop()}; the saver gets the state after each change. */
    public static void serve(String path, SimulatedToken token, Consumer<byte[]> saver) {
        new SerialDevice(token).saver(saver).serve(path);
    }

    /**
     * Receives the token's persistent state after every command that changed it, before the
     * answer goes out (write it atomically: the host may take the answer as done). When it
     * throws, the token goes back to its last stored state and the command is answered 6581
     * (memory failure), see {@link io.totptoken.sim.CommittingToken}.
     */
    public SerialDevice saver(Consumer<byte[]> saver) {
        saving.saver(token, saver);
        return this;
    }

    /** The keyfob: what a press does when no command waits for one; the device reports a display. */
    public SerialDevice buttonAction(ButtonAction action) {
        this.buttonAction = action;
        return this;
    }

    /** Also told when a command starts waiting for a press (the device's own console). */
    public SerialDevice onTouchWait(Runnable listener) {
        this.onTouchWait = listener == null ? () -> { } : listener;
        return this;
    }

    /** Opens the port and serves it on background threads. */
    public SerialDevice start(String path) {
        synchronized (link) {
            if (link.line() != null) {
                throw new IllegalStateException("already serving " + this.path);
            }
            this.path = path;
            exec = Executors.newSingleThreadExecutor(r -> daemon(r, "serial-device-exec"));
            boot();
            if (button != null) {
                button.onWait(link::touchWanted);
            }
            link.attach(new DeviceLine(path, MAX_PAYLOAD, link.sink()));
            timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "serial-device-keepalive"));
            timer.scheduleAtFixedRate(link::keepaliveTick, KEEPALIVE_INTERVAL_MS / 4, KEEPALIVE_INTERVAL_MS / 4,
                    TimeUnit.MILLISECONDS);
            LOG.log(Level.DEBUG, "serving token {0} on {1}", link.identity().serial(), path);
            return this;
        }
    }

    /** Serves on this thread until the line closes (the other end went away) or {@link #stop()}. */
    public void serve(String path) {
        DeviceLine l = start(path).link.line();
        try {
            l.awaitEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop();
        }
    }

    /**
     * Stops serving: a touch wait is cancelled, the state saved, the port closed. A second
     * caller (serve's own end, a shutdown hook) waits for the first and returns.
     */
    public void stop() {
        synchronized (stopLock) {
            stopNow();
        }
    }

    private void stopNow() {
        DeviceLine l;
        ScheduledExecutorService t;
        ExecutorService e;
        synchronized (link) {
            l = link.line();
            if (l == null) {
                return;
            }
            link.end();
            t = timer;
            e = exec;
        }
        l.close();
        t.shutdownNow();
        e.shutdown();
        try {
            e.awaitTermination(MAX_COMMAND_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        saving.save("the last command");
        synchronized (link) {
            if (button != null) {
                button.onWait(null);
            }
            link.detach();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Whether the device still serves (false once the line closed or it was stopped). */
    public boolean serving() {
        return link.serving();
    }

    /** What HELLO reports; its session number changes with every boot (start). */
    public DeviceIdentity identity() {
        return link.identity();
    }

    public Stats stats() {
        return link.stats();
    }

    /**
     * The device's button, pressed here (the simulated keyfob's own button): a command waiting
     * for a touch gets it; otherwise the {@link #buttonAction} runs after any command in progress.
     */
    public PressOutcome press(boolean longPress) {
        if (button == null) {
            return new PressOutcome(false, null);
        }
        if (link.releaseTouch()) {
            return new PressOutcome(true, null);
        }
        ExecutorService e;
        synchronized (link) {
            e = exec;
        }
        Future<String> f = e.submit(() -> keyfob(longPress));
        try {
            return new PressOutcome(false, f.get(MAX_COMMAND_MILLIS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return new PressOutcome(false, null);
        } catch (ExecutionException | TimeoutException ex) {
            return new PressOutcome(false, null);
        }
    }

    /** Runs the keyfob on the command thread, between commands. */
    private String keyfob(boolean longPress) {
        ButtonAction action = buttonAction;
        String text = null;
        if (action != null) {
            try {
                text = action.pressed(longPress);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the keyfob failed: " + e);
                text = "error";
            }
        }
        if (!saving.save("a press")) {
            text = "memory failure";
        }
        return text;
    }

    /** A boot: a new session number, no host session, nothing selected on the card. */
    private void boot() {
        DeviceIdentity last = link.identity();
        long nonce;
        do {
            nonce = RANDOM.nextInt() & 0xFFFFFFFFL;
        } while (nonce == 0 || (last != null && nonce == last.session()));
        DeviceIdentity id = TokenFacts.identity(token, buttonAction != null, nonce, MAX_PAYLOAD, MAX_COMMAND_MILLIS);
        link.boot(id, exec);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
