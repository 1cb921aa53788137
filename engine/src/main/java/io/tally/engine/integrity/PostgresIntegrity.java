package io.tally.engine.integrity;

import io.tally.engine.model.TableRef;
import io.tally.engine.source.Dialect;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** PostgreSQL's catalog: {@code pg_constraint}, {@code pg_index}, sequences and {@code pg_stat_user_tables}. */
public final class PostgresIntegrity implements IntegrityCatalog {

    private final Dialect dialect;

    public PostgresIntegrity(Dialect dialect) {
        this.dialect = dialect;
    }

    private static final String TABLE = "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ?";

    private static final String FOREIGN_KEYS = "SELECT k.conname, rn.nspname, rc.relname, k.convalidated, "
            + "array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a "
            + "ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i)::text[], "
            + "array(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a "
            + "ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)::text[], n.nspname "
            + "FROM pg_constraint k JOIN pg_class rc ON rc.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
            + TABLE + " AND k.contype = 'f' AND k.conparentid = 0 ORDER BY k.conname"; // not per-partition copies

    /** An index is usable once valid and ready; a running build shows in pg_stat_progress_create_index. */
    private static final String BROKEN_INDEXES = """
            SELECT t.relname, ix.relname, pg_get_indexdef(i.indexrelid),
                   EXISTS (SELECT 1 FROM pg_stat_progress_create_index p
                           WHERE p.index_relid = i.indexrelid OR (p.relid = i.indrelid AND p.index_relid = 0))
            FROM pg_index i
            JOIN pg_class ix ON ix.oid = i.indexrelid
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE (NOT i.indisvalid OR NOT i.indisready) AND n.nspname = coalesce(?, current_schema())
            ORDER BY t.relname, ix.relname""";

    private static final String SEQUENCES = """
            SELECT a.attname, pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname)
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum""";

    @Override
    public List<ForeignKey> foreignKeys(Connection c, TableRef child) throws SQLException {
        return CatalogQueries.rows(c, FOREIGN_KEYS, rs -> new ForeignKey(rs.getString(1), new TableRef(rs.getString(7),
                child.name()), names(rs.getArray(5)), new TableRef(rs.getString(2), rs.getString(3)),
                names(rs.getArray(6)), rs.getBoolean(4)), child.schema(), child.name());
    }

    @Override
    public List<BrokenIndex> brokenIndexes(Connection c, String schema) throws SQLException {
        return CatalogQueries.rows(c, BROKEN_INDEXES, rs -> new BrokenIndex(rs.getString(1), rs.getString(2),
                rs.getBoolean(4), rs.getString(3)), schema);
    }

    /** PostgreSQL has no gh-ost or pt-online-schema-change; its failed index builds are {@link #brokenIndexes}. */
    @Override
    public List<Leftover> leftovers(Connection c, String schema) {
        return List.of();
    }

    @Override
    public List<SequenceState> sequences(Connection c, TableRef table) throws SQLException {
        List<String[]> fed = new ArrayList<>();
        try (PreparedStatement ps = CatalogQueries.bound(c, SEQUENCES, table.schema(), table.name()); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getString(2) != null) {
                    fed.add(new String[]{rs.getString(1), rs.getString(2)});
                }
            }
        }
        String qualified = dialect.qualified(table);
        List<SequenceState> out = new ArrayList<>();
        for (String[] s : fed) {
            // the next value steps by the sequence's increment; a descending sequence is never "behind" a maximum
            String sql = "SELECT (SELECT max(" + dialect.quote(s[0]) + ") FROM " + qualified + "), "
                    + "CASE WHEN is_called THEN last_value + p.seqincrement ELSE last_value END, p.seqincrement FROM "
                    + s[1] + ", pg_sequence p WHERE p.seqrelid = CAST(? AS regclass)";
            try (PreparedStatement st = CatalogQueries.bound(c, sql, s[1]); ResultSet rs = st.executeQuery()) {
                rs.next();
                long max = rs.getLong(1);
                boolean empty = rs.wasNull();
                if (rs.getLong(3) > 0) {
                    out.add(new SequenceState(s[1], s[0], empty ? null : max, rs.getLong(2)));
                }
            }
        }
        return out;
    }

    @Override
    public Statistics statistics(Connection c, TableRef table) throws SQLException {
        String sql = "SELECT c.reltuples::bigint, s.last_analyze IS NULL AND s.last_autoanalyze IS NULL "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
                + "WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ?";
        try (PreparedStatement ps = CatalogQueries.bound(c, sql, table.schema(), table.name()); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new Statistics(-1, false);
            }
            long estimate = rs.getLong(1);
            // reltuples is -1 until the first ANALYZE or VACUUM (PostgreSQL 14 and later)
            return new Statistics(Math.max(estimate, 0), estimate < 0 || (estimate == 0 && rs.getBoolean(2)));
        }
    }

    @Override
    public List<String> notValidConstraints(Connection c, TableRef table) throws SQLException {
        return CatalogQueries.strings(c, "SELECT k.conname FROM pg_constraint k " + TABLE
                + " AND NOT k.convalidated ORDER BY k.conname", table.schema(), table.name());
    }

    @Override
    public List<List<String>> indexes(Connection c, TableRef table) throws SQLException {
        String sql = "SELECT array(SELECT a.attname FROM unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) WITH ORDINALITY "
                + "u(n, o) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.n ORDER BY u.o)::text[] "
                + "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ? AND i.indpred IS NULL "
                + "AND i.indexprs IS NULL ORDER BY i.indexrelid";
        return CatalogQueries.rows(c, sql, rs -> names(rs.getArray(1)), table.schema(), table.name());
    }

    @Override
    public List<List<String>> uniqueKeys(Connection c, TableRef table) throws SQLException {
        return dialect.uniqueKeys(c, table);
    }

    @Override
    public java.util.Map<String, String> defaults(Connection c, TableRef table) throws SQLException {
        String sql = "SELECT a.attname, CASE WHEN a.attidentity <> '' THEN 'auto-increment' WHEN a.attgenerated <> '' "
                + "THEN 'generated' ELSE pg_get_expr(d.adbin, d.adrelid) END FROM pg_attribute a "
                + "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ? AND a.attnum > 0 "
                + "AND NOT a.attisdropped";
        return CatalogQueries.pairs(c, sql, table.schema(), table.name());
    }

    @Override
    public List<String> tables(Connection c, String schema) throws SQLException {
        return CatalogQueries.strings(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = coalesce(?, current_schema()) AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
                + "ORDER BY c.relname", schema);
    }

    @Override
    public String analyze(String qualifiedTable) {
        return "ANALYZE " + qualifiedTable;
    }

    private static List<String> names(Array a) throws SQLException {
        return Arrays.asList((String[]) a.getArray());
    }
}
