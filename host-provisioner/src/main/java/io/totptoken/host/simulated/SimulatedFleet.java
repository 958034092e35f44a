package io.totptoken.host.simulated;

import io.totptoken.host.fleet.FleetException;
import io.totptoken.host.fleet.PrivateFiles;
import io.totptoken.host.fleet.TokenSource;
import io.totptoken.host.transport.SimulatorTransport;
import io.totptoken.host.transport.Transport;
import io.totptoken.sim.SimulatedToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * N simulated tokens, one state file each in a directory, named by the token's serial
 * ({@code 10000001.token}); each is usable afterwards with {@code tokenctl --sim DIR/FILE}. Files
 * already there are kept (a resumed run finds its tokens again); missing ones are created with
 * fresh serials by the worker that first takes them. The tokens are shared out to
 * {@code workers} lanes.
 */
public final class SimulatedFleet implements TokenSource {
    public static final String SUFFIX = ".token";
    public static final long FIRST_SERIAL = 10_000_001L;
    /** TOKEN INFO's serial is 4 bytes. */
    static final long MAX_SERIAL = 0xFFFF_FFFFL;

    private final List<Path> files;
    private final List<Lane> lanes = new ArrayList<>();
    private final ConcurrentLinkedQueue<Path> queue;

    private SimulatedFleet(List<Path> files, int workers, UnaryOperator<Transport> wrap) {
        this.files = files;
        this.queue = new ConcurrentLinkedQueue<>(files);
        for (int i = 0; i < workers; i++) {
            String label = "simulated tokens (worker " + (i + 1) + ")";
            lanes.add(new Lane() {
                @Override
                public String label() {
                    return label;
                }

                @Override
                public boolean ready() {
                    return true;
                }

                @Override
                public Transport next() {
                    Path f = queue.poll();
                    if (f == null) {
                        return null;
                    }
                    String name = f.getFileName().toString();
                    long serial = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                    // A missing file is created here, by the worker: a new token with this serial.
                    return wrap.apply(SimulatorTransport.open(f, SimulatedToken.Config.defaults().withSerial(serial)));
                }
            });
        }
    }

    /** Uses or creates {@code count} tokens in {@code dir} (made 0700), worked by {@code workers} lanes. */
    public static SimulatedFleet open(Path dir, int count, int workers) {
        return open(dir, count, workers, t -> t);
    }

    /** As {@link #open(Path, int, int)}, each transport passed through {@code wrap} (tests inject faults). */
    public static SimulatedFleet open(Path dir, int count, int workers, UnaryOperator<Transport> wrap) {
        return open(dir, count, workers, 0, wrap); // every token in dir, new ones from FIRST_SERIAL
    }

    /**
     * As {@link #open(Path, int, int)}, new tokens numbered from {@code firstSerial} on (stations
     * sharing a journal each take their own range); tokens in {@code dir} below it are not used.
     */
    public static SimulatedFleet open(Path dir, int count, int workers, long firstSerial) {
        if (firstSerial < 1) {
            throw new FleetException("the first serial must be at least 1");
        }
        return open(dir, count, workers, firstSerial, t -> t);
    }

    public static SimulatedFleet open(Path dir, int count, int workers, long firstSerial, UnaryOperator<Transport> wrap) {
        if (firstSerial < 0 || firstSerial + count - 1 > MAX_SERIAL) {
            throw new FleetException("the serials must fit the token's 32 bits: the first serial can be 1 to "
                    + (MAX_SERIAL - count + 1));
        }
        if (count < 1) {
            throw new FleetException("the number of simulated tokens must be at least 1");
        }
        if (workers < 1) {
            throw new FleetException("the number of workers must be at least 1");
        }
        try {
            PrivateFiles.directory(dir);
            TreeSet<Long> serials = new TreeSet<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,10}\\" + SUFFIX))
                        .map(n -> Long.parseLong(n.substring(0, n.length() - SUFFIX.length())))
                        .filter(serial -> serial >= firstSerial).forEach(serials::add);
            }
            List<Path> files = new ArrayList<>();
            for (long serial : serials) {
                if (files.size() < count) {
                    files.add(dir.resolve(serial + SUFFIX));
                }
            }
            long next = serials.isEmpty() ? (firstSerial > 0 ? firstSerial : FIRST_SERIAL) : serials.last() + 1;
            while (files.size() < count) {
                files.add(dir.resolve(next + SUFFIX));
                next++;
            }
            return new SimulatedFleet(files, workers, wrap);
        } catch (IOException e) {
            throw new FleetException("cannot use " + dir + " for simulated tokens: " + e.getMessage(), e);
        }
    }

    /** The state files, in serial order. */
    public List<Path> files() {
        return files;
    }

    @Override
    public List<Lane> lanes() {
        return lanes;
    }

    /** Tokens no lane took: their state files, if missing, were never created. */
    @Override
    public int untaken() {
        return queue.size();
    }
}
