package io.tally.engine.source;

import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;
import io.tally.engine.model.TableRef;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a side into key ranges on the first key column. Integer keys get equal-width ranges between MIN and
 * MAX; other keys (text, temporal, decimal) get bounds at row-number quantiles computed by the database in
 * its own ordering and collation, so the ranges and the predicates always agree.
 */
public final class KeyPartitioner {

    /** The column alias the read query gives the raw first key column; predicates refer to it. */
    public static final String KEY_ALIAS = "tally_k0";

    public PartitionPlan plan(Connection connection, Dialect dialect, TableRef table, ColumnInfo key, int partitions)
            throws SQLException {
        if (partitions <= 1) {
            return new PartitionPlan(List.of("1 = 1"), "single partition");
        }
        if (key.type() == LogicalType.BINARY || key.type() == LogicalType.FIXED_BINARY
                || key.type() == LogicalType.JSON || key.type() == LogicalType.UNSUPPORTED) {
            return new PartitionPlan(List.of("1 = 1"), "single partition (" + key.type() + " keys are not split)");
        }
        List<String> bounds = key.type() == LogicalType.INTEGER
                ? integerBounds(connection, dialect, table, key, partitions)
                : quantileBounds(connection, dialect, table, key, partitions);
        if (bounds.isEmpty()) {
            return new PartitionPlan(List.of("1 = 1"), "single partition (no key range)");
        }
        String k = KEY_ALIAS;
        List<String> predicates = new ArrayList<>();
        predicates.add(k + " < " + dialect.literal(bounds.get(0), key));
        for (int i = 1; i < bounds.size(); i++) {
            predicates.add(k + " >= " + dialect.literal(bounds.get(i - 1), key) + " AND " + k + " < "
                    + dialect.literal(bounds.get(i), key));
        }
        predicates.add(k + " >= " + dialect.literal(bounds.get(bounds.size() - 1), key));
        predicates.add(k + " IS NULL");
        String method = key.type() == LogicalType.INTEGER ? "equal-width ranges of " + key.name()
                : "row-number quantiles of " + key.name();
        return new PartitionPlan(predicates, method);
    }

    private List<String> integerBounds(Connection c, Dialect d, TableRef t, ColumnInfo key, int n) throws SQLException {
        String col = d.quote(key.name());
        String sql = "SELECT " + d.asText("MIN(" + col + ")") + ", " + d.asText("MAX(" + col + ")")
                + " FROM " + d.qualified(t);
        BigInteger min;
        BigInteger max;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            if (rs.getString(1) == null) {
                return List.of();
            }
            min = new BigInteger(rs.getString(1).trim());
            max = new BigInteger(rs.getString(2).trim());
        }
        BigInteger span = max.subtract(min).add(BigInteger.ONE);
        BigInteger step = span.add(BigInteger.valueOf(n - 1)).divide(BigInteger.valueOf(n)).max(BigInteger.ONE);
        List<String> bounds = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            BigInteger b = min.add(step.multiply(BigInteger.valueOf(i)));
            if (b.compareTo(max) > 0) {
                break;
            }
            bounds.add(b.toString());
        }
        return bounds;
    }

    private List<String> quantileBounds(Connection c, Dialect d, TableRef t, ColumnInfo key, int n) throws SQLException {
        String col = d.quote(key.name());
        long rows;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(" + col + ") FROM " + d.qualified(t))) {
            rs.next();
            rows = rs.getLong(1);
        }
        if (rows < n) {
            return List.of();
        }
        long step = Math.max(1, rows / n);
        String sql = "SELECT " + d.asText("q.k") + " FROM (SELECT " + col + " AS k, ROW_NUMBER() OVER (ORDER BY "
                + col + ") AS rn FROM " + d.qualified(t) + " WHERE " + col + " IS NOT NULL) q WHERE MOD(q.rn, "
                + step + ") = 0 AND q.rn < " + rows + " ORDER BY q.rn";
        List<String> bounds = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next() && bounds.size() < n - 1) {
                String b = rs.getString(1);
                if (bounds.isEmpty() || !bounds.get(bounds.size() - 1).equals(b)) {
                    bounds.add(b);
                }
            }
        }
        return bounds;
    }
}
