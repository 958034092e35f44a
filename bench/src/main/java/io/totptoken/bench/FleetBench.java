package io.totptoken.bench;

import io.totptoken.host.fleet.FleetListener;
import io.totptoken.host.fleet.FleetOptions;
import io.totptoken.host.fleet.FleetOutputs;
import io.totptoken.host.fleet.FleetResult;
import io.totptoken.host.fleet.FleetRow;
import io.totptoken.host.fleet.FleetRun;
import io.totptoken.host.fleet.Journal;
import io.totptoken.host.fleet.Manifest;
import io.totptoken.host.fleet.PgLocation;
import io.totptoken.host.fleet.TokenSource;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.transport.ForwardingTransport;
import io.totptoken.host.transport.Transport;
import io.totptoken.sim.SimulatedToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Figures for docs/fleet.md: N simulated tokens provisioned end to end (manifest, journal, PUT,
 * read-back, outputs) with 1, 2 and 4 workers, once with a state file per token (what
 * {@code --simulated} does) and once with tokens in memory, to separate the state-file writes from
 * the token's own work. Not a test: run it by hand, e.g.
 * {@code java -cp bench/target/benchmarks.jar io.totptoken.bench.FleetBench 10000 1,2,4}. With a third
 * argument, {@code postgresql://USER@HOST:PORT/DB} of a server where USER may create databases,
 * the in-memory runs are repeated on a PostgreSQL journal (a new database each) with one station
 * and with two stations in this JVM sharing it.
 *
 * <p>The counters are the benchmark's own: a wrapper around each lane (time to open a token) and
 * each token's transport (APDUs and the time in them), a {@link FleetListener} for the time spent
 * generating seeds, and the journal's {@link Journal#stats()}.
 */
public final class FleetBench {
    /**
     * {@code -Dfleetbench.apduMicros=N}: in-memory tokens take N µs more per APDU, as a real
     * card does (its own time, which a station waits for): shows how stations scale when each
     * waits on its tokens rather than on the 2 cores of this machine.
     */
    private static final long APDU_MICROS = Long.getLong("fleetbench.apduMicros", 0);

    private FleetBench() {
    }

    /** Busy and total jiffies of the whole machine (/proc/stat), PostgreSQL's server included; null elsewhere. */
    private static long[] machineCpu() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle, iowait
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The share of the machine's CPU time that was busy since {@code before}, in percent; "-" when unknown. */
    private static String busy(long[] before) {
        long[] after = machineCpu();
        if (before == null || after == null || after[1] == before[1]) {
            return "-";
        }
        return String.format("%d%%", Math.round(100.0 * (after[0] - before[0]) / (after[1] - before[1])));
    }

    public static void main(String[] args) throws Exception {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String[] workerList = (args.length > 1 ? args[1] : "1,2,4").split(",");
        Path base = Files.createTempDirectory("fleetbench");
        System.out.printf("%d tokens, %d processors, java %s%s%n", tokens, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), APDU_MICROS > 0 ? ", in-memory tokens take " + APDU_MICROS + " µs more per APDU" : "");
        System.out.println("mode    workers  tokens/s  APDUs/token  wall s  open thread-s  APDU thread-s  fsyncs  fsync s  keygen s  outputs s  CPU busy");
        try {
            for (String w : workerList) {
                int workers = Integer.parseInt(w.strip());
                for (boolean files : new boolean[] {true, false}) {
                    run(base.resolve((files ? "files-" : "memory-") + workers), tokens, workers, files);
                }
            }
            if (args.length > 2) {
                PgLocation admin = PgLocation.parse(args[2]);
                int n = 0;
                for (String w : workerList) {
                    for (int stations = 1; stations <= 2; stations++) {
                        runShared(admin, "fleetbench_" + ProcessHandle.current().pid() + "_" + (++n), tokens,
                                Integer.parseInt(w.strip()), stations);
                    }
                }
            }
        } finally {
            delete(base);
        }
    }

    private static void run(Path dir, int tokens, int workers, boolean files) throws IOException {
        StringBuilder manifest = new StringBuilder("account\n");
        for (int i = 1; i <= tokens; i++) {
            manifest.append("user").append(i).append("@example.com\n");
        }
        Files.createDirectories(dir);
        Path m = dir.resolve("users.csv");
        Files.writeString(m, manifest);
        List<FleetRow> rows = Manifest.read(m, "Example", OathType.TOTP, 30);
        Counters c = new Counters();
        TokenSource source = timed(files ? SimulatedFleet.open(dir.resolve("tokens"), tokens, workers)
                : inMemory(tokens, workers), c);
        long[] cpu = machineCpu();
        long start = System.nanoTime();
        FleetResult r;
        double outputs;
        long syncs;
        long syncNanos;
        try (FleetRun run = FleetRun.start(dir.resolve("out"), rows, FleetOptions.defaults(), false)) {
            r = run.provision(source, c);
            long o = System.nanoTime();
            run.writeOutputs(FleetOutputs.Options.plain());
            outputs = (System.nanoTime() - o) / 1e9;
            Journal.JournalStats stats = run.journal().stats();
            syncs = stats.syncs();
            syncNanos = stats.syncNanos();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        if (r.verified() != tokens) {
            throw new IllegalStateException("only " + r.verified() + " of " + tokens + " verified: " + r.outcomes().stream()
                    .filter(x -> x.result().isFailure()).findFirst().orElse(null));
        }
        System.out.printf("%-7s %7d  %8.1f  %11.1f  %6.1f  %13.1f  %13.1f  %6d  %7.1f  %8.2f  %9.2f  %8s%n",
                files ? "files" : "memory", workers, tokens / wall, c.apdus.sum() / (double) tokens,
                wall, c.openNanos.sum() / 1e9,
                c.apduNanos.sum() / 1e9, syncs, syncNanos / 1e9, c.generateNanos.sum() / 1e9,
                outputs, busy(cpu));
        delete(dir);
    }

    /** In-memory tokens, the journal in a new PostgreSQL database, {@code stations} stations in this JVM at once. */
    private static void runShared(PgLocation admin, String database, int tokens, int workers, int stations)
            throws Exception {
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), System.getenv("PGPASSWORD"));
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        PgLocation db = new PgLocation(admin.user(), admin.host(), admin.port(), database);
        StringBuilder manifest = new StringBuilder("account\n");
        for (int i = 1; i <= tokens; i++) {
            manifest.append("user").append(i).append("@example.com\n");
        }
        Path m = Files.createTempFile("fleetbench", ".csv");
        Files.writeString(m, manifest);
        List<FleetRow> rows = Manifest.read(m, "Example", OathType.TOTP, 30);
        Files.delete(m);
        Counters c = new Counters();
        List<FleetRun> runs = new ArrayList<>();
        char[] password = System.getenv("PGPASSWORD") == null ? null : System.getenv("PGPASSWORD").toCharArray();
        for (int i = 0; i < stations; i++) {
            runs.add(FleetRun.startShared(db, password, "station" + i, null, rows, FleetOptions.defaults(), false));
        }
        long[] cpu = machineCpu();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        int[] verified = new int[stations];
        for (int i = 0; i < stations; i++) {
            FleetRun run = runs.get(i);
            TokenSource source = timed(inMemory(tokens, workers, SimulatedFleet.FIRST_SERIAL + (long) i * tokens), c);
            int k = i;
            Thread t = new Thread(() -> verified[k] = (int) run.provision(source, c).outcomes().stream()
                    .filter(o -> o.result() == io.totptoken.host.fleet.TokenOutcome.Result.PROVISIONED).count());
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        String busy = busy(cpu);
        long syncs = 0;
        long syncNanos = 0;
        for (FleetRun run : runs) {
            Journal.JournalStats stats = run.journal().stats();
            syncs += stats.syncs();
            syncNanos += stats.syncNanos();
            run.close();
        }
        int done = java.util.Arrays.stream(verified).sum();
        if (done != tokens) {
            throw new IllegalStateException("only " + done + " of " + tokens + " provisioned");
        }
        System.out.printf("pg x%d  %7d  %8.1f  %11.1f  %6.1f  %13.1f  %13.1f  %6d  %7.1f  %8.2f  %9s  %8s%n",
                stations, workers, tokens / wall, c.apdus.sum() / (double) tokens, wall, c.openNanos.sum() / 1e9,
                c.apduNanos.sum() / 1e9, syncs, syncNanos / 1e9, c.generateNanos.sum() / 1e9, "-", busy);
    }

    /** What one run adds up, over all workers. */
    private static final class Counters implements FleetListener {
        final LongAdder openNanos = new LongAdder();
        final LongAdder apdus = new LongAdder();
        final LongAdder apduNanos = new LongAdder();
        final LongAdder generateNanos = new LongAdder();

        @Override
        public void seedGenerated(long nanos) {
            generateNanos.add(nanos);
        }
    }

    /**
     * Times each lane's next() (opening or creating a token, its lock and its state file), and
     * counts and times the APDUs sent to the token it returns.
     */
    private static TokenSource timed(TokenSource source, Counters c) {
        List<TokenSource.Lane> lanes = new ArrayList<>();
        for (TokenSource.Lane lane : source.lanes()) {
            lanes.add(new TokenSource.Lane() {
                @Override
                public String label() {
                    return lane.label();
                }

                @Override
                public boolean ready() {
                    return lane.ready();
                }

                @Override
                public Transport next() {
                    long start = System.nanoTime();
                    Transport t;
                    try {
                        t = lane.next();
                    } finally {
                        c.openNanos.add(System.nanoTime() - start);
                    }
                    return t == null ? null : counted(t, c);
                }
            });
        }
        return () -> lanes;
    }

    private static Transport counted(Transport t, Counters c) {
        return new ForwardingTransport(t) {
            @Override
            public byte[] transmit(byte[] apdu) {
                long start = System.nanoTime();
                try {
                    return inner.transmit(apdu);
                } finally {
                    c.apduNanos.add(System.nanoTime() - start);
                    c.apdus.increment();
                }
            }
        };
    }

    /** Tokens that live only in memory: the same applet, without a state file written after each command. */
    private static TokenSource inMemory(int tokens, int workers) {
        return inMemory(tokens, workers, SimulatedFleet.FIRST_SERIAL);
    }

    private static TokenSource inMemory(int tokens, int workers, long firstSerial) {
        AtomicLong next = new AtomicLong();
        List<TokenSource.Lane> lanes = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            lanes.add(new TokenSource.Lane() {
                @Override
                public String label() {
                    return "memory";
                }

                @Override
                public boolean ready() {
                    return true;
                }

                @Override
                public Transport next() {
                    long n = next.getAndIncrement();
                    if (n >= tokens) {
                        return null;
                    }
                    SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults()
                            .withSerial(firstSerial + n));
                    return new Transport() {
                        @Override
                        public byte[] transmit(byte[] apdu) {
                            if (APDU_MICROS > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(APDU_MICROS * 1000L);
                            }
                            return token.transmit(apdu);
                        }

                        @Override
                        public String description() {
                            return "memory token";
                        }

                        @Override
                        public void close() {
                        }
                    };
                }
            });
        }
        return () -> lanes;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
