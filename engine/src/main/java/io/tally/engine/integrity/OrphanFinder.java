package io.tally.engine.integrity;

import io.tally.engine.config.Reference;
import io.tally.engine.model.TableRef;
import io.tally.engine.report.IntegrityFinding;
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
 * Counts, inside the database, the child rows whose reference finds no parent row, with MATCH SIMPLE semantics: a
 * reference with any NULL column is not checked. One anti-join ({@code NOT EXISTS}, which both engines run as an
 * index lookup per child row when the parent columns are indexed, as a declared foreign key requires), and a
 * bounded, ordered sample of the dangling references.
 */
final class OrphanFinder {

    record Orphans(long count, List<Map<String, String>> samples) {
    }

    Orphans find(Connection c, Dialect d, TableRef child, List<String> columns, TableRef parent, List<String> parentColumns,
                 int sampleSize) throws SQLException {
        List<String> conditions = new ArrayList<>();
        List<String> join = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String col = "tally_c." + d.quote(columns.get(i));
            conditions.add(col + " IS NOT NULL");
            join.add("tally_p." + d.quote(parentColumns.get(i)) + " = " + col);
        }
        String from = " FROM " + d.qualified(child) + " tally_c WHERE " + String.join(" AND ", conditions)
                + " AND NOT EXISTS (SELECT 1 FROM " + d.qualified(parent) + " tally_p WHERE " + String.join(" AND ", join) + ")";
        long count;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*)" + from)) {
            rs.next();
            count = rs.getLong(1);
        }
        List<Map<String, String>> samples = new ArrayList<>();
        if (count > 0 && sampleSize > 0) {
            List<String> cols = columns.stream().map(x -> "tally_c." + d.quote(x)).toList();
            String sql = "SELECT " + String.join(", ", cols) + from + " ORDER BY " + String.join(", ", cols) + " LIMIT "
                    + sampleSize;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), rs.getString(i + 1));
                    }
                    samples.add(row);
                }
            }
        }
        return new Orphans(count, samples);
    }

    /** Every declared foreign key of the table and every configured reference, as findings. */
    void check(Connection c, Dialect d, IntegrityCatalog catalog, IntegrityChecker.Table t, int sampleSize,
               IntegrityFindings out) throws SQLException {
        List<IntegrityCatalog.ForeignKey> keys = new ArrayList<>(catalog.foreignKeys(c, t.table()));
        for (int i = 0; i < t.references().size(); i++) {
            Reference r = t.references().get(i);
            TableRef ref = TableRef.parse(r.table());
            TableRef parent = ref.schema() == null && t.table().schema() != null ? new TableRef(t.table().schema(), ref.name()) : ref;
            keys.add(new IntegrityCatalog.ForeignKey("references[" + i + "]", t.table(), CatalogQueries.resolved(c, d, t.table(),
                    r.columns()), parent, CatalogQueries.resolved(c, d, parent, r.to()), true));
        }
        for (IntegrityCatalog.ForeignKey k : keys) {
            OrphanFinder.Orphans o = find(c, d, t.table(), k.columns(), k.parent(), k.parentColumns(), sampleSize);
            if (o.count() > 0) {
                out.add("orphans", t, k.name(), IntegrityFinding.ERROR, o.count(), o.count() + " row(s) reference ("
                        + String.join(", ", k.columns()) + ") values missing from " + k.parent() + " ("
                        + String.join(", ", k.parentColumns()) + ")", "copy the missing parent rows from the source (verify "
                        + k.parent().name() + "), or delete or re-point the orphans; they are reported, not planned", false,
                        o.samples());
            }
        }
        out.checked("orphans: # reference(s)", keys.size());
    }
}
