package io.totptoken.sim.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.totptoken.serial.Damage;
import io.totptoken.serial.DeviceIdentity;
import io.totptoken.serial.Frame;
import io.totptoken.serial.FrameCodec;
import io.totptoken.serial.FrameDecoder;
import io.totptoken.serial.SerialPorts;
import io.totptoken.serial.SerialProtocol;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A bare host end of the link for device tests: sends frames as given, records what comes
 * back. No retransmission, no checks; the tests do that by hand.
 */
final class LinkClient implements AutoCloseable {
    private final SerialPort port;
    private final BlockingQueue<Object> in = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean open = true;

    LinkClient(String path) {
        port = SerialPorts.open(path, SerialPorts.DEFAULT_BAUD);
        reader = new Thread(this::read, "link-client");
        reader.setDaemon(true);
        reader.start();
    }

    void send(Frame f) {
        raw(FrameCodec.encode(f));
    }

    void raw(byte[] bytes) {
        port.writeBytes(bytes, bytes.length);
    }

    /** The next frame matching, skipping others and damage; null after the timeout. */
    Frame await(Predicate<Frame> wanted, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Object o = in.poll(left, TimeUnit.NANOSECONDS);
            if (o instanceof Frame f && wanted.test(f)) {
                return f;
            }
        }
        return null;
    }

    Frame await(int type, int seq, long millis) throws InterruptedException {
        return await(f -> f.type() == type && f.seq() == seq, millis);
    }

    /** Everything received within the time, frames and damage. */
    java.util.List<Object> drain(long millis) throws InterruptedException {
        java.util.List<Object> all = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Object o = in.poll(left, TimeUnit.NANOSECONDS);
            if (o != null) {
                all.add(o);
            }
        }
        return all;
    }

    DeviceIdentity hello(int seq) throws InterruptedException {
        send(Frame.of(SerialProtocol.TYPE_HELLO, seq, (byte) SerialProtocol.VERSION));
        Frame r = await(SerialProtocol.TYPE_HELLO_REPLY, seq, 3_000);
        if (r == null) {
            throw new AssertionError("no HELLO reply");
        }
        return DeviceIdentity.decode(r.payload());
    }

    /** Sends the APDU once and waits for its RESPONSE. */
    byte[] apdu(int seq, byte[] command, long millis) throws InterruptedException {
        send(new Frame(SerialProtocol.TYPE_APDU, seq, command));
        Frame r = await(SerialProtocol.TYPE_RESPONSE, seq, millis);
        if (r == null) {
            throw new AssertionError("no response to request " + seq);
        }
        return r.payload();
    }

    private void read() {
        FrameDecoder decoder = new FrameDecoder(SerialProtocol.MAX_PAYLOAD);
        FrameDecoder.Sink sink = new FrameDecoder.Sink() {
            @Override
            public void frame(Frame frame) {
                in.add(frame);
            }

            @Override
            public void damaged(Damage d) {
                in.add(d);
            }
        };
        byte[] buf = new byte[4096];
        while (open) {
            int n = port.readBytes(buf, buf.length);
            if (n < 0) {
                return;
            }
            decoder.accept(buf, 0, n, sink);
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        reader.join(1_000);
        port.closePort();
    }
}
