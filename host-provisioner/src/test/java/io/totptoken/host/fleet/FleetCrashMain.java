package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.transport.Transport;
import java.nio.file.Path;
import java.util.List;

/**
 * A real fleet run in a process of its own, for {@link FleetKillTest} to SIGKILL:
 * {@code FleetCrashMain MANIFEST OUT SIMDIR COUNT WORKERS resume|new DELAY_MS [JOURNAL_URI STATION FIRST_SERIAL]}
 * (with a URI, the journal is in PostgreSQL and OUT is ignored). Each APDU is slowed
 * by DELAY_MS so that a kill lands inside a token's work rather than between tokens.
 */
public final class FleetCrashMain {
    private FleetCrashMain() {
    }

    public static void main(String[] args) throws Exception {
        Path manifest = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path sims = Path.of(args[2]);
        int count = Integer.parseInt(args[3]);
        int workers = Integer.parseInt(args[4]);
        boolean resume = args[5].equals("resume");
        long delay = Long.parseLong(args[6]);
        List<FleetRow> rows = Manifest.read(manifest, null, OathType.TOTP, 30);
        if (args.length > 7) {
            SimulatedFleet fleet = SimulatedFleet.open(sims, count, workers, Long.parseLong(args[9]), t -> slow(t, delay));
            try (FleetRun run = FleetRun.startShared(PgLocation.parse(args[7]), null, args[8], null, rows,
                    FleetFixture.options(), resume)) {
                FleetResult r = run.provision(fleet, FleetListener.NONE);
                System.out.println("verified " + r.verified() + " of " + r.rows() + (r.stopped() == null ? "" : ": " + r.stopped()));
            }
            return;
        }
        SimulatedFleet fleet = SimulatedFleet.open(sims, count, workers, t -> slow(t, delay));
        try (FleetRun run = FleetRun.start(out, rows, FleetFixture.options(), resume)) {
            FleetResult r = run.provision(fleet, FleetListener.NONE);
            run.writeOutputs(FleetOutputs.Options.plain());
            System.out.println("verified " + r.verified() + " of " + r.rows());
        }
    }

    private static Transport slow(Transport t, long delay) {
        return new Transport() {
            @Override
            public byte[] transmit(byte[] apdu) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return t.transmit(apdu);
            }

            @Override
            public String description() {
                return t.description();
            }

            @Override
            public void close() {
                t.close();
            }
        };
    }
}
