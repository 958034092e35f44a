package io.totptoken.host.fleet;

import io.totptoken.host.fleet.JournalRecord.Assigned;
import io.totptoken.host.fleet.JournalRecord.Header;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The run's journal in PostgreSQL, shared by every station of a run: one run per database. The
 * records are the file journal's lines ({@link JournalCodec}, CRC included) in {@code
 * tokenctl_record}, each with its station; {@code tokenctl_row} holds one row per manifest row and
 * the serial bound to it, so that the database itself keeps a row on one token (the primary key)
 * and a serial on one row (a unique index), and {@code FOR UPDATE SKIP LOCKED} hands two stations
 * binding at once different rows. A station holds a session advisory lock on its name while it
 * runs: a second process with the same name is refused, and a station whose lock is free is dead.
 *
 * <p>One connection per station. Records wait in memory, and tokens waiting for a row queue, until
 * a worker needs one of them durable ({@link #sync}, {@link #bind}): that worker then writes every
 * binding and record queued so far in one transaction while the others wait for its COMMIT (a
 * group commit across the station's workers, bindings included).
 */
public final class PgJournal implements SharedJournalStore {
    private final Connection db;
    private final PgLocation location;
    private final String station;
    private final UUID session = UUID.randomUUID();
    private final PgStatements statements;
    private final List<JournalRecord> replayed;
    private final List<JournalRecord> pending = new ArrayList<>();
    private final ArrayDeque<BindRequest> binds = new ArrayDeque<>(); // guarded by this
    private Follower follower; // guarded by dbLock
    /** Guards the connection (and the statements' state, syncs); appends take only this object's lock, so they go on during a COMMIT. */
    private final Object dbLock = new Object();
    private long appended; // guarded by this
    private volatile long durable;
    private volatile SQLException failure;
    private long records;
    private long syncs;
    private long syncNanos;

    private PgJournal(Connection db, PgLocation location, String station, List<JournalRecord> replayed, boolean pins) {
        this.db = db;
        this.statements = new PgStatements(db, session, station, pins);
        this.location = location;
        this.station = station;
        this.replayed = replayed;
    }

    /**
     * Opens the run in the database as {@code station}: creates it from {@code header} and the
     * rows when the database has none (unless {@code resume}), joins it when its header is the same,
     * refuses another manifest or options.
     */
    public static PgJournal open(PgLocation location, char[] password, String station, String header,
                                 List<FleetRow> rows, boolean resume) {
        Connection db = PgSchema.connect(location, password);
        try {
            if (!PgSchema.tryStationLock(db, station)) {
                throw new FleetException("station " + station + " is running already on " + location
                        + " (another tokenctl holds its lock); give each station its own --station NAME");
            }
            PgSchema.setUp(db);
            String[] run = PgSchema.run(db);
            if (run == null) {
                if (resume) {
                    throw new FleetException("there is no run in " + location + " to resume");
                }
                PgSchema.create(db, header, rows);
            } else if (!run[0].equals(Ledger.VERSION)) {
                throw new FleetException("the run in " + location + " is of version " + run[0]
                        + "; this tokenctl reads version " + Ledger.VERSION);
            } else if (!run[1].equals(header)) {
                throw new FleetException("the run in " + location + " was started with another manifest or other options "
                        + "(type, algorithm, digits, period, issuer, touch, seeds); join it with the same ones");
            } else if (!resume && PgSchema.hasRecords(db, station)) {
                throw new FleetException("station " + station + " already worked on the run in " + location
                        + "; continue it with --resume");
            }
            List<JournalRecord> replayed = new ArrayList<>();
            replayed.add(new Header(Ledger.VERSION, header));
            PgJournal j = new PgJournal(db, location, station, replayed, rows.stream().anyMatch(r -> r.serial() != null));
            j.readAll(replayed);
            try (PreparedStatement s = db.prepareStatement("INSERT INTO tokenctl_session (session, station) VALUES (?, ?)")) {
                s.setObject(1, j.session);
                s.setString(2, station);
                s.executeUpdate();
            }
            db.commit();
            return j;
        } catch (SQLException e) {
            closeQuietly(db);
            throw new FleetException("cannot open the journal in " + location + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(db);
            throw e;
        }
    }

    /** For export and status: every record of the run, read once; writes nothing. */
    public static PgJournal reader(PgLocation location, char[] password) {
        Connection db = PgSchema.connect(location, password);
        try {
            db.setReadOnly(true);
            String[] run = PgSchema.hasRun(db) ? PgSchema.run(db) : null;
            if (run == null) {
                throw new FleetException("there is no run in " + location);
            }
            List<JournalRecord> replayed = new ArrayList<>();
            replayed.add(new Header(run[0], run[1]));
            PgJournal j = new PgJournal(db, location, "(reader)", replayed, false);
            j.readAll(replayed);
            db.commit();
            return j;
        } catch (SQLException e) {
            closeQuietly(db);
            throw new FleetException("cannot read the journal in " + location + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(db);
            throw e;
        }
    }

    /** Every record, in commit order as far as causes go (an id is taken after what it depends on was visible). */
    private void readAll(List<JournalRecord> into) throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT session, seq, line FROM tokenctl_record ORDER BY id")) {
            int n = 1;
            while (r.next()) {
                statements.seen((UUID) r.getObject(1), r.getLong(2));
                into.add(PgSchema.decode(r.getBytes(3), ++n));
            }
        }
    }

    @Override
    public List<JournalRecord> replayed() {
        return replayed;
    }

    @Override
    public String station() {
        return station;
    }

    @Override
    public String location() {
        return location.toString();
    }

    @Override
    public synchronized long append(JournalRecord record) {
        checkHealthy();
        pending.add(record);
        records++;
        return ++appended;
    }

    @Override
    public void follow(Follower follower) {
        synchronized (dbLock) {
            this.follower = follower;
        }
    }

    /** A group commit: one COMMIT covers every record appended and every binding asked for before it, whichever worker asked. */
    @Override
    public void sync(long position) {
        if (durable >= position) {
            return;
        }
        synchronized (dbLock) {
            if (durable >= position) {
                return; // covered by another worker's COMMIT
            }
            round();
        }
    }

    @Override
    public Assigned bind(long serial) {
        BindRequest request = new BindRequest(serial);
        synchronized (this) {
            checkHealthy();
            binds.add(request);
        }
        synchronized (dbLock) {
            if (!request.done) {
                round(); // takes this request and every other one queued meanwhile
            }
        }
        if (request.error != null) {
            throw request.error;
        }
        return request.result;
    }

    @Override
    public void catchUp() {
        synchronized (dbLock) {
            checkHealthy();
            try {
                deliver(statements.others());
                db.commit();
            } catch (SQLException e) {
                throw failed(e);
            }
        }
    }

    /** A token waiting for its row; answered by the round that takes it (under dbLock). */
    private static final class BindRequest {
        final long serial;
        Assigned result;
        RuntimeException error;
        boolean done;

        BindRequest(long serial) {
            this.serial = serial;
        }
    }

    /**
     * Under dbLock: one transaction with every binding and record queued so far. Bindings first
     * (the rows are chosen under {@code FOR UPDATE SKIP LOCKED}, so two stations binding at once
     * get different rows), then the records in the order they were appended, the new bindings'
     * records last; durable at the COMMIT, and only then answered.
     */
    private void round() {
        checkHealthy();
        List<BindRequest> batch;
        List<JournalRecord> records;
        long target;
        synchronized (this) {
            batch = new ArrayList<>(binds);
            binds.clear();
            records = new ArrayList<>(pending);
            pending.clear();
            target = appended;
        }
        long start = System.nanoTime();
        try {
            if (batch.isEmpty()) {
                // Records only: one statement, committed on its own (one round trip)
                db.setAutoCommit(true);
                try {
                    statements.write(records, PgStatements.Bound.NONE, false);
                } finally {
                    db.setAutoCommit(false);
                }
            } else {
                PgStatements.Bound bound = bindAll(batch);
                records.addAll(bound.records());
                statements.write(records, bound, true);
            }
            durable = target;
        } catch (SQLException e) {
            RuntimeException f;
            if ("23505".equals(e.getSQLState())) { // unique_violation: a serial went to another row meanwhile
                rollbackQuietly();
                restore(records, batch);
                f = new FleetException("a token's serial was bound to another row by another station at the same time "
                        + "(two tokens with one serial?); stopped");
            } else {
                f = failed(e);
            }
            answer(batch, f);
            throw f;
        } catch (RuntimeException e) {
            rollbackQuietly();
            restore(records, batch);
            answer(batch, e);
            throw e;
        }
        syncs++;
        syncNanos += System.nanoTime() - start;
        for (BindRequest r : batch) {
            r.done = true;
        }
    }

    /** After a rolled back round: the records go back to be written by the next one (the bindings are not retried). */
    private void restore(List<JournalRecord> records, List<BindRequest> batch) {
        List<JournalRecord> appendedOnly = new ArrayList<>(records);
        for (BindRequest r : batch) {
            if (r.result != null) {
                appendedOnly.remove(r.result);
                r.result = null;
            }
        }
        synchronized (this) {
            pending.addAll(0, appendedOnly);
        }
    }

    private static void answer(List<BindRequest> batch, RuntimeException error) {
        for (BindRequest r : batch) {
            r.result = null;
            r.error = error;
            r.done = true;
        }
    }

    /**
     * Picks a row for each request's serial in the current transaction, in one round trip that
     * also reads what the other stations did: a serial the run has already (on another station) is
     * answered with {@link BoundElsewhereException}; another gets the free row pinned to it, else
     * the next free unpinned one, or null when none is left. The rows are written with the records.
     */
    private PgStatements.Bound bindAll(List<BindRequest> batch) throws SQLException {
        PgStatements.Picked picked = statements.pick(batch.stream().map(r -> r.serial).toList());
        Map<Long, Integer> pinned = picked.pinned();
        ArrayDeque<Integer> any = picked.free();
        deliver(picked.others());
        PgStatements.Bound bound = new PgStatements.Bound(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (BindRequest r : batch) {
            if (follower.knows(r.serial)) {
                r.error = new BoundElsewhereException(r.serial);
                continue;
            }
            Integer line = pinned.remove(r.serial);
            if (line == null) {
                line = any.poll();
            }
            if (line == null) {
                continue; // no row left for it: answered null
            }
            r.result = follower.bind(r.serial, line);
            bound.records().add(r.result);
            bound.lines().add(line);
            bound.serials().add(r.serial);
        }
        return bound;
    }

    /** What the other stations did, to the ledger that follows this journal (under dbLock, so in order). */
    private void deliver(List<JournalRecord> others) {
        if (!others.isEmpty() && follower != null) {
            follower.apply(others);
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: the next round reports it
        }
    }

    @Override
    public boolean abandoned(long serial) {
        synchronized (dbLock) {
            return abandonedLocked(serial);
        }
    }

    private boolean abandonedLocked(long serial) {
        try (PreparedStatement s = db.prepareStatement("SELECT station FROM tokenctl_row WHERE serial = ?")) {
            s.setLong(1, serial);
            String owner;
            try (ResultSet r = s.executeQuery()) {
                owner = r.next() ? r.getString(1) : null;
            }
            boolean dead = owner == null || owner.equals(station) || PgSchema.tryStationLock(db, owner);
            if (owner != null && !owner.equals(station) && dead) {
                try (PreparedStatement u = db.prepareStatement("SELECT pg_advisory_unlock(hashtext('tokenctl station ' || ?))")) {
                    u.setString(1, owner);
                    u.executeQuery().close();
                }
            }
            db.commit();
            return dead;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public java.util.Set<Long> unfinishedHere() {
        synchronized (dbLock) {
            return unfinishedHereLocked();
        }
    }

    private java.util.Set<Long> unfinishedHereLocked() {
        java.util.Set<Long> out = new java.util.HashSet<>();
        try (PreparedStatement s = db.prepareStatement("SELECT serial FROM tokenctl_row WHERE station = ? "
                + "AND state IN ('bound', 'written', 'failed')")) {
            s.setString(1, station);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getLong(1));
                }
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Rows per station and state, for {@code bulk status}: free rows have no station. */
    public List<StationCount> status() {
        synchronized (dbLock) {
            return statusLocked();
        }
    }

    private List<StationCount> statusLocked() {
        List<StationCount> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT CASE WHEN state = 'free' THEN NULL ELSE station END AS st, state, count(*) "
                     + "FROM tokenctl_row GROUP BY 1, 2 ORDER BY 1 NULLS FIRST, 2")) {
            while (r.next()) {
                out.add(new StationCount(r.getString(1), r.getString(2), r.getLong(3)));
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            throw new FleetException("cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    /** How many rows a station has in a state (free, bound, written, verified, failed). */
    public record StationCount(String station, String state, long rows) {
    }

    private void checkHealthy() {
        if (failure != null) {
            throw failed(failure);
        }
    }

    private JournalFailedException failed(SQLException e) {
        failure = e;
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the records not committed are lost, which a resume tolerates
        }
        return new JournalFailedException("cannot write the journal in " + location + " (" + e.getMessage()
                + "); stopped: no token is written without its journal record. Resume (--resume) once the database is back", e);
    }

    @Override
    public JournalStats stats() {
        synchronized (dbLock) {
            synchronized (this) {
                return new JournalStats(records, syncs, syncNanos);
            }
        }
    }

    @Override
    public void close() {
        synchronized (dbLock) {
            closeLocked();
        }
    }

    private void closeLocked() {
        if (failure == null) {
            try {
                round();
            } catch (RuntimeException e) {
                // not synced records may be lost: a resume tolerates that
            }
        }
        closeQuietly(db);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // nothing to do
        }
    }
}
