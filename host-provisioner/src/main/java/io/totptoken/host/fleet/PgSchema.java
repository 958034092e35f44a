package io.totptoken.host.fleet;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The tables of a run in PostgreSQL ({@link PgJournal}) and what is done to them before a station
 * works: connecting, creating them and the run, reading the run's header, the stations' locks.
 */
final class PgSchema {
    private PgSchema() {
    }

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS tokenctl_run (
                only_one boolean PRIMARY KEY DEFAULT true CHECK (only_one),
                version text NOT NULL, header text NOT NULL, created timestamptz NOT NULL DEFAULT now());
            CREATE TABLE IF NOT EXISTS tokenctl_row (
                line integer PRIMARY KEY, pinned bigint UNIQUE, serial bigint UNIQUE,
                station text, state text NOT NULL DEFAULT 'free'
                    CHECK (state IN ('free', 'bound', 'written', 'verified', 'failed')),
                CHECK ((serial IS NULL) = (state = 'free')));
            CREATE INDEX IF NOT EXISTS tokenctl_row_free ON tokenctl_row (line) WHERE serial IS NULL AND pinned IS NULL;
            CREATE TABLE IF NOT EXISTS tokenctl_session (
                session uuid PRIMARY KEY, station text NOT NULL, last_seq bigint NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS tokenctl_record (
                id bigserial PRIMARY KEY, session uuid NOT NULL,
                seq bigint NOT NULL, station text NOT NULL, kind char(1) NOT NULL, serial bigint,
                at timestamptz NOT NULL DEFAULT now(), line bytea NOT NULL, UNIQUE (session, seq));
            -- tables made by an earlier tokenctl: the key cost a row lock on the session per record
            ALTER TABLE tokenctl_record DROP CONSTRAINT IF EXISTS tokenctl_record_session_fkey;
            """;
    /** Keys of pg_advisory locks: the schema set-up, and one per station name. */
    static final long SETUP_LOCK = 0x746f6b656e63746cL;

    /** A connection to the database, without the run's tables being touched. */
    static Connection connect(PgLocation location, char[] password) {
        Properties p = new Properties();
        p.setProperty("user", location.user());
        if (password != null) {
            p.setProperty("password", new String(password));
        }
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "tokenctl bulk");
        // Every statement is on a station's hot path: prepared at once and planned once (planning
        // a custom plan at each execution cost more than running it); the queries are written so
        // that the generic plans use the indexes.
        p.setProperty("prepareThreshold", "1");
        p.setProperty("options", "-c plan_cache_mode=force_generic_plan");
        try {
            Connection c = DriverManager.getConnection(location.jdbcUrl(), p);
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            throw new FleetException("cannot connect to " + location + ": " + e.getMessage(), e);
        }
    }

    static boolean tryStationLock(Connection db, String station) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT pg_try_advisory_lock(hashtext('tokenctl station ' || ?))")) {
            s.setString(1, station);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                boolean got = r.getBoolean(1);
                db.commit();
                return got;
            }
        }
    }

    static void setUp(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + SETUP_LOCK + ")"); // two stations creating the tables at once
            s.execute(SCHEMA);
        }
        db.commit();
    }

    static boolean hasRun(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT to_regclass('tokenctl_run') IS NOT NULL")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    static String[] run(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT version, header FROM tokenctl_run")) {
            return r.next() ? new String[] {r.getString(1), r.getString(2)} : null;
        }
    }

    static void create(Connection db, String header, List<FleetRow> rows) throws SQLException {
        try (Statement lock = db.createStatement()) {
            lock.execute("LOCK TABLE tokenctl_run IN EXCLUSIVE MODE"); // the first station of two starting at once
        }
        if (run(db) != null) {
            db.rollback();
            throw new FleetException("another station created the run just now; start this one again to join it");
        }
        try (PreparedStatement h = db.prepareStatement("INSERT INTO tokenctl_run (version, header) VALUES (?, ?)");
             PreparedStatement r = db.prepareStatement("INSERT INTO tokenctl_row (line, pinned) VALUES (?, ?)")) {
            h.setString(1, Ledger.VERSION);
            h.setString(2, header);
            h.executeUpdate();
            for (FleetRow row : rows) {
                r.setInt(1, row.line());
                r.setObject(2, row.serial());
                r.addBatch();
            }
            r.executeBatch();
        }
    }

    static boolean hasRecords(Connection db, String station) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT EXISTS (SELECT 1 FROM tokenctl_record WHERE station = ?)")) {
            s.setString(1, station);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    static long serialOf(JournalRecord r) {
        if (r instanceof JournalRecord.Assigned a) {
            return a.serial();
        } else if (r instanceof JournalRecord.Written w) {
            return w.serial();
        } else if (r instanceof JournalRecord.Verified v) {
            return v.serial();
        } else if (r instanceof JournalRecord.Failed f) {
            return f.serial();
        } else if (r instanceof JournalRecord.Released x) {
            return x.serial();
        } else if (r instanceof JournalRecord.Refused n) {
            return n.serial();
        }
        throw new IllegalArgumentException("a header is not kept as a record");
    }

    static JournalRecord decode(byte[] line, int number) {
        int end = line.length > 0 && line[line.length - 1] == '\n' ? line.length - 1 : line.length;
        try {
            return JournalCodec.decode(Arrays.copyOf(line, end), number);
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }

}
