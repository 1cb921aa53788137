package io.tally.engine.history;

import io.tally.engine.TallyError;
import io.tally.engine.config.HistoryConfig;
import io.tally.engine.model.TableRef;
import io.tally.engine.source.Endpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The history as a table in a PostgreSQL database ({@code history.database}; docs/history.md), created when absent.
 * A run's rows go in one transaction; a row already there (the same run and table, an append retried) is left as
 * it is. Audit locks are session advisory locks on the same database.
 */
public final class PostgresHistory implements HistoryStore {

    /** The advisory lock class of audit locks (the second key is the job's hash). */
    static final int LOCK_CLASS = 0x7A11;

    private static final String COLUMNS = String.join(", ", HistoryRecord.COLUMNS).replace(" table,", " \"table\",");

    private final Endpoint endpoint;
    private final String table;

    public PostgresHistory(HistoryConfig config) {
        this.endpoint = Endpoint.resolve("history.database", config.database());
        this.table = endpoint.dialect().qualified(TableRef.parse(config.table()));
    }

    public String describe() {
        return "table " + table + " in " + endpoint.describe();
    }

    private Connection open() {
        Connection c = endpoint.connect();
        try (Statement s = c.createStatement()) {
            try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                exists.setString(1, table);
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return c; // CREATE needs a privilege only the first run should need
                    }
                }
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (run_id text NOT NULL, job text NOT NULL, "
                    + "command text NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz, verdict text, "
                    + "\"table\" text NOT NULL, status text, source_rows bigint, target_rows bigint, missing bigint, "
                    + "extra bigint, changed bigint, differences bigint, duplicates bigint, errors bigint, "
                    + "in_flight bigint, source_mark text, target_mark text, mark_of text, PRIMARY KEY (run_id, \"table\"))");
            return c;
        } catch (SQLException e) {
            close(c);
            throw failed("prepare", e);
        }
    }

    @Override
    public void append(List<HistoryRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Connection c = open();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, CAST(? AS timestamptz), CAST(? AS timestamptz), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (run_id, \"table\") DO NOTHING")) {
            c.setAutoCommit(false);
            for (HistoryRecord r : records) {
                Object[] values = r.values();
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw failed("append to", e);
        } finally {
            close(c);
        }
    }

    @Override
    public List<HistoryRecord> read(String job) {
        Connection c = open();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS.replace("started_at, finished_at",
                "to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
                        + "to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
                + " FROM " + table + " WHERE job = ? ORDER BY started_at, run_id, \"table\"")) {
            ps.setString(1, job);
            List<HistoryRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new HistoryRecord(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getString(4)),
                            instant(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9),
                            rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14),
                            rs.getLong(15), rs.getLong(16), rs.getLong(17), rs.getString(18), rs.getString(19),
                            rs.getString(20)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed("read", e);
        } finally {
            close(c);
        }
    }

    /** The instant as {@link java.time.Instant#toString} writes it, as the Parquet history keeps it. */
    private static String instant(String text) {
        return text == null ? null : java.time.Instant.parse(text).toString();
    }

    @Override
    public AuditLock lockAudit(String job) {
        Connection c = endpoint.connect();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, job);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    close(c);
                    return AuditLock.held("another session on " + endpoint.describe() + " (advisory lock "
                            + LOCK_CLASS + ", hashtext('" + job.replace("'", "''") + "'))");
                }
            }
            return AuditLock.holding(() -> close(c)); // held as long as this session lives
        } catch (SQLException e) {
            close(c);
            throw failed("lock the audit in", e);
        }
    }

    private TallyError failed(String what, SQLException e) {
        return new TallyError("cannot " + what + " the history " + describe() + ": " + endpoint.scrub(e.getMessage())
                + "; check history.database and that the user may create and write " + table, e);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // reads and committed writes only; nothing is lost
        }
    }
}
