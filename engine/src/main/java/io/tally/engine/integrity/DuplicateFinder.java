package io.tally.engine.integrity;

import io.tally.engine.model.TableRef;
import io.tally.engine.report.IntegrityFinding;
import io.tally.engine.source.Endpoint;
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

    /**
     * The table's secondary unique indexes (MySQL family) and natural keys, target and source, as findings.
     */
    void check(Connection c, Dialect d, IntegrityChecker.Table t, Endpoint other, int sampleSize, IntegrityFindings out)
            throws SQLException {
        // PostgreSQL enforces a valid unique index on every row; MySQL and MariaDB may not have checked one built or
        // loaded under unique_checks = 0, so only there is each secondary unique index worth a scan
        List<List<String>> unique = new ArrayList<>();
        if (!d.name().equals("postgresql")) {
            List<String> primary = d.describe(c, t.table()).primaryKey();
            for (List<String> k : d.uniqueKeys(c, t.table())) {
                if (!k.equals(primary) && !unique.contains(k)) {
                    unique.add(k);
                }
            }
        }
        for (List<String> k : unique) {
            report(find(c, d, t.table(), k, sampleSize), "target", "unique (" + String.join(", ", k) + ")", t,
                    " although a unique index covers them (built or loaded with unique checks off?)",
                    k.equals(t.naturalKeys().deduped()), out);
        }
        for (List<String> k : t.naturalKeys().target()) {
            boolean deduped = k.equals(t.naturalKeys().deduped());
            report(find(c, d, t.table(), CatalogQueries.resolved(c, d, t.table(), k), sampleSize), "target",
                    "natural key (" + String.join(", ", k) + ")", t, "", deduped, out);
        }
        if (other != null && t.schema() != null && !t.naturalKeys().source().isEmpty()) {
            try (Connection o = other.connect()) {
                TableRef source = t.schema().source().table();
                for (List<String> k : t.naturalKeys().source()) {
                    report(find(o, other.dialect(), source, k, sampleSize), "source",
                            "natural key (" + String.join(", ", k) + ")", t, "", false, out);
                }
            }
        }
        out.checked("duplicates: # key(s)", unique.size() + t.naturalKeys().target().size()
                + (other == null ? 0 : t.naturalKeys().source().size()));
    }

    private static void report(Duplicates dups, String side, String object, IntegrityChecker.Table t, String why,
                               boolean deduped, IntegrityFindings out) {
        if (dups.keys() == 0) {
            return;
        }
        boolean target = side.equals("target");
        out.findings.add(new IntegrityFinding("duplicates", side, t.name(), object, target ? IntegrityFinding.ERROR
                : IntegrityFinding.WARNING, dups.keys(), dups.keys() + " value(s) of " + object + " are held by more than "
                + "one row, " + dups.surplusRows() + " row(s) beyond one per value" + why, !target
                ? "the source itself holds them: decide which row is right, or set tables[].dedupe to keep one per "
                + "value (the others are set aside and not migrated)" : deduped
                ? "planned by the dedupe rule: repair deletes every row the rule does not keep; then add or rebuild "
                + "the unique index" : "set tables[].dedupe {key, keep, by} and verify --plan: the plan keeps one row "
                + "per value and repair deletes the rest; then add or rebuild the unique index",
                target && deduped, dups.samples()));
    }
}
