package io.totptoken.host.transport;

import com.fazecast.jSerialComm.SerialPort;
import io.totptoken.serial.Frame;
import io.totptoken.serial.FrameCodec;
import io.totptoken.serial.FrameException;
import io.totptoken.serial.SerialPorts;
import io.totptoken.serial.SerialProtocol;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bad cable between two pty pairs: device &lt;-&gt; pair 1 &lt;-&gt; relay &lt;-&gt; pair 2 &lt;-&gt; host.
 * It forwards whole frames (it watches the flags) and spoils them as told: bits flipped, bytes
 * dropped or doubled, frames cut short or sent twice, garbage between frames. It can also pull
 * the cable (forward nothing either way) at a chosen point of a chosen command.
 */
final class SerialFaultRelay implements AutoCloseable {
    /** Probabilities: per byte for flips, drops and doubles; per frame for the rest. */
    record Faults(double flip, double drop, double dup, double truncate, double dupFrame, double garbage) {
        static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0);
    }

    /** Where to pull the cable during the armed command. */
    enum Point { MID_REQUEST, AFTER_REQUEST, MID_RESPONSE }

    private final SerialPort device;
    private final SerialPort host;
    private final Thread toDevice;
    private final Thread toHost;
    private final Random random;
    private volatile boolean running = true;
    private volatile Faults faults = Faults.NONE;
    private volatile boolean pulled;
    private volatile int armedIns = -1;
    private volatile Point armedPoint;
    private volatile boolean cutNextResponse;
    final AtomicLong framesSpoiled = new AtomicLong();

    SerialFaultRelay(String devicePort, String hostPort, long seed) {
        random = new Random(seed);
        device = SerialPorts.open(devicePort, SerialPorts.DEFAULT_BAUD);
        host = SerialPorts.open(hostPort, SerialPorts.DEFAULT_BAUD);
        toDevice = pump(host, device, true);
        toHost = pump(device, host, false);
    }

    void faults(Faults f) {
        faults = f;
    }

    /** Pulls the cable: nothing passes either way until {@link #replug()}. */
    void pull() {
        pulled = true;
    }

    void replug() {
        armedIns = -1;
        cutNextResponse = false;
        pulled = false;
    }

    boolean pulled() {
        return pulled;
    }

    /** Pulls the cable at the point of the next APDU with this instruction byte. */
    void pullDuring(int ins, Point point) {
        armedPoint = point;
        armedIns = ins;
    }

    private Thread pump(SerialPort from, SerialPort to, boolean towardsDevice) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            while (running) {
                int n = from.readBytes(buf, buf.length);
                if (n < 0) {
                    return;
                }
                for (int i = 0; i < n; i++) {
                    int b = buf[i] & 0xFF;
                    if (pulled) {
                        frame.reset();
                        continue;
                    }
                    if (frame.size() == 0) {
                        if (b == SerialProtocol.FLAG) {
                            frame.write(b);
                        } else {
                            emit(to, new byte[] {(byte) b}); // between frames: pass it on
                        }
                    } else if (b == SerialProtocol.FLAG && frame.size() == 1) {
                        continue; // a second opening flag
                    } else {
                        frame.write(b);
                        if (b == SerialProtocol.FLAG) {
                            forward(to, frame.toByteArray(), towardsDevice);
                            frame.reset();
                        }
                    }
                }
            }
        }, towardsDevice ? "relay-to-device" : "relay-to-host");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** One whole frame, flags included. */
    private void forward(SerialPort to, byte[] wire, boolean towardsDevice) {
        Frame f = parse(wire);
        if (towardsDevice && f != null && f.type() == SerialProtocol.TYPE_APDU && f.payload().length > 1
                && (f.payload()[1] & 0xFF) == armedIns) {
            armedIns = -1;
            switch (armedPoint) {
                case MID_REQUEST -> pullAfter(to, java.util.Arrays.copyOf(wire, wire.length / 2));
                case AFTER_REQUEST -> pullAfter(to, wire);
                case MID_RESPONSE -> {
                    cutNextResponse = true;
                    emit(to, wire);
                }
            }
            return;
        }
        if (!towardsDevice && cutNextResponse && f != null && f.type() == SerialProtocol.TYPE_RESPONSE) {
            cutNextResponse = false;
            pullAfter(to, java.util.Arrays.copyOf(wire, wire.length / 2));
            return;
        }
        spoil(to, wire);
    }

    private void spoil(SerialPort to, byte[] wire) {
        Faults x = faults;
        synchronized (random) {
            if (random.nextDouble() < x.garbage()) {
                byte[] g = new byte[1 + random.nextInt(20)];
                random.nextBytes(g);
                framesSpoiled.incrementAndGet();
                emit(to, g);
            }
            byte[] out = wire;
            if (random.nextDouble() < x.truncate()) {
                out = java.util.Arrays.copyOf(wire, 1 + random.nextInt(wire.length - 1));
                framesSpoiled.incrementAndGet();
            }
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            for (byte b : out) {
                if (random.nextDouble() < x.drop()) {
                    framesSpoiled.incrementAndGet();
                    continue;
                }
                if (random.nextDouble() < x.flip()) {
                    b ^= (byte) (1 << random.nextInt(8));
                    framesSpoiled.incrementAndGet();
                }
                s.write(b);
                if (random.nextDouble() < x.dup()) {
                    s.write(b);
                    framesSpoiled.incrementAndGet();
                }
            }
            emit(to, s.toByteArray());
            if (random.nextDouble() < x.dupFrame()) {
                emit(to, out);
            }
        }
    }

    /** Pulls the cable as the last of these bytes goes: nothing the other end answers gets through. */
    private void pullAfter(SerialPort to, byte[] bytes) {
        pulled = true;
        to.writeBytes(bytes, bytes.length);
    }

    private static Frame parse(byte[] wire) {
        try {
            return FrameCodec.decode(wire);
        } catch (FrameException e) {
            return null;
        }
    }

    private void emit(SerialPort to, byte[] bytes) {
        if (bytes.length > 0 && !pulled) {
            to.writeBytes(bytes, bytes.length);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        toDevice.join(1_000);
        toHost.join(1_000);
        device.closePort();
        host.closePort();
    }
}
