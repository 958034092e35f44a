package io.totptoken.host.fleet;

import io.totptoken.host.transport.Transport;
import java.util.List;

/**
 * Where a run's tokens come from: independent lanes (a PC/SC reader, a serial port, a group of
 * simulated tokens), each worked by one thread. A lane hands out one token at a time.
 */
public interface TokenSource {
    List<Lane> lanes();

    /** One reader, port or group of simulated tokens. */
    interface Lane {
        /** For messages: "reader 'X'", "simulated tokens". */
        String label();

        /**
         * The next token, connected; null when the lane has no more. May block (a prompt to insert
         * the next token). Throws {@link io.totptoken.host.transport.TransportException} when a token
         * was expected but cannot be reached; the lane may still have more after that.
         */
        Transport next();
    }
}
