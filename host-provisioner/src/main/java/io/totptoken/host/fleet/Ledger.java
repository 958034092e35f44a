package io.totptoken.host.fleet;

import io.totptoken.host.fleet.JournalRecord.Assigned;
import io.totptoken.host.fleet.JournalRecord.Failed;
import io.totptoken.host.fleet.JournalRecord.Header;
import io.totptoken.host.fleet.JournalRecord.Refused;
import io.totptoken.host.fleet.JournalRecord.Released;
import io.totptoken.host.fleet.JournalRecord.Verified;
import io.totptoken.host.fleet.JournalRecord.Written;
import io.totptoken.host.provisioning.HashAlgorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which row each token has, rebuilt from the journal and kept in step with it. Every change is
 * appended to the journal before it is acted on; an assignment (with its seed) is durable before
 * the token is written, a verification before the token counts as done.
 *
 * <p>Journal records ({@link JournalRecord}, docs/fleet.md): the header, a row assigned to a
 * token (with its seed), written, verified, failed but still bound (the token may hold the seed),
 * released (the token does not hold it, or the admin forced a new seed), and a token refused
 * before anything was assigned.
 */
public final class Ledger {
    static final String VERSION = "1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JournalStore journal;
    private final FleetOptions options;
    private final Map<Integer, FleetRow> rowsByLine = new LinkedHashMap<>();
    private final Map<Long, Assignment> bySerial = new LinkedHashMap<>();
    private final Map<Integer, Assignment> active = new HashMap<>();
    private final Deque<FleetRow> freeAny = new ArrayDeque<>();
    private final Map<Long, FleetRow> freePinned = new HashMap<>();
    private final Map<Integer, byte[]> reusableSeeds = new HashMap<>();
    private final Map<Long, String> refusals = new LinkedHashMap<>();
    private int verifiedCount;
    private volatile FleetListener seedListener = FleetListener.NONE;

    private Ledger(JournalStore journal, List<FleetRow> rows, FleetOptions options) {
        this.journal = journal;
        this.options = options;
        for (FleetRow r : rows) {
            rowsByLine.put(r.line(), r);
        }
        if (journal instanceof SharedJournalStore shared) {
            shared.follow(new SharedJournalStore.Follower() {
                @Override
                public void apply(List<JournalRecord> others) {
                    applyOthers(others);
                }

                @Override
                public boolean knows(long serial) {
                    return known(serial) != null;
                }

                @Override
                public Assigned bind(long serial, int line) {
                    return bindShared(serial, line);
                }
            });
        }
    }

    /** A new ledger over a new journal: writes the header. */
    static Ledger create(JournalStore journal, List<FleetRow> rows, FleetOptions options) {
        Ledger l = new Ledger(journal, rows, options);
        journal.write(new Header(VERSION, header(rows, options)));
        l.rebuildFree();
        return l;
    }

    /** A ledger from an existing journal, which must have been started with the same rows and options. */
    static Ledger resume(JournalStore journal, List<FleetRow> rows, FleetOptions options) {
        Ledger l = new Ledger(journal, rows, options);
        List<JournalRecord> records = journal.replayed();
        if (records.isEmpty() || !(records.get(0) instanceof Header h)) {
            throw new FleetException("the journal " + journal.location() + " has no header; it cannot be resumed");
        }
        if (!VERSION.equals(h.version())) {
            throw new FleetException("the journal is of version " + h.version() + "; this tokenctl reads version " + VERSION);
        }
        if (!header(rows, options).equals(h.run())) {
            throw new FleetException("the manifest or the options (type, algorithm, digits, period, issuer, touch, "
                    + "seeds) differ from the run being resumed; resume with the same ones");
        }
        for (int i = 1; i < records.size(); i++) {
            try {
                l.apply(records.get(i));
            } catch (RuntimeException e) {
                throw new FleetException("journal record " + (i + 1) + " does not fit the manifest: " + e.getMessage());
            }
        }
        l.rebuildFree();
        if (options.forceNewSeed()) {
            for (Assignment a : l.pending()) {
                if (journal instanceof SharedJournalStore shared && !shared.abandoned(a.serial)) {
                    continue; // a running station is working on it
                }
                l.release(a, "released by --force-new-seed: the token must be reset before it is used again", false);
            }
        }
        return l;
    }

    /**
     * The outputs' view of a shared journal, for {@code bulk export}: the rows are the ones the
     * records name (the manifest is not needed), every record applied.
     */
    static Ledger view(JournalStore journal) {
        List<JournalRecord> records = journal.replayed();
        Map<Integer, FleetRow> rows = new java.util.TreeMap<>();
        for (JournalRecord r : records) {
            if (r instanceof Assigned a) {
                rows.putIfAbsent(a.line(), new FleetRow(a.line(), a.issuer(), a.account(), null, null, a.params(),
                        a.user(), a.realm(), a.resolver(), a.upn()));
            }
        }
        Ledger l = new Ledger(journal, new ArrayList<>(rows.values()), FleetOptions.defaults());
        for (int i = 1; i < records.size(); i++) {
            l.apply(records.get(i));
        }
        l.rebuildFree();
        return l;
    }

    /** What a run depends on, without any secret: rows' identities and the credential options. */
    static String header(List<FleetRow> rows, FleetOptions o) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (FleetRow r : rows) {
                String p = r.params() == null ? "" : r.params().toString();
                d.update(String.join("\u0000", Integer.toString(r.line()), String.valueOf(r.issuer()), r.account(),
                        String.valueOf(r.serial()), r.seed() == null ? "generate" : "given", r.user(), r.realm(),
                        r.resolver(), p, "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return "type=" + o.type() + " algorithm=" + o.algorithm() + " digits=" + o.digits() + " period="
                    + o.period() + " issuer=" + o.issuer() + " touch=" + o.touch() + " rows=" + rows.size()
                    + " digest=" + HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replays one record of the journal being resumed. */
    private void apply(JournalRecord r) {
        if (r instanceof Assigned record) {
            FleetRow row = rowsByLine.get(record.line());
            if (row == null || !row.account().equals(record.account())) {
                throw new IllegalStateException("no row " + record.line() + " for account " + record.account());
            }
            if (active.get(row.line()) != null) {
                throw new IllegalStateException("row " + row.line() + " is assigned twice");
            }
            Assignment a = new Assignment(record.serial(), row, record.entry(), record.touch());
            bySerial.put(a.serial, a);
            active.put(row.line(), a);
            reusableSeeds.remove(row.line());
            refusals.remove(a.serial);
        } else if (r instanceof Written w) {
            assignment(w.serial()).state = Assignment.State.WRITTEN;
        } else if (r instanceof Verified v) {
            Assignment a = assignment(v.serial());
            if (a.state != Assignment.State.VERIFIED) {
                verifiedCount++;
            }
            a.state = Assignment.State.VERIFIED;
            a.code = v.code();
            a.moving = v.moving();
            a.checkedAt = v.checkedAt();
            a.counter = v.nextCounter();
            a.failure = null;
        } else if (r instanceof Failed f) {
            Assignment a = assignment(f.serial());
            a.state = Assignment.State.FAILED;
            a.failure = f.reason();
        } else if (r instanceof Released x) {
            Assignment a = assignment(x.serial());
            a.state = Assignment.State.RELEASED;
            a.failure = x.reason();
            active.remove(a.row.line());
            if (x.keepSeed()) {
                reusableSeeds.put(a.row.line(), a.entry.secret());
            }
        } else if (r instanceof Refused n) {
            refusals.put(n.serial(), n.reason());
        } else {
            throw new IllegalStateException("a second header");
        }
    }

    private Assignment assignment(long serial) {
        Assignment a = bySerial.get(serial);
        if (a == null) {
            throw new IllegalStateException("a record for serial " + serial + " comes before its assignment");
        }
        return a;
    }

    private void rebuildFree() {
        freeAny.clear();
        freePinned.clear();
        for (FleetRow r : rowsByLine.values()) {
            if (!active.containsKey(r.line())) {
                if (r.serial() != null) {
                    freePinned.put(r.serial(), r);
                } else {
                    freeAny.add(r);
                }
            }
        }
    }

    /**
     * Catches up with what the other stations of a shared journal did; nothing for a file journal.
     * Not under this ledger's lock: the store applies the records under its own, then this one
     * (always in that order).
     */
    void refresh() {
        if (journal instanceof SharedJournalStore shared) {
            shared.catchUp();
        }
    }

    /** Applies the other stations' records, keeping the free rows in step one row at a time (not rebuilt: this runs for every binding). */
    private synchronized void applyOthers(List<JournalRecord> others) {
        for (JournalRecord r : others) {
            apply(r);
            if (r instanceof Assigned a) {
                taken(rowsByLine.get(a.line()));
            } else if (r instanceof Released x) {
                FleetRow row = bySerial.get(x.serial()).row;
                if (!active.containsKey(row.line()) && !freeAny.contains(row)) {
                    freeAgain(row);
                }
            }
        }
    }

    /** What the journal says about a token (for a shared journal, after catching up with the other stations). */
    public Assignment lookup(long serial) {
        refresh();
        return known(serial);
    }

    /** What this ledger knows of a token, without asking a shared journal what the other stations did. */
    public synchronized Assignment known(long serial) {
        Assignment a = bySerial.get(serial);
        return a == null || a.state == Assignment.State.RELEASED ? null : a;
    }

    /** Whether a row could still go to the token: one pinned to its serial, or any unpinned one. */
    public synchronized boolean hasRowFor(long serial) {
        return freePinned.containsKey(serial) || !freeAny.isEmpty();
    }

    /** Whether there is nothing left to write: every row is verified. */
    public synchronized boolean complete() {
        return freeAny.isEmpty() && freePinned.isEmpty() && verifiedCount == active.size();
    }

    /** Rows verified so far. */
    public synchronized int verifiedCount() {
        return verifiedCount;
    }

    /**
     * Binds the next row to the token and makes that durable before returning; null when no row is
     * left for it. The seed is the row's, one kept from a released assignment of the row, or new
     * (its generation time goes to {@code listener}).
     */
    Assignment assign(long serial, FleetListener listener) {
        if (journal instanceof SharedJournalStore shared) {
            return assignShared(shared, serial, listener);
        }
        Assignment a;
        long position;
        synchronized (this) {
            FleetRow row = freePinned.remove(serial);
            if (row == null) {
                row = freeAny.poll();
            }
            if (row == null) {
                return null;
            }
            SeedEntry e = entry(serial, row, reusableSeeds.remove(row.line()), listener);
            a = new Assignment(serial, row, e, options.touch());
            bySerial.put(serial, a);
            active.put(row.line(), a);
            refusals.remove(serial);
            position = journal.append(Assigned.of(serial, row, e, options.touch()));
        }
        journal.sync(position);
        return a;
    }

    /** The seed entry row {@code row} gets on token {@code serial}: the row's seed, a kept one, or a new one. */
    private SeedEntry entry(long serial, FleetRow row, byte[] kept, FleetListener listener) {
        SeedParams p = row.params() != null ? row.params()
                : new SeedParams(options.type(), options.algorithm(), options.digits(), options.period(), 0);
        byte[] seed = row.seed() != null ? row.seed().clone() : kept;
        if (seed == null) {
            long start = System.nanoTime();
            seed = generate(p.algorithm());
            listener.seedGenerated(System.nanoTime() - start);
        }
        String issuer = row.issuer() != null ? row.issuer() : options.issuer();
        return new SeedEntry(Long.toString(serial), p.type(), p.algorithm(), p.digits(), p.period(),
                p.counter(), issuer == null || issuer.isBlank() ? null : issuer.strip(), row.account(), row.user(),
                row.realm(), row.resolver(), seed);
    }

    /**
     * The store picks the row (under its locks, so two stations never get the same one) and makes
     * the binding durable, binding other workers' tokens in the same transaction when they ask
     * meanwhile; {@link #bindShared} makes the record. {@link SharedJournalStore.BoundElsewhereException}
     * when another station bound the token already.
     */
    private Assignment assignShared(SharedJournalStore shared, long serial, FleetListener listener) {
        seedListener = listener;
        Assigned record = shared.bind(serial);
        if (record == null) {
            return null;
        }
        synchronized (this) {
            return bySerial.get(serial);
        }
    }

    /**
     * Called by the store with the row it picked for a token, after it applied what the other
     * stations did meanwhile (a seed kept by another station's release is reused, never
     * replaced). The ledger follows at once, as for the file journal; the store answers the
     * worker only after its COMMIT, and a failed COMMIT stops the station.
     */
    private synchronized Assigned bindShared(long serial, int line) {
        FleetRow row = rowsByLine.get(line);
        if (row == null || active.containsKey(line)) {
            throw new IllegalStateException("the journal's row " + line + " is not free here");
        }
        SeedEntry e = entry(serial, row, reusableSeeds.remove(line), seedListener);
        Assignment a = new Assignment(serial, row, e, options.touch());
        bySerial.put(serial, a);
        active.put(line, a);
        refusals.remove(serial);
        taken(row);
        return Assigned.of(serial, row, e, options.touch());
    }

    /** A row is on a token now: off the free rows. */
    private void taken(FleetRow row) {
        if (row.serial() != null) {
            freePinned.remove(row.serial());
        } else {
            freeAny.remove(row);
        }
    }

    /** A row is free again: the next token it may go to takes it first. */
    private void freeAgain(FleetRow row) {
        if (row.serial() != null) {
            freePinned.put(row.serial(), row);
        } else {
            freeAny.addFirst(row);
        }
    }

    /** 20, 32 or 64 random bytes: the hash's output length, as RFC 4226 section 4 and RFC 6238 section 5.1 advise. */
    static byte[] generate(HashAlgorithm algorithm) {
        byte[] seed = new byte[algorithm.outputLength()];
        RANDOM.nextBytes(seed);
        return seed;
    }

    void written(Assignment a) {
        synchronized (a) {
            a.state = Assignment.State.WRITTEN;
            a.failure = null;
        }
        journal.append(new Written(a.serial));
    }

    /**
     * Records the check; returns the journal position to {@link JournalStore#sync} before the token
     * is reported done (only then does it count: {@code FleetRun} syncs it, with the next token's
     * binding when the lane has one ready at once).
     */
    long verified(Assignment a, String code, long moving, long at, long nextCounter) {
        synchronized (this) {
            if (a.state() != Assignment.State.VERIFIED) {
                verifiedCount++;
            }
        }
        synchronized (a) {
            a.state = Assignment.State.VERIFIED;
            a.code = code;
            a.moving = moving;
            a.checkedAt = at;
            a.counter = nextCounter;
            a.failure = null;
        }
        return journal.append(new Verified(a.serial, code, moving, at, nextCounter));
    }

    /** The token may hold the seed: the row stays bound to it, and the next sight of the token finishes it. */
    void failed(Assignment a, String reason) {
        synchronized (a) {
            a.state = Assignment.State.FAILED;
            a.failure = reason;
        }
        journal.write(new Failed(a.serial, reason));
    }

    /** The token does not hold the seed (it refused the PUT) or the admin forced it: the row is free again. */
    void release(Assignment a, String reason, boolean keepSeed) {
        long position;
        synchronized (this) {
            synchronized (a) {
                a.state = Assignment.State.RELEASED;
                a.failure = reason;
            }
            active.remove(a.row.line());
            if (keepSeed) {
                reusableSeeds.put(a.row.line(), a.entry.secret());
            }
            freeAgain(a.row);
            position = journal.append(new Released(a.serial, reason, keepSeed));
        }
        journal.sync(position);
    }

    /** A token turned away before any row was bound to it (for the report). */
    void refused(long serial, String reason) {
        synchronized (this) {
            refusals.put(serial, reason);
        }
        journal.append(new Refused(serial, reason));
    }

    /** Rows bound to a token that has not been verified yet, in manifest order. */
    public synchronized List<Assignment> pending() {
        List<Assignment> out = new ArrayList<>();
        for (Assignment a : active.values()) {
            if (a.state() != Assignment.State.VERIFIED) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparingInt(a -> a.row.line()));
        return out;
    }

    /** Verified tokens in manifest order: what the outputs hold. */
    public synchronized List<Assignment> verified() {
        List<Assignment> out = new ArrayList<>();
        for (Assignment a : active.values()) {
            if (a.state() == Assignment.State.VERIFIED) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparingInt(a -> a.row.line()));
        return out;
    }

    /** Every token the journal knows, latest state each (for the report). */
    synchronized List<Assignment> all() {
        return new ArrayList<>(bySerial.values());
    }

    synchronized Map<Long, String> refusals() {
        Map<Long, String> out = new LinkedHashMap<>(refusals);
        bySerial.keySet().forEach(out::remove);
        return out;
    }

    public synchronized int rows() {
        return rowsByLine.size();
    }

    public synchronized int freeRows() {
        return freeAny.size() + freePinned.size();
    }

    /** Free rows that any token can take. */
    synchronized int freeUnpinnedRows() {
        return freeAny.size();
    }

    /** Free rows that only the token of their serial can take. */
    synchronized int freePinnedRows() {
        return freePinned.size();
    }

    JournalStore journal() {
        return journal;
    }
}
