package io.tally.engine.repair;

import io.tally.engine.model.TableRef;
import io.tally.engine.source.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The repair's checkpoint: one row per applied batch in a table in the target, written in the same transaction
 * as the batch's changes. A crash therefore never leaves a batch applied but unrecorded or recorded but not
 * applied; a re-run skips the recorded batches (those without conflicts) and redoes the rest, which the row
 * guards make idempotent.
 */
public final class Ledger {

    public static final String DEFAULT_NAME = "tally_repair_ledger";

    /** A recorded batch. */
    public record Entry(String table, String set, int batch, int batchSize, int applied, int already,
                        int conflicts) {
    }

    private final Dialect dialect;
    private final TableRef table;

    public Ledger(Dialect dialect, TableRef table) {
        this.dialect = dialect;
        this.table = table;
    }

    public TableRef table() {
        return table;
    }

    /** Creates the ledger table if it is missing (DDL: run outside any batch transaction). */
    public void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + dialect.qualified(table) + " ("
                    + "plan_id VARCHAR(100) NOT NULL, table_name VARCHAR(200) NOT NULL, set_name VARCHAR(16) NOT NULL, "
                    + "batch_no INTEGER NOT NULL, batch_size INTEGER NOT NULL, applied INTEGER NOT NULL, "
                    + "already INTEGER NOT NULL, conflicts INTEGER NOT NULL, finished_at VARCHAR(40) NOT NULL, "
                    + "PRIMARY KEY (plan_id, table_name, set_name, batch_no))");
        }
    }

    /** The batches recorded for a plan, by {@code table/set/batch}; empty when the ledger does not exist. */
    public Map<String, Entry> recorded(Connection c, String planId, boolean mayBeMissing) throws SQLException {
        Map<String, Entry> out = new HashMap<>();
        String sql = "SELECT table_name, set_name, batch_no, batch_size, applied, already, conflicts FROM "
                + dialect.qualified(table) + " WHERE plan_id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Entry e = new Entry(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                            rs.getInt(6), rs.getInt(7));
                    out.put(id(e.table(), e.set(), e.batch()), e);
                }
            }
        } catch (SQLException e) {
            if (!mayBeMissing) {
                throw e;
            }
            if (!c.getAutoCommit()) {
                c.rollback(); // a dry run against a target that never had a ledger
            }
        }
        return out;
    }

    /**
     * Refuses to resume a plan with another batch size than it was started with (batch numbers depend on it) and
     * says how much an earlier run already did.
     */
    static void checkResume(io.tally.engine.plan.PlanManifest m, Map<String, Entry> recorded, int batchSize,
                            String ledgerName, java.util.function.Consumer<String> progress) {
        for (Entry e : recorded.values()) {
            if (e.batchSize() != batchSize) {
                throw new io.tally.engine.TallyError("plan " + m.planId().substring(0, 12) + " was started with "
                        + "--batch-size " + e.batchSize() + "; resume it with the same --batch-size");
            }
        }
        if (!recorded.isEmpty()) {
            progress.accept("resuming plan " + m.planId().substring(0, 12) + ": " + recorded.size()
                    + " batch(es) recorded in ledger " + ledgerName);
        }
    }

    public static String id(String table, String set, int batch) {
        return table + "/" + set + "/" + batch;
    }

    /** Records a batch inside the caller's transaction. */
    public void record(Connection c, String planId, Entry e) throws SQLException {
        List<String> cols = List.of("plan_id", "table_name", "set_name", "batch_no", "batch_size", "applied", "already",
                "conflicts", "finished_at");
        String sql = dialect.upsert(dialect.qualified(table), cols.stream().map(dialect::quote).toList(),
                java.util.Collections.nCopies(cols.size(), "?"),
                cols.subList(0, 4).stream().map(dialect::quote).toList(), false, List.of());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, planId);
            ps.setString(2, e.table());
            ps.setString(3, e.set());
            ps.setInt(4, e.batch());
            ps.setInt(5, e.batchSize());
            ps.setInt(6, e.applied());
            ps.setInt(7, e.already());
            ps.setInt(8, e.conflicts());
            ps.setString(9, java.time.Instant.now().toString());
            ps.executeUpdate();
        }
    }
}
