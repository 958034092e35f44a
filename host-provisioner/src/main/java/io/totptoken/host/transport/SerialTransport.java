package io.totptoken.host.transport;

import static io.totptoken.serial.SerialProtocol.*;

import com.fazecast.jSerialComm.SerialPort;
import io.totptoken.serial.Damage;
import io.totptoken.serial.DeviceIdentity;
import io.totptoken.serial.Frame;
import io.totptoken.serial.FrameCodec;
import io.totptoken.serial.SerialLineException;
import io.totptoken.serial.SerialPorts;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A token on a serial line (USB CDC or a UART), through jSerialComm and the framed link of
 * docs/serial-protocol.md: HELLO on open, then one APDU at a time, each acknowledged, kept
 * alive while the device works, resent after silence or a NAK, and answered from the
 * device's cache when it is a repeat, so no command ever runs twice. Every {@link #transmit}
 * returns or throws within a bound: the tries times the retransmission timeout, plus the
 * device's longest command, plus its touch timeout when it reports a touch wait, plus 1 s.
 *
 * <p>A failure whose outcome is unknown (silence, a restart, a closed line) ends the link:
 * later calls fail at once and the caller opens the token again.
 */
public final class SerialTransport implements Transport {
    private static final long SLACK_MS = 1_000;

    /**
     * Link timing and line settings.
     *
     * @param retransmit resend when nothing about the request arrived for this long
     * @param tries      sends in a row without a sign of life before giving up
     * @param baud       the line speed of a UART (USB CDC and pseudo-terminals ignore it)
     */
    public record Options(Duration retransmit, int tries, int baud) {
        public Options {
            if (retransmit.toMillis() < MIN_RETRANSMIT_MS || tries < 1 || baud <= 0) {
                throw new IllegalArgumentException("retransmit at least " + MIN_RETRANSMIT_MS + " ms, tries at least 1");
            }
        }

        public static Options defaults() {
            return new Options(Duration.ofMillis(DEFAULT_RETRANSMIT_MS), DEFAULT_TRIES, SerialPorts.DEFAULT_BAUD);
        }

        public Options withRetransmit(Duration d) {
            return new Options(d, tries, baud);
        }

        public Options withTries(int n) {
            return new Options(retransmit, n, baud);
        }

        public Options withBaud(int b) {
            return new Options(retransmit, tries, b);
        }
    }

    /** Counters since open: frames and bytes each way (flags and escapes included), resends, damage. */
    public record Stats(long framesSent, long framesReceived, long bytesSent, long bytesReceived,
                        long resends, long damagedReceived) {
    }

    private final String path;
    private final Options options;
    private final SerialLine line;
    private final ExecutorService listeners =
            Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "serial-touch");
                t.setDaemon(true);
                return t;
            });
    private final Object transmitLock = new Object();
    private final Object pressLock = new Object();
    private DeviceIdentity identity;
    private int lastSeq;
    private int pressSeq;
    private long resends;
    private volatile String broken;
    private volatile Runnable onTouchRequested = () -> { };
    private volatile Runnable onTouchPressed = () -> { };

    private SerialTransport(String path, Options options, SerialLine line) {
        this.path = path;
        this.options = options;
        this.line = line;
    }

    /** Opens the port at path (taken as given: ptys are never listed) and says HELLO. */
    public static SerialTransport open(String path) {
        return open(path, Options.defaults());
    }

    public static SerialTransport open(String path, Options options) {
        SerialLine line;
        try {
            line = new SerialLine(path, options.baud());
        } catch (SerialLineException e) {
            throw new TransportException(e.getMessage(), e);
        }
        SerialTransport t = new SerialTransport(path, options, line);
        try {
            t.hello();
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** Serial ports the system lists (USB CDC, UARTs). Pseudo-terminals are never listed; open them by path. */
    public static List<String> ports() {
        List<String> out = new ArrayList<>();
        for (SerialPort p : SerialPort.getCommPorts()) {
            out.add(p.getSystemPortPath());
        }
        return out;
    }

    /** What the device said about itself in HELLO. */
    public DeviceIdentity identity() {
        return identity;
    }

    /** Called (on a thread of its own) when the token starts waiting for a press of its button. */
    public void onTouchRequested(Runnable listener) {
        this.onTouchRequested = listener == null ? () -> { } : listener;
    }

    /** Called (on a thread of its own) when the token reports the press it waited for. */
    public void onTouchPressed(Runnable listener) {
        this.onTouchPressed = listener == null ? () -> { } : listener;
    }

    public Stats stats() {
        return new Stats(line.framesSent.get(), line.framesReceived.get(), line.bytesSent.get(),
                line.bytesReceived.get(), resends, line.damaged.get());
    }

    @Override
    public byte[] transmit(byte[] apdu) {
        synchronized (transmitLock) {
            if (broken != null) {
                throw new TransportException(broken);
            }
            if (apdu.length == 0 || apdu.length > identity.maxPayload()) {
                throw new TransportException("a command of " + apdu.length + " bytes does not fit the token on "
                        + path + " (it takes 1 to " + identity.maxPayload() + ")");
            }
            int seq = (lastSeq + 1) & 0xFF;
            byte[] wire = FrameCodec.encode(new Frame(TYPE_APDU, seq, apdu));
            try {
                Frame r = exchange(wire, seq, TYPE_RESPONSE, identity.maxCommandMillis());
                lastSeq = seq;
                return r.payload();
            } catch (TransportException e) {
                broken = "the link to the token on " + path + " was lost earlier (" + e.getMessage() + "); open it again";
                throw e;
            } finally {
                Arrays.fill(wire, (byte) 0); // a PUT carries the key
            }
        }
    }

    /**
     * Presses the button of a simulated device (HELLO said so) from here: a command waiting for
     * a touch gets it, else the device's keyfob acts. May be called while another thread waits
     * in {@link #transmit}.
     *
     * @return what the device's display shows, or null when the press went to a waiting command
     */
    public String press(boolean longPress) {
        if (!identity.simulated()) {
            throw new TransportException("the token on " + path + " is a real device: press its button");
        }
        if (!identity.button()) {
            throw new TransportException("the token on " + path + " has no button");
        }
        synchronized (pressLock) {
            if (line.closed()) {
                throw closed();
            }
            BlockingQueue<Object> inbox = line.pressInbox();
            inbox.clear();
            int seq = pressSeq++ & 0xFF;
            Frame press = Frame.of(TYPE_PRESS, seq, (byte) (longPress ? PRESS_LONG : PRESS_SHORT));
            long rto = options.retransmit().toMillis();
            for (int sent = 1; ; sent++) {
                line.send(press);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sent == 1 ? rto + 2L * identity.maxCommandMillis() : rto);
                Object o;
                while ((o = poll(inbox, deadline)) != null) {
                    if (o == SerialLine.CLOSED) {
                        throw closed();
                    }
                    Frame f = (Frame) o;
                    if (f.seq() == seq && f.payload().length >= 1) {
                        if (f.code() == PRESSED_TOUCH) {
                            return null;
                        }
                        return new String(f.payload(), 1, f.payload().length - 1, StandardCharsets.UTF_8);
                    }
                }
                if (sent >= options.tries()) {
                    throw new TransportException("the token on " + path + " did not take the press (no reply after "
                            + sent + " tries)");
                }
            }
        }
    }

    @Override
    public String description() {
        return "serial port " + path;
    }

    @Override
    public void close() {
        line.close();
        listeners.shutdownNow();
    }

    // ---- The exchange ----

    private void hello() {
        int seq = new SecureRandom().nextInt(256);
        byte[] wire = FrameCodec.encode(Frame.of(TYPE_HELLO, seq, (byte) VERSION));
        Frame r;
        try {
            r = exchange(wire, seq, TYPE_HELLO_REPLY, 0);
        } catch (TransportException e) {
            throw new TransportException(e.getMessage().replace("stopped answering", "does not answer"), e);
        }
        try {
            identity = DeviceIdentity.decode(r.payload());
        } catch (IllegalArgumentException e) {
            throw new TransportException("the device on " + path + " is not a token of ours: " + e.getMessage());
        }
        if (identity.protocolVersion() != VERSION) {
            throw new TransportException("the token on " + path + " speaks serial protocol version "
                    + identity.protocolVersion() + "; this program speaks version " + VERSION);
        }
        lastSeq = seq;
    }

    /**
     * Sends a request and waits for its answer (docs/serial-protocol.md section 5): resends after
     * silence or a NAK, NAKs damage, counts ACKs, KEEPALIVEs and EVENTs as signs of life.
     */
    private Frame exchange(byte[] wire, int seq, int answerType, int workMillis) {
        BlockingQueue<Object> inbox = line.inbox();
        inbox.removeIf(o -> o != SerialLine.CLOSED);
        Retransmission rt = new Retransmission(options.tries(), options.retransmit(), workMillis + SLACK_MS);
        line.write(wire);
        rt.sent(System.nanoTime());
        while (true) {
            if (line.closed()) {
                throw closed();
            }
            Object o = poll(inbox, rt.wakeUp());
            long now = System.nanoTime();
            if (o == SerialLine.CLOSED) {
                throw closed();
            }
            if (o instanceof Frame f && f.type() == answerType && f.seq() == seq) {
                return f;
            }
            if (rt.expired(now)) {
                throw rt.garbled() ? garbled(rt.damage()) : unfinished(rt.elapsedNanos(now));
            }
            if (o instanceof Damage) {
                // "Say that again"; the resend timer keeps running, so a NAK storm cannot stall us.
                if (rt.damaged()) {
                    line.send(Frame.of(TYPE_NAK, seq, (byte) NAK_DAMAGED));
                }
                continue;
            }
            Frame f = (Frame) o;
            boolean resend = false;
            if (f == null) {
                if (!rt.silenceLeavesTries()) {
                    throw rt.garbled() ? garbled(rt.damage()) : silence();
                }
                resend = true;
            } else if (f.type() == TYPE_NAK) {
                checkNak(f);
                resend = rt.nakResend();
            } else if (f.seq() == seq) { // else left over from an earlier request
                signOfLife(f, rt, now);
            }
            if (resend) {
                line.write(wire);
                resends++;
                rt.sent(now);
            }
        }
    }

    /** A frame about the request that is not its answer: ACK, KEEPALIVE or EVENT keep it alive; a touch wait is told. */
    private void signOfLife(Frame f, Retransmission rt, long now) {
        rt.heard();
        if (f.type() == TYPE_ACK || f.type() == TYPE_KEEPALIVE || f.type() == TYPE_EVENT) {
            rt.alive(now);
            long touchMillis = touchWait(f);
            if (touchMillis >= 0 && rt.touchWanted(now, touchMillis + SLACK_MS)) {
                fire(onTouchRequested);
            }
            if (f.type() == TYPE_EVENT && f.code() == EVENT_TOUCH_PRESSED) {
                fire(onTouchPressed);
            }
        }
    }

    /** Milliseconds the device will wait for a press when the frame reports a touch wait, else -1. */
    private static long touchWait(Frame f) {
        boolean event = f.type() == TYPE_EVENT && f.code() == EVENT_TOUCH_WANTED;
        boolean alive = f.type() == TYPE_KEEPALIVE && f.code() == STATE_TOUCH;
        if ((event || alive) && f.payload().length >= 5) {
            return ByteBuffer.wrap(f.payload(), 1, 4).getInt() & 0xFFFFFFFFL;
        }
        return -1;
    }

    /** A NAK: the caller resends, unless it says that resending cannot help. */
    private void checkNak(Frame f) {
        switch (f.code()) {
            case NAK_NO_SESSION -> throw new TransportException("the token on " + path
                    + " restarted; the last command may or may not have been carried out: open it again");
            case NAK_SEQUENCE -> throw new TransportException("the token on " + path + " lost step with this program");
            case NAK_UNKNOWN_TYPE, NAK_UNSUPPORTED, NAK_BAD_PAYLOAD -> throw new TransportException(
                    "the token on " + path + " refused the frame (reason " + f.code() + ")");
            default -> { }
        }
    }

    private TransportException garbled(int damage) {
        return new TransportException(String.format(Locale.ROOT, "the line to the token on %s is garbled "
                + "(%d damaged frames, no good reply after %d tries); check the cable and the baud rate",
                path, damage, options.tries()));
    }

    private TransportException unfinished(long elapsedNanos) {
        return new TransportException(String.format(Locale.ROOT,
                "the token on %s did not finish the command within %.0f s", path, elapsedNanos / 1e9));
    }

    private TransportException silence() {
        double seconds = options.tries() * options.retransmit().toMillis() / 1000.0;
        return new TransportException(String.format(Locale.ROOT,
                "the token on %s stopped answering (no reply in %.1f s after %d tries)", path, seconds, options.tries()));
    }

    private TransportException closed() {
        return new TransportException("the serial line to the token on " + path + " closed (unplugged?)");
    }

    private void fire(Runnable listener) {
        try {
            listeners.execute(listener);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private static Object poll(BlockingQueue<Object> q, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        try {
            return left <= 0 ? q.poll() : q.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for the token");
        }
    }
}
