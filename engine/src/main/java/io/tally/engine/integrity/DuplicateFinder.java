package io.tally.engine.integrity;

import io.tally.engine.model.TableRef;
import io.tally.engine.source.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, inside the database, the values of a column list held by more than one row (rows with a NULL in the
 * list are not counted, as a unique index would not count them): how many values, how many surplus rows beyond
 * one per value, and a bounded, ordered sample of the values with their row counts. One grouped scan.
 */
final class DuplicateFinder {

    record Duplicates(long keys, long surplusRows, List<Map<String, String>> samples) {
    }

    Duplicates find(Connection c, Dialect d, TableRef table, List<String> columns, int sampleSize) throws SQLException {
        List<String> cols = columns.stream().map(d::quote).toList();
        String grouped = "SELECT " + String.join(", ", cols) + ", COUNT(*) AS tally_n FROM " + d.qualified(table)
                + " WHERE " + String.join(" AND ", cols.stream().map(x -> x + " IS NOT NULL").toList()) + " GROUP BY "
                + String.join(", ", cols) + " HAVING COUNT(*) > 1";
        long keys;
        long surplus;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*), COALESCE(SUM(tally_n - 1), 0) FROM (" + grouped + ") tally_dups")) {
            rs.next();
            keys = rs.getLong(1);
            surplus = rs.getLong(2);
        }
        List<Map<String, String>> samples = new ArrayList<>();
        if (keys > 0 && sampleSize > 0) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(grouped + " ORDER BY "
                    + String.join(", ", cols) + " LIMIT " + sampleSize)) {
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), rs.getString(i + 1));
                    }
                    row.put("(rows)", rs.getString(columns.size() + 1));
                    samples.add(row);
                }
            }
        }
        return new Duplicates(keys, surplus, samples);
    }
}
