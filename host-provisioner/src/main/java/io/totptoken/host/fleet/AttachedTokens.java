package io.totptoken.host.fleet;

import io.totptoken.host.transport.PcscTransport;
import io.totptoken.host.transport.Transport;
import io.totptoken.host.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Tokens that a person inserts: one lane per PC/SC reader (and, once the serial transport exists,
 * per serial port: {@link #of} with its opener). Each lane takes the token present at start; with a
 * prompt it then asks for the next one until the operator stops, which is how a single-reader
 * station works through a box of tokens.
 */
public final class AttachedTokens implements TokenSource {
    private final List<Lane> lanes = new ArrayList<>();

    private AttachedTokens() {
    }

    /** A lane per name, each opened with {@code opener} (PcscTransport::open, or a serial port's). */
    public static AttachedTokens of(List<String> names, String kind, Function<String, Transport> opener,
                                    InsertPrompt prompt) {
        if (names.isEmpty()) {
            throw new FleetException("no " + kind + " given");
        }
        AttachedTokens t = new AttachedTokens();
        for (String name : names) {
            t.lanes.add(new AttachedLane(kind + " '" + name + "'", () -> opener.apply(name), prompt));
        }
        return t;
    }

    /** One lane per named reader (a substring matching exactly one reader each). */
    public static AttachedTokens readers(List<String> names, InsertPrompt prompt) {
        return of(names, "reader", PcscTransport::open, prompt);
    }

    /** One lane per PC/SC reader present. */
    public static AttachedTokens allReaders(InsertPrompt prompt) {
        List<String> names = PcscTransport.readers();
        if (names.isEmpty()) {
            throw new FleetException("no PC/SC readers found (is pcscd running?)");
        }
        return of(names, "reader", PcscTransport::open, prompt);
    }

    @Override
    public List<Lane> lanes() {
        return lanes;
    }

    /** Readers whose token (the one there at the start) was never opened. */
    @Override
    public int untaken() {
        int n = 0;
        for (Lane l : lanes) {
            if (((AttachedLane) l).first) {
                n++;
            }
        }
        return n;
    }

    private static final class AttachedLane implements Lane {
        private final String label;
        private final java.util.function.Supplier<Transport> opener;
        private final InsertPrompt prompt;
        private boolean first = true;
        private String problem;

        AttachedLane(String label, java.util.function.Supplier<Transport> opener, InsertPrompt prompt) {
            this.label = label;
            this.opener = opener;
            this.prompt = prompt;
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public Transport next() {
            while (true) {
                if (!first) {
                    boolean more;
                    synchronized (InsertPrompt.class) { // one question on the terminal at a time
                        more = prompt.next(label, problem);
                    }
                    if (!more) {
                        return null;
                    }
                }
                boolean wasFirst = first;
                first = false;
                try {
                    Transport t = opener.get();
                    problem = null;
                    return t;
                } catch (TransportException e) {
                    problem = e.getMessage();
                    if (wasFirst && prompt == InsertPrompt.UNATTENDED) {
                        throw e;
                    }
                    if (prompt == InsertPrompt.UNATTENDED) {
                        return null;
                    }
                }
            }
        }
    }
}
