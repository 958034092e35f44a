package io.totptoken.sim.serial;

import static io.totptoken.serial.SerialProtocol.*;

import io.totptoken.serial.Damage;
import io.totptoken.serial.DeviceIdentity;
import io.totptoken.serial.Frame;
import io.totptoken.serial.FrameCodec;
import io.totptoken.serial.FrameDecoder;
import io.totptoken.sim.CommittingToken;
import io.totptoken.sim.SimulatedButton;
import io.totptoken.sim.SimulatedToken;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The device end of the serial link (docs/serial-protocol.md): a simulated token behind a
 * serial port, as a microcontroller with a secure element, a button and a display would
 * serve it. One thread reads the line and answers link frames at once (ACK, KEEPALIVE,
 * repeats from the cache, NAK); another runs commands on the token, one at a time, so a
 * command that waits for a touch never stops the link.
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
    private volatile CommittingToken committing;
    private volatile ButtonAction buttonAction;
    private volatile Runnable onTouchWait = () -> { };

    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong damagedIn = new AtomicLong();
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong naks = new AtomicLong();

    private DeviceLine line;
    private String path;
    private DeviceIdentity identity;
    private ExecutorService exec;
    /** Keepalives: read wake-ups are too coarse for them (jSerialComm's read timeout is in tenths of a second). */
    private ScheduledExecutorService timer;
    private final Object stopLock = new Object();

    // Link state, guarded by this; every write to the port happens under this lock too, so a
    // frame of an ended session can never follow the HELLO reply of the next one.
    private int epoch;
    private boolean session;
    private int lastSeq;
    private boolean executing;
    private byte[] cachedResponse;
    private int lastPressSeq = -1;
    private byte[] cachedPressReply;
    private Thread execThread;
    /** The session of the command running now: a command of an ended session never waits for a touch. */
    private int execEpoch;
    private boolean touchWaiting;
    private boolean touchPressed;
    private long touchDeadline;
    private long lastKeepalive;

    public SerialDevice(SimulatedToken token) {
        this.token = token;
        this.button = token.button();
    }

    /** Serves until the line closes or {@link #stop()}; the saver gets the state after each change. */
    public static void serve(String path, SimulatedToken token, Consumer<byte[]> saver) {
        new SerialDevice(token).saver(saver).serve(path);
    }

    /**
     * Receives the token's persistent state after every command that changed it, before the
     * answer goes out (write it atomically: the host may take the answer as done). When it
     * throws, the token goes back to its last stored state and the command is answered 6581
     * (memory failure), see {@link CommittingToken}.
     */
    public SerialDevice saver(Consumer<byte[]> saver) {
        this.committing = saver == null ? null : new CommittingToken(token, saver);
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
    public synchronized SerialDevice start(String path) {
        if (line != null) {
            throw new IllegalStateException("already serving " + this.path);
        }
        this.path = path;
        exec = Executors.newSingleThreadExecutor(r -> daemon(r, "serial-device-exec"));
        boot();
        if (button != null) {
            button.onWait(this::touchWanted);
        }
        line = new DeviceLine(path, MAX_PAYLOAD, new FrameDecoder.Sink() {
            @Override
            public void frame(Frame f) {
                framesIn.incrementAndGet();
                try {
                    onFrame(f);
                } catch (RejectedExecutionException e) {
                    // stopping: the command thread is gone
                }
            }

            @Override
            public void damaged(Damage d) {
                damagedIn.incrementAndGet();
                LOG.log(Level.DEBUG, "damaged frame in: {0}", d);
                synchronized (SerialDevice.this) {
                    nak(d == Damage.TOO_LONG ? NAK_TOO_LONG : NAK_DAMAGED);
                }
            }
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "serial-device-keepalive"));
        timer.scheduleAtFixedRate(this::keepaliveTick, KEEPALIVE_INTERVAL_MS / 4, KEEPALIVE_INTERVAL_MS / 4,
                TimeUnit.MILLISECONDS);
        LOG.log(Level.DEBUG, "serving token {0} on {1}", identity.serial(), path);
        return this;
    }

    /** Serves on this thread until the line closes (the other end went away) or {@link #stop()}. */
    public void serve(String path) {
        DeviceLine l = start(path).line;
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
        synchronized (this) {
            l = line;
            if (l == null) {
                return;
            }
            cancelTouchWait();
            epoch++;
        }
        l.close();
        timer.shutdownNow();
        exec.shutdown();
        try {
            exec.awaitTermination(MAX_COMMAND_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        save("the last command");
        synchronized (this) {
            if (button != null) {
                button.onWait(null);
            }
            line = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Whether the device still serves (false once the line closed or it was stopped). */
    public synchronized boolean serving() {
        return line != null && line.reading();
    }

    /** What HELLO reports; its session number changes with every boot (start). */
    public synchronized DeviceIdentity identity() {
        return identity;
    }

    public Stats stats() {
        return new Stats(framesIn.get(), damagedIn.get(), executed.get(), repeats.get(), naks.get());
    }

    /**
     * The device's button, pressed here (the simulated keyfob's own button): a command waiting
     * for a touch gets it; otherwise the {@link #buttonAction} runs after any command in progress.
     */
    public PressOutcome press(boolean longPress) {
        if (button == null) {
            return new PressOutcome(false, null);
        }
        synchronized (this) {
            if (releaseTouch()) {
                return new PressOutcome(true, null);
            }
        }
        Future<String> f = exec.submit(() -> keyfob(longPress));
        try {
            return new PressOutcome(false, f.get(MAX_COMMAND_MILLIS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PressOutcome(false, null);
        } catch (ExecutionException | TimeoutException e) {
            return new PressOutcome(false, null);
        }
    }

    // ---- The line ----

    private void onFrame(Frame f) {
        switch (f.type()) {
            case TYPE_HELLO -> hello(f);
            case TYPE_APDU -> apdu(f);
            case TYPE_PRESS -> pressFrame(f);
            case TYPE_NAK -> {
                synchronized (this) {
                    resendLast();
                }
            }
            // Our own frame types coming back mean an echoing line: answering them would loop.
            case TYPE_ACK, TYPE_HELLO_REPLY, TYPE_RESPONSE, TYPE_KEEPALIVE, TYPE_EVENT, TYPE_PRESS_REPLY -> { }
            default -> {
                synchronized (this) {
                    nak(NAK_UNKNOWN_TYPE);
                }
            }
        }
    }

    /** A new host session: whatever the last one left running is cancelled, the card reset. */
    private void hello(Frame f) {
        synchronized (this) {
            cancelTouchWait();
            epoch++;
            session = true;
            lastSeq = f.seq();
            executing = false;
            cachedResponse = null;
            lastPressSeq = -1;
            cachedPressReply = null;
        }
        // After whatever is still queued or running (a touch wait is cancelled, so that takes
        // milliseconds), the new session starts with nothing selected, as a card in a reader.
        Future<?> reset = exec.submit(token::powerCycle);
        try {
            reset.get(2L * MAX_COMMAND_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "the card did not reset for a new session: " + e);
        }
        synchronized (this) {
            send(TYPE_HELLO_REPLY, f.seq(), identity.encode());
        }
    }

    private synchronized void apdu(Frame f) {
        if (!session) {
            nak(NAK_NO_SESSION);
            return;
        }
        int seq = f.seq();
        if (seq == lastSeq) {
            repeats.incrementAndGet();
            if (!resendLast()) {
                nak(NAK_SEQUENCE); // the HELLO's own number, or a repeat of nothing
            }
            return;
        }
        if (seq != ((lastSeq + 1) & 0xFF) || executing) {
            nak(NAK_SEQUENCE);
            return;
        }
        if (f.payload().length == 0) {
            nak(NAK_BAD_PAYLOAD);
            return;
        }
        lastSeq = seq;
        executing = true;
        cachedResponse = null;
        lastKeepalive = System.nanoTime();
        send(TYPE_ACK, seq);
        int myEpoch = epoch;
        exec.execute(() -> execute(myEpoch, seq, f.payload()));
    }

    private void execute(int myEpoch, int seq, byte[] command) {
        synchronized (this) {
            execThread = Thread.currentThread();
            execEpoch = myEpoch;
        }
        byte[] header = Arrays.copyOf(command, Math.min(4, command.length));
        byte[] r;
        try {
            r = token.transmit(command);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the token failed a command: " + e.getClass().getSimpleName());
            r = new byte[] {0x6F, 0x00};
        } finally {
            Arrays.fill(command, (byte) 0);
            synchronized (this) {
                touchWaiting = false;
                execThread = null;
            }
            Thread.interrupted(); // a cancelled touch wait leaves the flag set
        }
        executed.incrementAndGet();
        CommittingToken c = committing;
        if (c != null) {
            r = c.settle(header, r); // stored before it is answered, or answered 6581
        }
        byte[] wire = FrameCodec.encode(new Frame(TYPE_RESPONSE, seq, r));
        synchronized (this) {
            if (myEpoch == epoch && seq == lastSeq) {
                executing = false;
                cachedResponse = wire;
                write(wire);
            }
        }
    }

    /** Answers a repeated request or a NAK: the cached answer, or a keepalive while working. */
    private boolean resendLast() {
        boolean any = false;
        if (cachedResponse != null) {
            write(cachedResponse);
            any = true;
        } else if (executing) {
            keepalive();
            any = true;
        }
        if (cachedPressReply != null) {
            write(cachedPressReply);
            any = true;
        }
        return any;
    }

    private void keepaliveTick() {
        long now = System.nanoTime();
        synchronized (this) {
            // A little early rather than late: the host's timer starts when it sent the request.
            if (executing && now - lastKeepalive >= TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_INTERVAL_MS * 3 / 4)) {
                keepalive();
            }
        }
    }

    private void keepalive() {
        long left = touchWaiting ? Math.max(0, TimeUnit.NANOSECONDS.toMillis(touchDeadline - System.nanoTime())) : 0;
        byte[] p = ByteBuffer.allocate(5).put((byte) (touchWaiting ? STATE_TOUCH : STATE_WORKING))
                .putInt((int) left).array();
        send(TYPE_KEEPALIVE, lastSeq, p);
        lastKeepalive = System.nanoTime();
    }

    // ---- The button ----

    /** Called by the card (on the command thread) when it starts waiting for a press. */
    private void touchWanted() {
        long timeout = token.config().touchTimeoutMillis();
        synchronized (this) {
            if (execEpoch != epoch) {
                Thread.currentThread().interrupt(); // the wait ends at once, as a timeout
                return;
            }
            touchWaiting = true;
            touchPressed = false;
            touchDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
            if (executing) {
                send(TYPE_EVENT, lastSeq, ByteBuffer.allocate(5).put((byte) EVENT_TOUCH_WANTED)
                        .putInt((int) Math.min(timeout, 0xFFFFFFFFL)).array());
            }
        }
        try {
            onTouchWait.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "touch listener failed: " + e);
        }
    }

    /** Gives a waiting command its press; false when none waits. Under this lock. */
    private boolean releaseTouch() {
        if (!touchWaiting || touchPressed) {
            return false;
        }
        touchPressed = true;
        button.press();
        if (executing) {
            send(TYPE_EVENT, lastSeq, (byte) EVENT_TOUCH_PRESSED);
        }
        return true;
    }

    /** Ends a touch wait as if it timed out (a new session, or the device stops). Under this lock. */
    private void cancelTouchWait() {
        if (touchWaiting && !touchPressed && execThread != null) {
            execThread.interrupt();
        }
    }

    private synchronized void pressFrame(Frame f) {
        if (!session) {
            nak(NAK_NO_SESSION);
            return;
        }
        if (f.payload().length != 1) {
            nak(NAK_BAD_PAYLOAD);
            return;
        }
        int seq = f.seq();
        if (seq == lastPressSeq) {
            if (cachedPressReply != null) {
                write(cachedPressReply);
            }
            return; // still working on it: the reply follows
        }
        lastPressSeq = seq;
        cachedPressReply = null;
        if (button == null) {
            pressReply(seq, PRESSED_NO_BUTTON, null);
        } else if (releaseTouch()) {
            pressReply(seq, PRESSED_TOUCH, null);
        } else {
            boolean longPress = f.code() == PRESS_LONG;
            int myEpoch = epoch;
            exec.execute(() -> {
                String text = keyfob(longPress);
                synchronized (this) {
                    if (myEpoch == epoch && seq == lastPressSeq) {
                        pressReply(seq, PRESSED_KEYFOB, text);
                    }
                }
            });
        }
    }

    private void pressReply(int seq, int result, String display) {
        byte[] text = display == null ? new byte[0] : display.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[1 + Math.min(text.length, MAX_PAYLOAD - 1)];
        p[0] = (byte) result;
        System.arraycopy(text, 0, p, 1, p.length - 1);
        cachedPressReply = FrameCodec.encode(new Frame(TYPE_PRESS_REPLY, seq, p));
        write(cachedPressReply);
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
        if (!save("a press")) {
            text = "memory failure";
        }
        return text;
    }

    // ---- State and identity ----

    /** A boot: a new session number, no host session, nothing selected on the card. */
    private void boot() {
        long nonce;
        do {
            nonce = RANDOM.nextInt() & 0xFFFFFFFFL;
        } while (nonce == 0 || (identity != null && nonce == identity.session()));
        DeviceIdentity id = TokenFacts.identity(token, buttonAction != null, nonce, MAX_PAYLOAD, MAX_COMMAND_MILLIS);
        synchronized (this) {
            identity = id;
            epoch++;
            session = false;
            executing = false;
            cachedResponse = null;
            cachedPressReply = null;
        }
    }

    /** Hands the state to the saver when it changed; false when it could not be stored (and was undone). */
    private boolean save(String what) {
        CommittingToken c = committing;
        return c == null || c.commit(what);
    }

    // ---- Writing ----

    private void nak(int reason) {
        naks.incrementAndGet();
        send(TYPE_NAK, lastSeq & 0xFF, (byte) reason);
    }

    private void send(int type, int seq, byte... payload) {
        write(FrameCodec.encode(new Frame(type, seq & 0xFF, payload)));
    }

    /** Under this lock. */
    private void write(byte[] wire) {
        if (line != null) {
            line.write(wire);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
