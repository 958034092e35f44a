package io.totptoken.host.fleet;

import io.totptoken.host.fleet.JournalRecord.Assigned;
import io.totptoken.host.fleet.JournalRecord.Header;
import io.totptoken.host.fleet.JournalRecord.Released;
import io.totptoken.host.fleet.JournalRecord.Verified;
import io.totptoken.host.fleet.JournalRecord.Written;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * <p>One connection per station; records wait in memory until {@link #sync}, which writes them all
 * in one transaction (a group commit across the station's workers).
 */
public final class PgJournal implements SharedJournalStore {
    private final Connection db;
    private final PgLocation location;
    private final String station;
    private final UUID session = UUID.randomUUID();
    private final List<JournalRecord> replayed;
    private final Map<UUID, Long> seen = new HashMap<>();
    private final List<JournalRecord> pending = new ArrayList<>();
    private long seq;
    /** Guards the connection (and seen, seq, syncs); appends take only this object's lock, so they go on during a COMMIT. */
    private final Object dbLock = new Object();
    private long appended; // guarded by this
    private volatile long durable;
    private long flushedTo; // guarded by dbLock: what the transaction under way covers
    private volatile SQLException failure;
    private long records;
    private long syncs;
    private long syncNanos;

    private PgJournal(Connection db, PgLocation location, String station, List<JournalRecord> replayed) {
        this.db = db;
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
            PgJournal j = new PgJournal(db, location, station, replayed);
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
            PgJournal j = new PgJournal(db, location, "(reader)", replayed);
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
                seen.merge((UUID) r.getObject(1), r.getLong(2), Math::max);
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

    /** A group commit: one COMMIT covers every record appended before it, whichever worker appended it. */
    @Override
    public void sync(long position) {
        if (durable >= position) {
            return;
        }
        synchronized (dbLock) {
            if (durable >= position) {
                return; // covered by another worker's COMMIT
            }
            checkHealthy();
            long start = System.nanoTime();
            try {
                flush();
                db.commit();
                durable = flushedTo;
            } catch (SQLException e) {
                throw failed(e);
            }
            syncs++;
            syncNanos += System.nanoTime() - start;
        }
    }

    /** Writes the pending records inside the current transaction; durable once it commits. */
    private void flush() throws SQLException {
        List<JournalRecord> batch;
        long target;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(pending);
            pending.clear();
            target = appended;
        }
        try (PreparedStatement ins = db.prepareStatement("INSERT INTO tokenctl_record (session, seq, station, kind, serial, line) "
                + "VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement row = db.prepareStatement("UPDATE tokenctl_row SET state = ?, station = ? WHERE serial = ?");
             PreparedStatement free = db.prepareStatement("UPDATE tokenctl_row SET state = 'free', serial = NULL, station = ? "
                     + "WHERE serial = ?");
             PreparedStatement last = db.prepareStatement("UPDATE tokenctl_session SET last_seq = ? WHERE session = ?")) {
            for (JournalRecord r : batch) {
                byte[] line = JournalCodec.encode(r);
                long serial = PgSchema.serialOf(r);
                ins.setObject(1, session);
                ins.setLong(2, ++seq);
                ins.setString(3, station);
                ins.setString(4, JournalCodec.kind(r));
                ins.setLong(5, serial);
                ins.setBytes(6, line);
                ins.addBatch();
                Arrays.fill(line, (byte) 0);
                String state = r instanceof Written ? "written" : r instanceof Verified ? "verified"
                        : r instanceof JournalRecord.Failed ? "failed" : null;
                if (state != null) {
                    row.setString(1, state);
                    row.setString(2, station);
                    row.setLong(3, serial);
                    row.addBatch();
                } else if (r instanceof Released) {
                    free.setString(1, station);
                    free.setLong(2, serial);
                    free.addBatch();
                }
            }
            ins.executeBatch();
            row.executeBatch();
            free.executeBatch();
            last.setLong(1, seq);
            last.setObject(2, session);
            last.executeUpdate();
            flushedTo = target;
        }
    }

    @Override
    public List<JournalRecord> others() {
        synchronized (dbLock) {
            return othersLocked();
        }
    }

    private List<JournalRecord> othersLocked() {
        checkHealthy();
        try {
            List<JournalRecord> out = readOthers();
            db.commit();
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Records of other sessions this one has not seen. Per session, sequence numbers are in commit
     * order (one connection each); across sessions the ids keep causes first.
     */
    private List<JournalRecord> readOthers() throws SQLException {
        List<UUID> fresh = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT session, last_seq FROM tokenctl_session")) {
            while (r.next()) {
                UUID u = (UUID) r.getObject(1);
                if (!u.equals(session) && r.getLong(2) > seen.getOrDefault(u, 0L)) {
                    fresh.add(u);
                }
            }
        }
        if (fresh.isEmpty()) {
            return List.of();
        }
        List<JournalRecord> out = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("SELECT r.session, r.seq, r.line FROM tokenctl_record r "
                + "JOIN unnest(?::uuid[], ?::bigint[]) AS k(session, seen) ON k.session = r.session "
                + "WHERE r.seq > k.seen ORDER BY r.id")) {
            s.setArray(1, db.createArrayOf("uuid", fresh.toArray()));
            s.setArray(2, db.createArrayOf("bigint", fresh.stream().map(u -> seen.getOrDefault(u, 0L)).toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    seen.merge((UUID) r.getObject(1), r.getLong(2), Math::max);
                    out.add(PgSchema.decode(r.getBytes(3), 0));
                }
            }
        }
        return out;
    }

    @Override
    public Assigned bind(long serial, Binder binder) {
        synchronized (dbLock) {
            return bindLocked(serial, binder);
        }
    }

    private Assigned bindLocked(long serial, Binder binder) {
        checkHealthy();
        long start = System.nanoTime();
        try {
            Integer line = null;
            try (PreparedStatement s = db.prepareStatement("SELECT line FROM tokenctl_row WHERE serial IS NULL "
                    + "AND (pinned = ? OR pinned IS NULL) ORDER BY pinned IS NULL, line LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                s.setLong(1, serial);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        line = r.getInt(1);
                    }
                }
            }
            if (line == null) {
                db.commit();
                return null;
            }
            Assigned a = binder.bind(line, readOthers());
            try (PreparedStatement s = db.prepareStatement("UPDATE tokenctl_row SET serial = ?, station = ?, state = 'bound' "
                    + "WHERE line = ?")) {
                s.setLong(1, serial);
                s.setString(2, station);
                s.setInt(3, line);
                s.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) { // unique_violation: the serial is on another row
                    db.rollback(); // nothing else was written in this transaction
                    throw new FleetException("serial " + serial + " is bound to another row by another station");
                }
                throw e;
            }
            synchronized (this) {
                pending.add(a);
                records++;
                appended++;
            }
            flush(); // this station's earlier records and the binding, one commit

            db.commit();
            durable = flushedTo;
            syncs++;
            syncNanos += System.nanoTime() - start;
            return a;
        } catch (SQLException e) {
            throw failed(e);
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
                flush();
                db.commit();
            } catch (SQLException e) {
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
