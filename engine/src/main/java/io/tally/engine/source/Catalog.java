package io.tally.engine.source;

import io.tally.engine.model.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the dialects' catalog queries that take (schema, table), possibly several times, and shapes their rows. */
final class Catalog {

    private Catalog() {
    }

    /** Rows of (group id, column name) in order, as one column list per group. */
    static List<List<String>> groupedColumns(Connection c, String sql, TableRef table) throws SQLException {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        try (PreparedStatement ps = bound(c, sql, table); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                groups.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return List.copyOf(groups.values());
    }

    /** Rows of (schema, table) as table references. */
    static List<TableRef> tableRefs(Connection c, String sql, TableRef table) throws SQLException {
        List<TableRef> refs = new ArrayList<>();
        try (PreparedStatement ps = bound(c, sql, table); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                refs.add(new TableRef(rs.getString(1), rs.getString(2)));
            }
        }
        return refs;
    }

    /** The first column of a one-row query without parameters. */
    static String scalar(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Binds (schema, table) to every pair of placeholders in order; the catalog queries hold no other '?'. */
    private static PreparedStatement bound(Connection c, String sql, TableRef table) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        long pairs = sql.chars().filter(ch -> ch == '?').count() / 2;
        for (int i = 0; i < pairs; i++) {
            ps.setString(1 + 2 * i, table.schema());
            ps.setString(2 + 2 * i, table.name());
        }
        return ps;
    }
}
