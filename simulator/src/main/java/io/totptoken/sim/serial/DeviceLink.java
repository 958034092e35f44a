package io.totptoken.sim.serial;

import static io.totptoken.serial.SerialProtocol.*;

import io.totptoken.serial.Damage;
import io.totptoken.serial.DeviceIdentity;
import io.totptoken.serial.Frame;
import io.totptoken.serial.FrameCodec;
import io.totptoken.serial.FrameDecoder;
import io.totptoken.sim.SimulatedButton;
import io.totptoken.sim.SimulatedToken;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The link protocol of a {@link SerialDevice} (docs/serial-protocol.md sections 5 to 8): the
 * reading thread answers frames at once (ACK, KEEPALIVE, repeats from the cache, NAK), commands
 * and keyfob presses go to the command thread, one at a time.
 *
 * <p>The link state and the {@link TouchWait} are guarded by this object's lock; every write to
 * the port happens under it too, so a frame of an ended session can never follow the HELLO
 * reply of the next one.
 */
final class DeviceLink {
    private static final System.Logger LOG = System.getLogger(SerialDevice.class.getName());

    private final SimulatedToken token;
    private final SimulatedButton button;
    private final StateSaving saving;
    private final Function<Boolean, String> keyfob;
    private final Runnable touchListener;
    private final TouchWait touch = new TouchWait();

    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong damagedIn = new AtomicLong();
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong naks = new AtomicLong();

    private DeviceLine line;
    private ExecutorService exec;
    private DeviceIdentity identity;
    private int epoch;
    private boolean session;
    private int lastSeq;
    private boolean executing;
    private byte[] cachedResponse;
    private int lastPressSeq = -1;
    private byte[] cachedPressReply;
    private long lastKeepalive;

    /**
     * @param keyfob        what a press does when no command waits for one (on the command thread)
     * @param touchListener told when a command starts waiting for a press
     */
    DeviceLink(SimulatedToken token, StateSaving saving, Function<Boolean, String> keyfob, Runnable touchListener) {
        this.token = token;
        this.button = token.button();
        this.saving = saving;
        this.keyfob = keyfob;
        this.touchListener = touchListener;
    }

    // ---- Life cycle (SerialDevice) ----

    /** A boot: a new identity, no host session; commands go to {@code exec}. */
    synchronized void boot(DeviceIdentity id, ExecutorService exec) {
        this.exec = exec;
        identity = id;
        epoch++;
        session = false;
        executing = false;
        cachedResponse = null;
        cachedPressReply = null;
    }

    /** What the line's reading thread hands over. */
    FrameDecoder.Sink sink() {
        return new FrameDecoder.Sink() {
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
                synchronized (DeviceLink.this) {
                    nak(d == Damage.TOO_LONG ? NAK_TOO_LONG : NAK_DAMAGED);
                }
            }
        };
    }

    synchronized void attach(DeviceLine l) {
        line = l;
    }

    /** The line served now, or null. */
    synchronized DeviceLine line() {
        return line;
    }

    /** Stopping: a touch wait is cancelled and what the session left running is not answered. */
    synchronized void end() {
        touch.cancel();
        epoch++;
    }

    synchronized void detach() {
        line = null;
    }

    synchronized boolean serving() {
        return line != null && line.reading();
    }

    synchronized DeviceIdentity identity() {
        return identity;
    }

    SerialDevice.Stats stats() {
        return new SerialDevice.Stats(framesIn.get(), damagedIn.get(), executed.get(), repeats.get(), naks.get());
    }

    // ---- Frames ----

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
            touch.cancel();
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
            reset.get(2L * SerialDevice.MAX_COMMAND_MILLIS, TimeUnit.MILLISECONDS);
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
            touch.commandStarted(myEpoch);
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
                touch.commandEnded();
            }
            Thread.interrupted(); // a cancelled touch wait leaves the flag set
        }
        executed.incrementAndGet();
        r = saving.settle(header, r); // stored before it is answered, or answered 6581
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

    /** Run by the device's timer a few times per keepalive interval. */
    void keepaliveTick() {
        long now = System.nanoTime();
        synchronized (this) {
            // A little early rather than late: the host's timer starts when it sent the request.
            if (executing && now - lastKeepalive >= TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_INTERVAL_MS * 3 / 4)) {
                keepalive();
            }
        }
    }

    private void keepalive() {
        byte[] p = ByteBuffer.allocate(5).put((byte) (touch.waiting() ? STATE_TOUCH : STATE_WORKING))
                .putInt((int) touch.millisLeft()).array();
        send(TYPE_KEEPALIVE, lastSeq, p);
        lastKeepalive = System.nanoTime();
    }

    // ---- The button ----

    /** Called by the card (on the command thread) when it starts waiting for a press. */
    void touchWanted() {
        long timeout = token.config().touchTimeoutMillis();
        synchronized (this) {
            if (touch.commandOfEndedSession(epoch)) {
                Thread.currentThread().interrupt(); // the wait ends at once, as a timeout
                return;
            }
            touch.begin(timeout);
            if (executing) {
                send(TYPE_EVENT, lastSeq, ByteBuffer.allocate(5).put((byte) EVENT_TOUCH_WANTED)
                        .putInt((int) Math.min(timeout, 0xFFFFFFFFL)).array());
            }
        }
        try {
            touchListener.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "touch listener failed: " + e);
        }
    }

    /** Gives a waiting command its press; false when none waits. */
    synchronized boolean releaseTouch() {
        if (!touch.take()) {
            return false;
        }
        button.press();
        if (executing) {
            send(TYPE_EVENT, lastSeq, (byte) EVENT_TOUCH_PRESSED);
        }
        return true;
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
                String text = keyfob.apply(longPress);
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
        byte[] p = new byte[1 + Math.min(text.length, SerialDevice.MAX_PAYLOAD - 1)];
        p[0] = (byte) result;
        System.arraycopy(text, 0, p, 1, p.length - 1);
        cachedPressReply = FrameCodec.encode(new Frame(TYPE_PRESS_REPLY, seq, p));
        write(cachedPressReply);
    }

    // ---- Writing, under this lock ----

    private void nak(int reason) {
        naks.incrementAndGet();
        send(TYPE_NAK, lastSeq & 0xFF, (byte) reason);
    }

    private void send(int type, int seq, byte... payload) {
        write(FrameCodec.encode(new Frame(type, seq & 0xFF, payload)));
    }

    private void write(byte[] wire) {
        if (line != null) {
            line.write(wire);
        }
    }
}
