package io.totptoken.host.transport;

/**
 * A connection to one token: whole command APDUs in, whole response APDUs (data and status
 * word) out. Wrappers stack on top ({@link SendRemainingTransport}, {@link TraceTransport}).
 * Only transport classes touch javax.smartcardio, jSerialComm or jCardSim.
 */
public interface Transport extends AutoCloseable {
    byte[] transmit(byte[] apdu);

    /** What this is connected to, for messages: a reader name, a state file. */
    String description();

    @Override
    void close();
}
