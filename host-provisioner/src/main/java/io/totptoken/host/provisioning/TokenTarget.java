package io.totptoken.host.provisioning;

import io.totptoken.host.transport.PcscTransport;
import io.totptoken.host.transport.Transport;
import java.nio.file.Path;

/**
 * How a command names a token: a PC/SC reader ({@code --reader NAME}, a substring matching one
 * reader), a device on a serial port ({@code --port PATH}), a simulated token kept in a file
 * ({@code --sim PATH}), or, with none of them, the embedded simulated token in {@link TokenHome}.
 */
public sealed interface TokenTarget {
    /** Opens a connection to the token: the reader or state file, nothing sent yet. */
    Transport connect();

    /**
     * As {@link #connect()}; a simulated token tells {@code notices} of a wait for its file and of
     * a state taken from its backup, and with {@code forReset} opens as a new token when its
     * file cannot be used at all (so that reset works on a damaged file).
     */
    default Transport connect(java.util.function.Consumer<String> notices, boolean forReset) {
        return connect();
    }

    /** For messages: which token this is. */
    String label();

    /** A token in the PC/SC reader whose name contains {@code name} (case-insensitive). */
    record Reader(String name) implements TokenTarget {
        @Override
        public Transport connect() {
            return PcscTransport.open(name);
        }

        @Override
        public String label() {
            return "reader '" + name + "'";
        }
    }

    /** A token on the serial port at {@code path} (docs/serial-protocol.md), taken as given: ptys are never listed. */
    record Serial(String path) implements TokenTarget {
        @Override
        public Transport connect() {
            // In its own class, so that only serial targets load jSerialComm.
            return SerialConnector.open(path);
        }

        @Override
        public String label() {
            return "the token on " + path;
        }
    }

    /**
     * A simulated token whose persistent memory lives in {@code file}; created when missing.
     * protection finds the key of an encrypted state file; null keeps the file plain (test tokens).
     */
    record Simulated(Path file, boolean embedded, StateProtection protection) implements TokenTarget {
        public Simulated {
            file = file.toAbsolutePath();
        }

        public Simulated(Path file, boolean embedded) {
            this(file, embedded, null);
        }

        @Override
        public Transport connect() {
            return connect(null, false);
        }

        @Override
        public Transport connect(java.util.function.Consumer<String> notices, boolean forReset) {
            // In its own class, so that a PC/SC command never loads the simulator (jCardSim).
            return SimulatedConnector.open(file, embedded, protection, notices, forReset);
        }

        @Override
        public String label() {
            return embedded ? "the embedded token" : "simulated token " + file;
        }
    }

    /** Names of the PC/SC readers; empty when the PC/SC service is not running. */
    static java.util.List<String> readers() {
        return PcscTransport.readers();
    }

    static TokenTarget reader(String name) {
        return new Reader(name);
    }

    static TokenTarget simulated(Path file) {
        return new Simulated(file, false);
    }

    static TokenTarget embedded(TokenHome home) {
        return new Simulated(home.tokenFile(), true);
    }
}
