package io.totptoken.host.transport;

import com.fazecast.jSerialComm.SerialPort;
import io.totptoken.serial.Damage;
import io.totptoken.serial.Frame;
import io.totptoken.serial.FrameCodec;
import io.totptoken.serial.FrameDecoder;
import io.totptoken.serial.SerialPorts;
import io.totptoken.serial.SerialProtocol;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's end of the wire for {@link SerialTransport}: one thread reads the port and sorts
 * what arrives into two inboxes, PRESS replies apart from everything else, so that a press can
 * be sent while a command waits. Writes are whole frames, one at a time.
 */
final class SerialLine {
    /** Put in an inbox when the line closed (the other end went away). */
    static final Object CLOSED = new Object();

    private final SerialPort port;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> pressInbox = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final Object writeLock = new Object();
    private volatile boolean open = true;
    private volatile boolean closed;

    final AtomicLong framesSent = new AtomicLong();
    final AtomicLong framesReceived = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicLong damaged = new AtomicLong();

    SerialLine(String path, int baud) {
        port = SerialPorts.open(path, baud);
        reader = new Thread(this::read, "serial-line " + path);
        reader.setDaemon(true);
        reader.start();
    }

    /** Frames (but PRESS replies), {@link Damage} and {@link #CLOSED}, in arrival order. */
    BlockingQueue<Object> inbox() {
        return inbox;
    }

    /** PRESS replies and {@link #CLOSED}. */
    BlockingQueue<Object> pressInbox() {
        return pressInbox;
    }

    /** Whether the line closed under us: the other end is gone. */
    boolean closed() {
        return closed;
    }

    void send(Frame f) {
        write(FrameCodec.encode(f));
    }

    /** Writes an encoded frame; false when the line would not take it. */
    boolean write(byte[] wire) {
        synchronized (writeLock) {
            int n = port.writeBytes(wire, wire.length);
            if (n < 0) {
                closed = true;
            }
            if (n > 0) {
                bytesSent.addAndGet(n);
            }
            framesSent.incrementAndGet();
            return n == wire.length;
        }
    }

    void close() {
        open = false;
        port.closePort(); // ends a read in progress at once, rather than after its timeout
        try {
            reader.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        FrameDecoder decoder = new FrameDecoder(SerialProtocol.MAX_PAYLOAD);
        FrameDecoder.Sink sink = new FrameDecoder.Sink() {
            @Override
            public void frame(Frame f) {
                framesReceived.incrementAndGet();
                (f.type() == SerialProtocol.TYPE_PRESS_REPLY ? pressInbox : inbox).add(f);
            }

            @Override
            public void damaged(Damage d) {
                damaged.incrementAndGet();
                inbox.add(d);
            }
        };
        if (SerialPorts.readFrames(port, () -> open, decoder, sink, bytesReceived::addAndGet) && open) {
            closed = true; // the other end went away (not our own close)
            inbox.add(CLOSED);
            pressInbox.add(CLOSED);
        }
    }
}
