package io.totptoken.sim;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;

/**
 * Puts a {@link SimulatedToken} into a virtual PC/SC reader: connects, as the card, to the
 * {@code vpcd} reader driver (Debian {@code vsmartcard-vpcd}) that {@code pcscd} loads, so every
 * PC/SC client (ykman, javax.smartcardio, pcsc_scan) sees a reader with the token in it.
 *
 * <p>vpcd protocol (vsmartcard "Creating a virtual smart card"): each message either way is a
 * 2-byte big-endian length and that many bytes. A 1-byte message from vpcd is a control code:
 * power off, power on, reset (no answer) or get ATR (answered with the ATR); a longer one is a
 * C-APDU, answered with the R-APDU. Slot 0 of the driver listens on 35963, slot 1 on 35964.
 *
 * <p>Latency: vpcd writes a command as two small segments. Without help the second one waits
 * for our delayed ACK (about 40 ms, so about 21 APDUs/s); re-arming TCP_QUICKACK before every
 * read, and TCP_NODELAY on our one-write answers, keeps an APDU well under a millisecond.
 *
 * <p>APDU payloads are never logged: PUT and SET CODE carry keys. {@code TOKEN_VPCD_TRACE=1}
 * (or {@code -Dtotptoken.vpcd.trace=true}) logs each command's header, length and status word.
 */
public final class VpcdBridge implements AutoCloseable {
    public static final String DEFAULT_HOST = "localhost";
    /** vpcd's first slot ("Virtual PCD 00 00"); the second ("... 00 01") is this plus one. */
    public static final int DEFAULT_PORT = 35963;

    /**
     * A T=1 contact ATR shaped like a YubiKey's: TS 3B, T0 89 (TD1 follows, 9 historical
     * bytes), TD1 81 (TD2 follows, T=1), TD2 31 (TA3 and TB3 follow, T=1), TA3 FE (IFSC 254),
     * TB3 15 (BWI 1, CWI 5), historical bytes "TOTPtoken" (proprietary, as YubiKey's own
     * "Yubikey..." ones), TCK = XOR of T0..last historical byte (ISO 7816-3 8.2).
     */
    static final byte[] ATR = withCheck(new byte[] {0x3B, (byte) 0x89, (byte) 0x81, 0x31, (byte) 0xFE, 0x15,
        'T', 'O', 'T', 'P', 't', 'o', 'k', 'e', 'n'});

    // vpcd control codes (vsmartcard vpcd.h).
    private static final int CTRL_OFF = 0x00;
    private static final int CTRL_ON = 0x01;
    private static final int CTRL_RESET = 0x02;
    private static final int CTRL_ATR = 0x04;

    private static final byte[] SW_UNKNOWN = {0x6F, 0x00};
    private static final long BACKOFF_START_MILLIS = 100;
    private static final long BACKOFF_MAX_MILLIS = 2_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** How long {@link #stop} waits for the serving loop: closing its socket ends it in milliseconds. */
    private static final long STOP_WAIT_MILLIS = 1_000;
    private static final System.Logger LOG = System.getLogger(VpcdBridge.class.getName());

    private final SimulatedToken token;
    private final boolean trace;
    private final AtomicLong commands = new AtomicLong();
    private volatile Consumer<byte[]> afterCommand = header -> { };
    private volatile CommittingToken committing;
    private volatile boolean stopped;
    private volatile Socket socket;
    private volatile Thread servingThread;
    /** Counted down when {@link #serve} returns; the thread may live on (main, into System.exit). */
    private final CountDownLatch served = new CountDownLatch(1);
    /** Counted down by {@link #stop}: ends the pause between connection attempts. */
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile CountDownLatch connected = new CountDownLatch(1);
    /** Tests turn this off to measure what QUICKACK buys. */
    volatile boolean quickAck = true;

    public VpcdBridge(SimulatedToken token) {
        this.token = token;
        this.trace = "1".equals(System.getenv("TOKEN_VPCD_TRACE")) || Boolean.getBoolean("totptoken.vpcd.trace");
    }

    /**
     * Called on the serving thread after each C-APDU has been answered, with its 4-byte header
     * (CLA INS P1 P2), e.g. to save the token's state after a command that may change it.
     */
    public VpcdBridge afterCommand(Consumer<byte[]> listener) {
        this.afterCommand = listener == null ? header -> { } : listener;
        return this;
    }

    /**
     * Stores the token's state after each command that changed it, before the answer goes out;
     * when the saver throws, the token goes back to its last stored state and the command is
     * answered 6581 (memory failure), see {@link CommittingToken}.
     */
    public VpcdBridge saver(Consumer<byte[]> saver) {
        this.committing = saver == null ? null : new CommittingToken(token, saver);
        return this;
    }

    /** Whether to re-arm TCP_QUICKACK around each answer (default on); off only to measure what it buys (PcscBench). */
    public VpcdBridge quickAck(boolean on) {
        this.quickAck = on;
        return this;
    }

    /** Starts {@link #serve} on a daemon thread and returns at once. */
    public VpcdBridge start(String host, int port) {
        Thread t = new Thread(() -> serve(host, port), "vpcd-bridge-" + port);
        t.setDaemon(true);
        servingThread = t;
        t.start();
        return this;
    }

    /**
     * Serves vpcd at host:port until {@link #stop}: connects, answers, and when vpcd is not
     * up yet or goes away (pcscd restarted) connects again with a growing pause.
     */
    public void serve(String host, int port) {
        servingThread = Thread.currentThread();
        try {
            connectAndAnswer(host, port);
        } finally {
            served.countDown();
        }
    }

    private void connectAndAnswer(String host, int port) {
        long backoff = BACKOFF_START_MILLIS;
        boolean warned = false;
        while (!stopped) {
            try (Socket s = new Socket()) {
                socket = s;
                if (stopped) {
                    break;
                }
                s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                s.setTcpNoDelay(true);
                LOG.log(Level.INFO, "connected to vpcd at {0}:{1,number,#}", host, port);
                backoff = BACKOFF_START_MILLIS;
                warned = false;
                connected.countDown();
                session(s);
                if (!stopped) {
                    LOG.log(Level.INFO, "vpcd at {0}:{1,number,#} closed the connection", host, port);
                }
            } catch (IOException e) {
                if (stopped) {
                    break;
                }
                if (!warned) {
                    LOG.log(Level.WARNING, "vpcd at {0}:{1,number,#} not reachable ({2}); retrying",
                            host, port, e instanceof ConnectException ? "connection refused" : e.toString());
                    warned = true;
                }
            } finally {
                socket = null;
                if (connected.getCount() == 0) {
                    connected = new CountDownLatch(1);
                }
            }
            // Out of the reader is out of the field: the card loses power and its RAM.
            token.powerCycle();
            if (!sleep(backoff)) {
                break;
            }
            backoff = Math.min(backoff * 2, BACKOFF_MAX_MILLIS);
        }
    }

    /** Waits until the bridge is connected to vpcd; false on timeout. */
    public boolean awaitConnected(long timeout, TimeUnit unit) throws InterruptedException {
        return connected.await(timeout, unit);
    }

    /** C-APDUs the token has processed since this bridge was made. */
    public long commandCount() {
        return commands.get();
    }

    /**
     * Disconnects and waits (at most a second) until {@link #serve} has returned: closing the
     * socket ends a connect or read at once, the pause between attempts ends on its own latch.
     * It waits for serve, not for its thread: from a shutdown hook, the thread that served
     * (main) goes on into System.exit, which blocks until the hooks end.
     */
    public void stop() {
        stopped = true;
        stopping.countDown();
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
        Thread t = servingThread;
        if (t == null || t == Thread.currentThread() || served.getCount() == 0) {
            return;
        }
        // A command waiting for a touch ends its wait when interrupted, as on a timeout.
        t.interrupt();
        try {
            if (!served.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "the vpcd bridge did not stop within {0} ms", STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void session(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        boolean arm = quickAck && s.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
        while (!stopped) {
            byte[] message;
            try {
                armQuickAck(s, arm);
                int length = in.readUnsignedShort();
                armQuickAck(s, arm);
                message = in.readNBytes(length);
                if (message.length < length) {
                    return;
                }
            } catch (EOFException | SocketException e) {
                return;
            }
            if (message.length == 1) {
                control(message[0] & 0xFF, out);
            } else if (message.length >= 4) {
                byte[] response = command(message);
                commands.incrementAndGet();
                send(out, response);
                afterCommand.accept(Arrays.copyOf(message, 4));
            } else if (message.length > 0) {
                send(out, SW_UNKNOWN);
            }
        }
    }

    private void control(int code, OutputStream out) throws IOException {
        switch (code) {
            case CTRL_OFF, CTRL_RESET -> token.powerCycle();
            case CTRL_ON -> { }
            case CTRL_ATR -> send(out, ATR);
            default -> LOG.log(Level.WARNING, "unknown vpcd control code {0}", code);
        }
    }

    private byte[] command(byte[] apdu) {
        long start = trace ? System.nanoTime() : 0;
        byte[] response;
        try {
            CommittingToken c = committing;
            response = c == null ? token.transmit(apdu) : c.transmit(apdu);
        } catch (RuntimeException e) {
            // The token's own failure must not end the reader session; a card would answer 6F00.
            LOG.log(Level.WARNING, "the token failed on INS {0}: {1}", String.format("%02X", apdu[1]),
                    e.getClass().getName());
            response = SW_UNKNOWN;
        }
        if (trace) {
            int n = response.length;
            LOG.log(Level.INFO, String.format("APDU %02X %02X %02X %02X, %d bytes in -> %d bytes, SW %02X%02X (%d us)",
                    apdu[0], apdu[1], apdu[2], apdu[3], apdu.length, n - 2, response[n - 2], response[n - 1],
                    (System.nanoTime() - start) / 1000));
        }
        return response;
    }

    /** One write per message, so TCP_NODELAY sends it as one segment. */
    private static void send(OutputStream out, byte[] payload) throws IOException {
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) (payload.length >> 8);
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        out.write(frame);
        out.flush();
    }

    /** Linux leaves quick-ACK mode on its own, so it is set again before every read. */
    private static void armQuickAck(Socket s, boolean arm) throws IOException {
        if (arm) {
            s.setOption(ExtendedSocketOptions.TCP_QUICKACK, Boolean.TRUE);
        }
    }

    private boolean sleep(long millis) {
        try {
            return !stopping.await(millis, TimeUnit.MILLISECONDS) && !stopped;
        } catch (InterruptedException e) {
            if (!stopped) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private static byte[] withCheck(byte[] atr) {
        byte tck = 0;
        for (int i = 1; i < atr.length; i++) {
            tck ^= atr[i];
        }
        byte[] out = new byte[atr.length + 1];
        System.arraycopy(atr, 0, out, 0, atr.length);
        out[atr.length] = tck;
        return out;
    }
}
