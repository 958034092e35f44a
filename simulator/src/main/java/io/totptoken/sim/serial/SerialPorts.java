package io.totptoken.sim.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.nio.file.Files;
import java.nio.file.Path;

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
