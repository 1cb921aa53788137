package io.tally.engine.integrity;

import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.TableRef;
import io.tally.engine.model.TableSchema;
import io.tally.engine.source.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The integrity catalogs' one way to prepare a catalog query: its '?' bound, in order, to names (or null). */
final class CatalogQueries {

    private CatalogQueries() {
    }

    static PreparedStatement bound(Connection c, String sql, String... values) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** One row of a catalog query as a value. */
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Every row of a catalog query, mapped, in order. */
    static <T> List<T> rows(Connection c, String sql, RowMapper<T> row, String... values) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = bound(c, sql, values); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row.map(rs));
            }
        }
        return out;
    }

    /** A two-column query as a map from the first column to the second, rows whose second column is NULL left out. */
    static java.util.Map<String, String> pairs(Connection c, String sql, String... values) throws SQLException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = bound(c, sql, values); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getString(2) != null) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The first column of every row of a catalog query, in order. */
    static List<String> strings(Connection c, String sql, String... values) throws SQLException {
        return rows(c, sql, rs -> rs.getString(1), values);
    }

    /** Configured column names as the catalog spells them (configs match case-insensitively, as planning does). */
    static List<String> resolved(Connection c, Dialect d, TableRef table, List<String> names) throws SQLException {
        TableSchema schema = d.describe(c, table);
        return names.stream().map(n -> schema.column(n).map(ColumnInfo::name).orElse(n)).toList();
    }
}
