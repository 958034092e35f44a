package io.totptoken.serial;

/** A serial port could not be opened or used; the message is one line a user can act on. */
public class SerialLineException extends RuntimeException {
    public SerialLineException(String message) {
        super(message);
    }
}
