package io.totptoken.host.fleet;

import io.totptoken.host.fleet.JournalRecord.Assigned;
import io.totptoken.host.fleet.JournalRecord.Released;
import io.totptoken.host.fleet.JournalRecord.Verified;
import io.totptoken.host.fleet.JournalRecord.Written;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The statements of a station's rounds in {@link PgJournal}, each one round trip: picking rows
 * (with what the other stations did meanwhile), and writing records with the rows they change.
 * Keeps the session's sequence number and how far each other session has been read. Not thread
 * safe: the journal calls it under its connection's lock.
 */
final class PgStatements {
    private final Connection db;
    private final UUID session;
    private final String station;
    /** Whether the manifest pins rows to serials (else picking skips that query). */
    private final boolean pins;
    private final Map<UUID, Long> seen = new HashMap<>();
    private long seq;

    PgStatements(Connection db, UUID session, String station, boolean pins) {
        this.db = db;
        this.session = session;
        this.station = station;
        this.pins = pins;
    }

    /** The rows a round binds (line, serial), and their records. */
    record Bound(List<Integer> lines, List<Long> serials, List<Assigned> records) {
        static final Bound NONE = new Bound(List.of(), List.of(), List.of());
    }

    /** What {@link #pick} found: the other stations' new records, the free rows pinned to the serials asked for, the first free unpinned rows. */
    record Picked(List<JournalRecord> others, Map<Long, Integer> pinned, ArrayDeque<Integer> free) {
    }

    /** That the records of {@code other} up to {@code upTo} were read (when the journal is opened). */
    void seen(UUID other, long upTo) {
        seen.merge(other, upTo, Math::max);
    }

    /**
     * In the current transaction, locks free rows for {@code serials}: each one's pinned row, and
     * as many free unpinned ones as there are serials (rows other stations are binding are skipped).
     */
    Picked pick(List<Long> serials) throws SQLException {
        List<UUID> sessions = new ArrayList<>(seen.keySet());
        List<JournalRecord> others = new ArrayList<>();
        Map<Long, Integer> pinned = new HashMap<>();
        ArrayDeque<Integer> any = new ArrayDeque<>();
        // One round trip: the other stations' records, the free rows pinned to these serials (only
        // when the manifest pins any) and the first free unpinned ones (a partial index, so the
        // bound rows are not scanned).
        String free = "SELECT line FROM tokenctl_row WHERE serial IS NULL AND pinned IS NULL ORDER BY line LIMIT ? "
                + "FOR UPDATE SKIP LOCKED";
        String sql = pins ? OTHERS + "; SELECT r.line, r.pinned FROM unnest(?::int8[]) AS p(serial) JOIN tokenctl_row r "
                + "ON r.pinned = p.serial WHERE r.serial IS NULL FOR UPDATE OF r SKIP LOCKED; " + free : OTHERS + "; " + free;
        try (PreparedStatement s = db.prepareStatement(sql)) {
            setOthers(s, sessions);
            int next = 4;
            if (pins) {
                s.setArray(next++, db.createArrayOf("int8", serials.toArray()));
            }
            s.setInt(next, serials.size());
            s.execute();
            try (ResultSet r = s.getResultSet()) {
                readOthers(r, others);
            }
            if (pins) {
                s.getMoreResults();
                try (ResultSet r = s.getResultSet()) {
                    while (r.next()) {
                        pinned.put(r.getLong(2), r.getInt(1));
                    }
                }
            }
            s.getMoreResults();
            try (ResultSet r = s.getResultSet()) {
                while (r.next()) {
                    any.add(r.getInt(1));
                }
            }
        }
        return new Picked(others, pinned, any);
    }

    /**
     * Writes records and the rows bound in this round, in one statement: each token's row is left
     * in its last state. Durable once the transaction commits: with {@code commit}, in the same
     * round trip.
     */
    void write(List<JournalRecord> batch, Bound bound, boolean commit) throws SQLException {
        if (batch.isEmpty()) {
            if (commit) {
                db.commit();
            }
            return;
        }
        Long[] seqs = new Long[batch.size()];
        String[] kinds = new String[batch.size()];
        Long[] serials = new Long[batch.size()];
        byte[][] lines = new byte[batch.size()][];
        Map<Long, String> states = new LinkedHashMap<>();
        for (int i = 0; i < seqs.length; i++) {
            JournalRecord r = batch.get(i);
            seqs[i] = seq + 1 + i;
            serials[i] = PgSchema.serialOf(r);
            lines[i] = JournalCodec.encode(r);
            kinds[i] = String.valueOf((char) lines[i][0]); // a line starts with its kind's letter
            String state = r instanceof Written ? "written" : r instanceof Verified ? "verified"
                    : r instanceof JournalRecord.Failed ? "failed" : r instanceof Released ? "free" : null;
            if (state != null) {
                states.put(serials[i], state); // the last one counts
            }
        }
        // With the COMMIT in the same round trip: after an error the server skips it, and the caller rolls back
        try (PreparedStatement s = db.prepareStatement(commit ? WRITE + "; COMMIT" : WRITE)) {
            s.setString(1, station);
            s.setArray(2, db.createArrayOf("int4", bound.lines.toArray()));
            s.setArray(3, db.createArrayOf("int8", bound.serials.toArray()));
            s.setObject(4, session);
            s.setString(5, station);
            s.setArray(6, db.createArrayOf("int8", seqs));
            s.setArray(7, db.createArrayOf("text", kinds));
            s.setArray(8, db.createArrayOf("int8", serials));
            s.setArray(9, db.createArrayOf("bytea", lines));
            s.setString(10, station);
            s.setArray(11, db.createArrayOf("int8", states.keySet().toArray()));
            s.setArray(12, db.createArrayOf("text", states.values().toArray()));
            s.setLong(13, seq + seqs.length);
            s.setObject(14, session);
            s.execute();
        } finally {
            for (byte[] l : lines) {
                Arrays.fill(l, (byte) 0);
            }
        }
        seq += seqs.length;
    }

    /**
     * A round's writes as one statement: the rows bound (by line), the records in order, the rows
     * whose tokens changed state (by serial; never a row bound in the same statement, as its
     * serial was not on it before), and the session's last sequence number, which tells the other
     * stations there is something new.
     */
    private static final String WRITE = """
            WITH bound AS (
                UPDATE tokenctl_row SET serial = b.serial, station = ?, state = 'bound'
                FROM unnest(?::int4[], ?::int8[]) AS b(line, serial) WHERE tokenctl_row.line = b.line),
            records AS (
                INSERT INTO tokenctl_record (session, seq, station, kind, serial, line)
                SELECT ?::uuid, x.seq, ?, x.kind, x.serial, x.line
                FROM unnest(?::int8[], ?::text[], ?::int8[], ?::bytea[]) WITH ORDINALITY AS x(seq, kind, serial, line, n)
                ORDER BY x.n),
            states AS (
                UPDATE tokenctl_row r SET state = s.state, station = ?,
                    serial = CASE WHEN s.state = 'free' THEN NULL ELSE r.serial END
                FROM unnest(?::int8[], ?::text[]) AS s(serial, state) WHERE r.serial = s.serial)
            UPDATE tokenctl_session SET last_seq = ? WHERE session = ?::uuid
            """;

    /**
     * Records of other sessions this one has not seen. Per session, sequence numbers are in commit
     * order (one connection each); across sessions the ids keep causes first. Parameters 1 to 3.
     */
    private static final String OTHERS = "SELECT r.session, r.seq, r.line FROM tokenctl_session s "
            + "LEFT JOIN unnest(?::uuid[], ?::int8[]) AS k(session, seen) ON k.session = s.session "
            + "CROSS JOIN LATERAL (SELECT x.session, x.seq, x.line, x.id FROM tokenctl_record x "
            + "WHERE x.session = s.session AND x.seq > coalesce(k.seen, 0) OFFSET 0) r " // both in the index scan
            + "WHERE s.session <> ? AND s.last_seq > coalesce(k.seen, 0) ORDER BY r.id";

    private void setOthers(PreparedStatement s, List<UUID> sessions) throws SQLException {
        s.setArray(1, db.createArrayOf("uuid", sessions.toArray()));
        s.setArray(2, db.createArrayOf("int8", sessions.stream().map(seen::get).toArray()));
        s.setObject(3, session);
    }

    private void readOthers(ResultSet r, List<JournalRecord> into) throws SQLException {
        while (r.next()) {
            seen.merge((UUID) r.getObject(1), r.getLong(2), Math::max);
            into.add(PgSchema.decode(r.getBytes(3), 0));
        }
    }

    List<JournalRecord> others() throws SQLException {
        List<JournalRecord> out = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement(OTHERS)) {
            setOthers(s, new ArrayList<>(seen.keySet()));
            try (ResultSet r = s.executeQuery()) {
                readOthers(r, out);
            }
        }
        return out;
    }

}
