package io.totptoken.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Opens serial ports by path for both ends of the link, with messages a user can act on.
 * jSerialComm never lists pseudo-terminals, so a path is taken as given; a port opens once
 * (jSerialComm locks it), and pseudo-terminals ignore the line settings.
 */
public final class SerialPorts {
    /** Line settings for a real UART; USB CDC devices and pseudo-terminals ignore them. */
    public static final int DEFAULT_BAUD = 115_200;
    /**
     * How long a read waits for a first byte, so the receiving loop notices a quiet line. On
     * Linux jSerialComm rounds it up to tenths of a second (termios VTIME): less buys nothing.
     */
    static final int READ_TIMEOUT_MS = 100;
    /** A write that cannot finish in this time means nobody drains the line. */
    static final int WRITE_TIMEOUT_MS = 1_000;

    // errno values jSerialComm reports from open() and flock() on Linux
    private static final int ENOENT = 2, EAGAIN = 11, EACCES = 13, EBUSY = 16, ENOTTY = 25;

    private SerialPorts() {
    }

    /**
     * Opens the port for the link: 8 data bits, no parity, one stop bit, no flow control,
     * reads that return as soon as a byte is there (or after about {@link #READ_TIMEOUT_MS}), and
     * nothing left over from before in either direction.
     */
    public static SerialPort open(String path, int baud) {
        if (!Files.exists(Path.of(path))) {
            throw new SerialLineException("no serial port at " + path + " (no such file)");
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(path);
        } catch (SerialPortInvalidPortException e) {
            throw new SerialLineException(path + " is not a serial port");
        }
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        if (!port.openPort()) {
            throw new SerialLineException(openFailure(path, port.getLastErrorCode()));
        }
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                READ_TIMEOUT_MS, WRITE_TIMEOUT_MS);
        port.flushIOBuffers();
        return port;
    }

    /**
     * Reads an open port while {@code open} holds, on the calling thread: bytes go through the
     * decoder to the sink (then the buffer is wiped: it may have held a key), and a frame that
     * stops arriving for {@link SerialProtocol#INTER_BYTE_TIMEOUT_MS} is reported as a gap.
     *
     * @param received told how many bytes each read brought
     * @return true when the line closed (the port said so), false when {@code open} turned false
     */
    public static boolean readFrames(SerialPort port, BooleanSupplier open, FrameDecoder decoder,
                                     FrameDecoder.Sink sink, IntConsumer received) {
        byte[] buf = new byte[4096];
        long lastByte = System.nanoTime();
        long gap = TimeUnit.MILLISECONDS.toNanos(SerialProtocol.INTER_BYTE_TIMEOUT_MS);
        while (open.getAsBoolean()) {
            int n = port.readBytes(buf, buf.length);
            if (n < 0) {
                return true;
            }
            long now = System.nanoTime();
            if (n > 0) {
                received.accept(n);
                lastByte = now;
                decoder.accept(buf, 0, n, sink);
                Arrays.fill(buf, 0, n, (byte) 0);
            } else if (decoder.inFrame() && now - lastByte >= gap) {
                decoder.gap(sink);
            }
        }
        return false;
    }

    private static String openFailure(String path, int errno) {
        return switch (errno) {
            case EAGAIN, EBUSY -> "serial port " + path + " is in use by another program";
            case ENOENT -> "serial port " + path + " is already open in this program";
            case EACCES -> "no permission to open serial port " + path + " (on Linux, join the dialout group)";
            case ENOTTY -> path + " is not a serial port";
            default -> "cannot open serial port " + path + " (error " + errno + ")";
        };
    }
}
