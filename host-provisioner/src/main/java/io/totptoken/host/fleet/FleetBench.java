package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.transport.Transport;
import io.totptoken.sim.SimulatedToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Figures for docs/fleet.md: N simulated tokens provisioned end to end (manifest, journal, PUT,
 * read-back, outputs) with 1, 2 and 4 workers, once with a state file per token (what
 * {@code --simulated} does) and once with tokens in memory, to separate the state-file writes from
 * the token's own work. Not a test: run it by hand, e.g.
 * {@code java -cp host-provisioner/target/tokenctl.jar io.totptoken.host.fleet.FleetBench 10000 1,2,4}.
 */
public final class FleetBench {
    private FleetBench() {
    }

    public static void main(String[] args) throws Exception {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String[] workerList = (args.length > 1 ? args[1] : "1,2,4").split(",");
        Path base = Files.createTempDirectory("fleetbench");
        System.out.printf("%d tokens, %d processors, java %s%n", tokens, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.println("mode    workers  tokens/s  APDUs/token  wall s  open thread-s  APDU thread-s  fsyncs  fsync s  keygen s  outputs s");
        try {
            for (String w : workerList) {
                int workers = Integer.parseInt(w.strip());
                for (boolean files : new boolean[] {true, false}) {
                    run(base.resolve((files ? "files-" : "memory-") + workers), tokens, workers, files);
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
        TokenSource source = timed(files ? SimulatedFleet.open(dir.resolve("tokens"), tokens, workers)
                : inMemory(tokens, workers));
        OPEN_NANOS.set(0);
        CountingTransport.TOTAL_APDUS.set(0);
        CountingTransport.TOTAL_NANOS.set(0);
        Ledger.GENERATE_NANOS.set(0);
        long start = System.nanoTime();
        FleetResult r;
        double outputs;
        long syncs;
        long syncNanos;
        try (FleetRun run = FleetRun.start(dir.resolve("out"), rows, FleetOptions.defaults(), false)) {
            r = run.provision(source, FleetListener.NONE);
            long o = System.nanoTime();
            run.writeOutputs(FleetOutputs.Options.plain());
            outputs = (System.nanoTime() - o) / 1e9;
            syncs = run.journal().stats().syncs;
            syncNanos = run.journal().stats().syncNanos;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        if (r.verified() != tokens) {
            throw new IllegalStateException("only " + r.verified() + " of " + tokens + " verified: " + r.outcomes().stream()
                    .filter(x -> x.result().isFailure()).findFirst().orElse(null));
        }
        System.out.printf("%-7s %7d  %8.1f  %11.1f  %6.1f  %13.1f  %13.1f  %6d  %7.1f  %8.2f  %9.2f%n",
                files ? "files" : "memory", workers, tokens / wall, CountingTransport.TOTAL_APDUS.get() / (double) tokens,
                wall, OPEN_NANOS.get() / 1e9,
                CountingTransport.TOTAL_NANOS.get() / 1e9, syncs, syncNanos / 1e9, Ledger.GENERATE_NANOS.get() / 1e9,
                outputs);
        delete(dir);
    }

    private static final AtomicLong OPEN_NANOS = new AtomicLong();

    /** Times each lane's next(): opening (or creating) a token, its lock and its state file. */
    private static TokenSource timed(TokenSource source) {
        List<TokenSource.Lane> lanes = new ArrayList<>();
        for (TokenSource.Lane lane : source.lanes()) {
            lanes.add(new TokenSource.Lane() {
                @Override
                public String label() {
                    return lane.label();
                }

                @Override
                public Transport next() {
                    long start = System.nanoTime();
                    try {
                        return lane.next();
                    } finally {
                        OPEN_NANOS.addAndGet(System.nanoTime() - start);
                    }
                }
            });
        }
        return () -> lanes;
    }

    /** Tokens that live only in memory: the same applet, without a state file written after each command. */
    private static TokenSource inMemory(int tokens, int workers) {
        AtomicLong next = new AtomicLong();
        List<TokenSource.Lane> lanes = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            lanes.add(new TokenSource.Lane() {
                @Override
                public String label() {
                    return "memory";
                }

                @Override
                public Transport next() {
                    long n = next.getAndIncrement();
                    if (n >= tokens) {
                        return null;
                    }
                    SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults()
                            .withSerial(SimulatedFleet.FIRST_SERIAL + n));
                    return new Transport() {
                        @Override
                        public byte[] transmit(byte[] apdu) {
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
