package io.totptoken.host.fleet;

import io.totptoken.host.transport.Transport;
import io.totptoken.host.transport.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A fleet provisioning run over an output directory: its journal, its ledger, the workers, and
 * the outputs rebuilt from the journal. {@link #start} begins a new run or resumes one;
 * {@link #provision} works every lane of a token source in parallel; {@link #writeOutputs} writes
 * the seed files for the verified tokens.
 */
public final class FleetRun implements AutoCloseable {
    public static final String JOURNAL = "journal.log";

    private final Path out;
    private final JournalStore journal;
    private final Ledger ledger;
    private final FleetOptions options;

    private FleetRun(Path out, JournalStore journal, Ledger ledger, FleetOptions options) {
        this.out = out;
        this.journal = journal;
        this.ledger = ledger;
        this.options = options;
    }

    /**
     * Starts a run in {@code out} (created 0700), or with {@code resume} continues the one there.
     * A new run refuses a directory that already has a journal; a resume refuses different rows or options.
     */
    public static FleetRun start(Path out, List<FleetRow> rows, FleetOptions options, boolean resume) {
        return start(out, rows, options, resume, s -> s);
    }

    static FleetRun start(Path out, List<FleetRow> rows, FleetOptions options, boolean resume,
                          UnaryOperator<JournalSink> wrap) {
        if (rows.isEmpty()) {
            throw new FleetException("there are no rows to provision");
        }
        if (options.forceNewSeed() && !resume) {
            throw new FleetException("--force-new-seed only makes sense with --resume");
        }
        Path dir;
        try {
            dir = PrivateFiles.directory(out);
            removeStaleTemporaries(dir);
        } catch (IOException e) {
            throw new FleetException("cannot use the output directory " + out + ": " + e.getMessage(), e);
        }
        JournalStore journal = Journal.open(dir.resolve(JOURNAL), !resume, wrap);
        try {
            Ledger ledger = resume ? Ledger.resume(journal, rows, options) : Ledger.create(journal, rows, options);
            return new FleetRun(dir, journal, ledger, options);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /**
     * Starts or joins, as station {@code station}, the run kept in the PostgreSQL database at
     * {@code location}; {@code out}, if not null, is where {@link #writeOutputs} writes (created
     * 0700). With {@code resume} the run must exist and the station continues its own work.
     */
    public static FleetRun startShared(PgLocation location, char[] password, String station, Path out,
                                       List<FleetRow> rows, FleetOptions options, boolean resume) {
        if (rows.isEmpty()) {
            throw new FleetException("there are no rows to provision");
        }
        if (options.forceNewSeed() && !resume) {
            throw new FleetException("--force-new-seed only makes sense with --resume");
        }
        Path dir = out == null ? null : outputDirectory(out);
        PgJournal journal = PgJournal.open(location, password, station, Ledger.header(rows, options), rows, resume);
        try {
            return new FleetRun(dir, journal, Ledger.resume(journal, rows, options), options);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** Writes the seed files of every token the shared journal holds as verified into {@code out}, as a station's run would. */
    public static FleetOutputs.Written export(PgLocation location, char[] password, Path out, FleetOutputs.Options o) {
        Path dir = outputDirectory(out);
        try (PgJournal journal = PgJournal.reader(location, password)) {
            return FleetOutputs.write(dir, Ledger.view(journal), o);
        }
    }

    private static Path outputDirectory(Path out) {
        try {
            Path dir = PrivateFiles.directory(out);
            removeStaleTemporaries(dir);
            return dir;
        } catch (IOException e) {
            throw new FleetException("cannot use the output directory " + out + ": " + e.getMessage(), e);
        }
    }

    /** Temporary files of an output write that a crash interrupted (the outputs themselves are rebuilt). */
    private static void removeStaleTemporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public Ledger ledger() {
        return ledger;
    }

    public Path directory() {
        return out;
    }

    public JournalStore journal() {
        return journal;
    }

    /**
     * Works every lane in parallel, one thread each, until the lanes run dry or every row is on a
     * token; spare tokens are not taken ({@link TokenDemand}).
     */
    public FleetResult provision(TokenSource source, FleetListener listener) {
        List<TokenSource.Lane> lanes = source.lanes();
        List<TokenOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> stopped = new AtomicReference<>();
        listener.started(ledger.rows(), ledger.verifiedCount(), lanes.size());
        Set<Long> waiting = new HashSet<>();
        // A shared journal's rows that other stations are working on are not looked for here.
        Set<Long> mine = journal instanceof SharedJournalStore shared ? shared.unfinishedHere() : null;
        for (Assignment a : ledger.pending()) {
            if (mine == null || mine.contains(a.serial())) {
                waiting.add(a.serial());
            }
        }
        TokenDemand demand = new TokenDemand(ledger, waiting, stopped);
        if (!TokenSource.workInParallel(lanes, "fleet", lane -> work(lane, demand, outcomes, stopped, listener))) {
            stopped.compareAndSet(null, "interrupted");
        }
        if (stopped.get() == null) {
            ledger.refresh(); // the other stations' rows count too
        }
        return new FleetResult(List.copyOf(outcomes), ledger.verifiedCount(), ledger.rows(), ledger.pending(),
                stopped.get(), source.untaken());
    }

    private void work(TokenSource.Lane lane, TokenDemand demand, List<TokenOutcome> outcomes,
                      AtomicReference<String> stopped, FleetListener listener) {
        Unreported last = new Unreported();
        try {
            while (demand.take()) {
                try {
                    if (!workOne(lane, outcomes, stopped, listener, last)) {
                        return;
                    }
                } finally {
                    demand.done();
                }
            }
        } finally {
            settle(last, outcomes, stopped, listener);
        }
    }

    /** A lane's last token, not reported yet: it is once its verification is durable. */
    private static final class Unreported {
        TokenOutcome outcome;
        long position;
    }

    /** Makes the lane's last verification durable (nothing to do when a later commit covered it) and reports the token. */
    private void settle(Unreported last, List<TokenOutcome> outcomes, AtomicReference<String> stopped,
                        FleetListener listener) {
        if (last.outcome == null) {
            return;
        }
        TokenOutcome o = last.outcome;
        last.outcome = null;
        try {
            journal.sync(last.position);
        } catch (JournalFailedException e) {
            stopped.compareAndSet(null, e.getMessage());
            return; // not durable: it does not count
        }
        report(o, outcomes, listener);
    }

    /** Takes the lane's next token and works it; false when the lane is done (no more tokens, or the run stopped). */
    private boolean workOne(TokenSource.Lane lane, List<TokenOutcome> outcomes, AtomicReference<String> stopped,
                            FleetListener listener, Unreported last) {
        Transport t;
        try {
            t = lane.next();
        } catch (RuntimeException e) {
            // No token to work (a reader without one, a state file in use or unreadable): nothing was bound.
            report(new TokenOutcome(lane.label(), null, null, TokenOutcome.Result.REFUSED, null, 0,
                    e instanceof TransportException ? e.getMessage() : e.toString(), 0), outcomes, listener);
            return true;
        }
        if (t == null) {
            return false;
        }
        CountingTransport wire = new CountingTransport(t);
        try {
            TokenJob job = new TokenJob(ledger, options, lane.label(), wire, listener);
            TokenOutcome o = job.run();
            settle(last, outcomes, stopped, listener); // the token before: durable already, with this one's binding
            last.outcome = o;
            last.position = job.verifiedAt(); // 0 when it appended no verification: nothing to wait for
            if (job.verifiedAt() == 0 || !lane.ready()) {
                settle(last, outcomes, stopped, listener); // before anyone is asked for the next token
            }
            return stopped.get() == null;
        } catch (JournalFailedException e) {
            stopped.compareAndSet(null, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            // A bug or something unforeseen: stop this lane, keep what the journal says.
            stopped.compareAndSet(null, "unexpected error on " + lane.label() + ": " + e);
            return false;
        } finally {
            t.close();
        }
    }

    private void report(TokenOutcome o, List<TokenOutcome> outcomes, FleetListener listener) {
        outcomes.add(o);
        listener.token(o, ledger.verifiedCount(), ledger.rows());
    }

    /** Writes the outputs for every verified token, each file atomically; returns the files written. */
    public FleetOutputs.Written writeOutputs(FleetOutputs.Options o) {
        if (out == null) {
            throw new FleetException("this run has no output directory (--out)");
        }
        return FleetOutputs.write(out, ledger, o);
    }

    @Override
    public void close() {
        journal.close();
    }
}
