package io.totptoken.sim.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.totptoken.serial.FrameDecoder;
import io.totptoken.serial.SerialPorts;

/**
 * The bytes of a device's serial port: one thread reads, decodes and hands over frames and
 * damage in order; writes go straight out. The protocol is {@link SerialDevice}'s business.
 */
final class DeviceLine {
    private static final System.Logger LOG = System.getLogger(DeviceLine.class.getName());

    private final String path;
    private final SerialPort port;
    private final Thread reader;
    private volatile boolean open = true;

    /** Opens the port and starts reading; the sink is called on the reading thread. */
    DeviceLine(String path, int maxPayload, FrameDecoder.Sink sink) {
        this.path = path;
        this.port = SerialPorts.open(path, SerialPorts.DEFAULT_BAUD);
        this.reader = new Thread(() -> read(new FrameDecoder(maxPayload), sink), "serial-device-line");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until reading ends: the line closed (the other end went away) or {@link #close()}. */
    void awaitEnd() throws InterruptedException {
        reader.join();
    }

    boolean reading() {
        return reader.isAlive();
    }

    /** Writes an encoded frame; a line that will not take it is left to the other end's retries. */
    void write(byte[] wire) {
        int n = port.writeBytes(wire, wire.length);
        if (n != wire.length && open) {
            LOG.log(System.Logger.Level.DEBUG, "short write on {0}: {1} of {2} bytes", path, n, wire.length);
        }
    }

    /** Closes the port; a read in progress ends at once. */
    void close() {
        open = false;
        port.closePort();
        if (Thread.currentThread() != reader) {
            try {
                reader.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void read(FrameDecoder decoder, FrameDecoder.Sink sink) {
        if (SerialPorts.readFrames(port, () -> open, decoder, sink, n -> { })) {
            LOG.log(System.Logger.Level.DEBUG, "the line on {0} closed", path);
        }
    }
}
