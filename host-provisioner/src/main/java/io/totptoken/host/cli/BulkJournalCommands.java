package io.totptoken.host.cli;

import io.totptoken.host.fleet.FleetException;
import io.totptoken.host.fleet.FleetOutputs;
import io.totptoken.host.fleet.FleetRun;
import io.totptoken.host.fleet.JournalFailedException;
import io.totptoken.host.fleet.PgJournal;
import io.totptoken.host.fleet.PgLocation;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl bulk export} and {@code bulk status}: a run that stations share in PostgreSQL, read only. */
final class BulkJournalCommands {
    private BulkJournalCommands() {
    }

    /** The database, and its password read and wiped around one use. */
    abstract static class JournalCommand implements Callable<Integer> {
        final Invocation run;

        @Mixin
        VerboseOption verbose;

        @Option(names = "--journal", paramLabel = "URI", required = true,
                description = "The run's database: postgresql://USER@HOST[:PORT]/DB (password from PGPASSWORD or ~/.pgpass).")
        String journal;

        JournalCommand(Invocation run) {
            this.run = run;
            this.verbose = new VerboseOption(run);
        }

        @Override
        public Integer call() {
            PgLocation location = SharedJournalOption.location(journal);
            char[] password = SharedJournalOption.password(run, location);
            try {
                return call(location, password);
            } catch (JournalFailedException e) {
                return Failures.report(run, e);
            } catch (FleetException e) {
                return Failures.report(run, e); // no database, no run in it, or an output that cannot be written
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }

        abstract int call(PgLocation location, char[] password);
    }

    @Command(name = "export", description = {
        "Write the seed files of a shared --journal run into --out (verified tokens only, in manifest order): "
            + "the files bulk provision writes. They hold seeds: owner-only; delete them once imported."})
    static final class Export extends JournalCommand {
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the seed files.")
        Path out;

        @Mixin
        SeedFileOptions files = new SeedFileOptions();

        Export(Invocation run) {
            super(run);
        }

        @Override
        int call(PgLocation location, char[] password) {
            FleetOutputs.Written written = FleetRun.export(location, password, out, files.outputs());
            written.notes().forEach(run::note);
            written.files().forEach(f -> run.out().println(f));
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", description = {
        "Show a shared --journal run: per station the rows done (verified), pending (bound to a token not verified yet) "
            + "and failed, and the rows no token has yet. Prints CSV: station,done,pending,failed."})
    static final class Status extends JournalCommand {
        Status(Invocation run) {
            super(run);
        }

        @Override
        int call(PgLocation location, char[] password) {
            Map<String, long[]> byStation = new TreeMap<>();
            long free = 0;
            long done = 0;
            long total = 0;
            try (PgJournal journal = PgJournal.reader(location, password)) {
                for (PgJournal.StationCount c : journal.status()) {
                    total += c.rows();
                    if (c.station() == null) {
                        free += c.rows();
                        continue;
                    }
                    long[] n = byStation.computeIfAbsent(c.station(), s -> new long[3]);
                    switch (c.state()) {
                        case "verified" -> {
                            n[0] += c.rows();
                            done += c.rows();
                        }
                        case "failed" -> n[2] += c.rows();
                        default -> n[1] += c.rows();
                    }
                }
            }
            run.out().println("station,done,pending,failed");
            byStation.forEach((s, n) -> run.out().println(s + "," + n[0] + "," + n[1] + "," + n[2]));
            run.note(done + " of " + total + " rows done, " + free + " not on any token yet");
            return done == total ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }
}
