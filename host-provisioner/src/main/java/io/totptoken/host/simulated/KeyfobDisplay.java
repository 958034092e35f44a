package io.totptoken.host.simulated;

import io.totptoken.sim.Keyfob;

/**
 * What the simulated keyfob shows after a press ({@link Keyfob.Display}), copied into a host
 * type so that the CLI reads it without depending on the simulator; {@link #toString} is the
 * simulator's own display line.
 */
public record KeyfobDisplay(String issuer, String account, String code, long secondsLeft, String message, String line) {
    static KeyfobDisplay of(Keyfob.Display d) {
        return new KeyfobDisplay(d.issuer(), d.account(), d.code(), d.secondsLeft(), d.message(), d.toString());
    }

    @Override
    public String toString() {
        return line;
    }
}
