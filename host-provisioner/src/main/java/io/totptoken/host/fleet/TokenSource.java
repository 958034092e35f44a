package io.totptoken.host.fleet;

import io.totptoken.host.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a run's tokens come from: independent lanes (a PC/SC reader, a serial port, a group of
 * simulated tokens), each worked by one thread. A lane hands out one token at a time.
 */
public interface TokenSource {
    List<Lane> lanes();

    /** After a run: the tokens the lanes still had and were never asked for (left untouched). */
    default int untaken() {
        return 0;
    }

    /**
     * Works each lane on a thread of its own (named {@code name + " " + label}) and waits for all.
     *
     * @return false when this thread was interrupted while waiting (the lanes' threads run on)
     */
    static boolean workInParallel(List<Lane> lanes, String name, Consumer<Lane> work) {
        List<Thread> threads = new ArrayList<>();
        for (Lane lane : lanes) {
            Thread t = new Thread(() -> work.accept(lane), name + " " + lane.label());
            threads.add(t);
            t.start();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                interrupted = true;
            }
        }
        return !interrupted;
    }

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

        /**
         * Whether {@link #next} answers at once, with nobody to ask and nothing to wait for
         * (simulated tokens). Then a token's verification is made durable with the next token's
         * binding, one commit for both, and the token is reported done only then; a lane that may
         * wait (an operator inserting tokens) makes each token durable and reports it before it asks
         * for the next.
         */
        default boolean ready() {
            return false;
        }
    }
}
