package io.totptoken.host.provisioning;

import io.totptoken.host.session.OathSession;
import io.totptoken.host.simulated.SimulatedConnector;
import io.totptoken.host.transport.TraceTransport;
import io.totptoken.host.transport.Transport;
import java.util.function.Consumer;

/**
 * An open token: its transport (with an APDU counter, and a trace when asked) and its OATH
 * session, selected and not yet unlocked.
 */
public final class TokenConnection implements AutoCloseable {
    private final TokenTarget target;
    private final Transport raw;
    private final TraceTransport wire;
    private final OathSession session;
    private TouchPrompt touch = TouchPrompt.NONE;

    private TokenConnection(TokenTarget target, Transport raw, TraceTransport wire, OathSession session) {
        this.target = target;
        this.raw = raw;
        this.wire = wire;
        this.session = session;
    }

    /**
     * Connects and selects the OATH application.
     *
     * @param trace receives each APDU and answer with key bytes masked, or null for no trace
     */
    public static TokenConnection open(TokenTarget target, Consumer<String> trace) {
        return open(target, trace, null);
    }

    /**
     * As {@link #open(TokenTarget, Consumer)}, telling {@code notices} what the user should know
     * before the result (waiting for a simulated token another process holds, a state recovered
     * from its backup).
     */
    public static TokenConnection open(TokenTarget target, Consumer<String> trace, Consumer<String> notices) {
        return open(target.connect(notices, false), target, trace);
    }

    /** As {@link #open(TokenTarget, Consumer, Consumer)}, for a reset: a simulated token's unusable file opens as a new token. */
    public static TokenConnection openForReset(TokenTarget target, Consumer<String> trace, Consumer<String> notices) {
        return open(target.connect(notices, true), target, trace);
    }

    private static TokenConnection open(Transport raw, TokenTarget target, Consumer<String> trace) {
        try {
            TraceTransport wire = new TraceTransport(raw, trace);
            return new TokenConnection(target, raw, wire, OathSession.open(wire));
        } catch (RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    public TokenTarget target() {
        return target;
    }

    public OathSession session() {
        return session;
    }

    /** APDUs sent so far, SEND REMAINING included. */
    public int apduCount() {
        return wire.count();
    }

    public boolean simulated() {
        return target instanceof TokenTarget.Simulated;
    }

    /** Who to tell when the token waits for a touch. */
    public void touchPrompt(TouchPrompt prompt) {
        this.touch = prompt == null ? TouchPrompt.NONE : prompt;
        if (simulated()) {
            SimulatedConnector.onTouch(raw, this.touch, target.label());
        } else if (target instanceof TokenTarget.Serial) {
            SerialConnector.onTouch(raw, this.touch, target.label());
        }
    }

    /** Called before a command that makes a token in a reader wait for a touch (a serial device reports its wait). */
    void beforeTouch() {
        if (target instanceof TokenTarget.Reader) {
            touch.touch(target.label(), false);
        }
    }

    /** The simulated token's transport, for serving it elsewhere; null for a reader. */
    Transport rawTransport() {
        return raw;
    }

    @Override
    public void close() {
        raw.close();
    }
}
