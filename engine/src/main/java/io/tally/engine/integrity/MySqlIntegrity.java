package io.tally.engine.integrity;

import io.tally.engine.model.TableRef;
import io.tally.engine.source.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MySQL's and MariaDB's {@code information_schema}. Their foreign keys are always validated when created, but
 * {@code foreign_key_checks = 0} (common in bulk loads) lets orphans in; indexes have no invalid state; online
 * schema changes are done by tools whose tables and triggers can be left behind.
 */
public final class MySqlIntegrity implements IntegrityCatalog {

    private static final String FOREIGN_KEYS = """
            SELECT constraint_name, column_name, referenced_table_schema, referenced_table_name, referenced_column_name,
                   table_schema
            FROM information_schema.key_column_usage
            WHERE table_schema = coalesce(?, database()) AND table_name = ? AND referenced_table_name IS NOT NULL
            ORDER BY constraint_name, ordinal_position""";

    /**
     * gh-ost: _t_gho (ghost), _t_ghc (changelog), _t_del (old table after cut-over); pt-osc: _t_new, _t_old; only
     * where the table t they were made for exists, so that a table merely named like them is not reported.
     */
    private static final String TOOL_TABLES = """
            SELECT t.table_name FROM information_schema.tables t
            WHERE t.table_schema = coalesce(?, database()) AND LEFT(t.table_name, 1) = '_'
              AND LOWER(RIGHT(t.table_name, 4)) IN ('_gho', '_ghc', '_del', '_new', '_old')
              AND EXISTS (SELECT 1 FROM information_schema.tables o WHERE o.table_schema = t.table_schema
                          AND o.table_name = SUBSTRING(t.table_name, 2, CHAR_LENGTH(t.table_name) - 5))
            ORDER BY t.table_name""";

    private static final String TOOL_TRIGGERS = """
            SELECT trigger_name, event_object_table FROM information_schema.triggers
            WHERE trigger_schema = coalesce(?, database()) AND LOWER(LEFT(trigger_name, 7)) = 'pt_osc_'
            ORDER BY trigger_name""";

    private static final Map<String, String[]> SUFFIXES = Map.of(
            "_gho", new String[]{"gh-ost", "ghost table of an unfinished migration", "true"},
            "_ghc", new String[]{"gh-ost", "changelog table", "true"},
            "_del", new String[]{"gh-ost", "old table kept after cut-over", "false"},
            "_new", new String[]{"pt-online-schema-change", "new table of an unfinished copy", "true"},
            "_old", new String[]{"pt-online-schema-change", "old table kept after the swap", "false"});

    private final Dialect dialect;

    public MySqlIntegrity(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public List<ForeignKey> foreignKeys(Connection c, TableRef child) throws SQLException {
        Map<String, List<String[]>> byName = new LinkedHashMap<>();
        try (PreparedStatement ps = CatalogQueries.bound(c, FOREIGN_KEYS, child.schema(), child.name()); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byName.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new String[]{rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)});
            }
        }
        List<ForeignKey> keys = new ArrayList<>();
        byName.forEach((name, cols) -> keys.add(new ForeignKey(name, new TableRef(cols.get(0)[4], child.name()),
                cols.stream().map(x -> x[0]).toList(), new TableRef(cols.get(0)[1], cols.get(0)[2]),
                cols.stream().map(x -> x[3]).toList(), true)));
        return keys;
    }

    @Override
    public List<BrokenIndex> brokenIndexes(Connection c, String schema) {
        return List.of();
    }

    @Override
    public List<Leftover> leftovers(Connection c, String schema) throws SQLException {
        List<Leftover> out = new ArrayList<>(CatalogQueries.rows(c, TOOL_TABLES, rs -> {
            String name = rs.getString(1);
            String[] tool = SUFFIXES.get(name.substring(name.length() - 4).toLowerCase(java.util.Locale.ROOT));
            return new Leftover("table", name, tool[0], name.substring(1, name.length() - 4), tool[1],
                    Boolean.parseBoolean(tool[2]));
        }, schema));
        out.addAll(CatalogQueries.rows(c, TOOL_TRIGGERS, rs -> new Leftover("trigger", rs.getString(1),
                "pt-online-schema-change", rs.getString(2), "trigger still copying writes into the tool's new table",
                true), schema));
        return out;
    }

    @Override
    public List<SequenceState> sequences(Connection c, TableRef table) throws SQLException {
        String column = null;
        try (PreparedStatement ps = CatalogQueries.bound(c, "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                + "coalesce(?, database()) AND table_name = ? AND extra LIKE '%auto_increment%'", table.schema(), table.name());
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                column = rs.getString(1);
            }
        }
        if (column == null) {
            return List.of();
        }
        fresh(c);
        Long max;
        try (var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(" + dialect.quote(column) + ") FROM " + dialect.qualified(table))) {
            rs.next();
            long m = rs.getLong(1);
            max = rs.wasNull() ? null : m;
        }
        long next = 1;
        try (PreparedStatement ps = CatalogQueries.bound(c, "SELECT auto_increment FROM information_schema.tables "
                + "WHERE table_schema = coalesce(?, database()) AND table_name = ?", table.schema(), table.name());
             ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getObject(1) != null) {
                next = rs.getLong(1);
            }
        }
        return List.of(new SequenceState(table.name() + ".AUTO_INCREMENT", column, max, next));
    }

    @Override
    public Statistics statistics(Connection c, TableRef table) throws SQLException {
        fresh(c);
        return new Statistics(Math.max(0, dialect.estimateRows(c, table)), false);
    }

    /** MySQL and MariaDB have no unvalidated constraints: they check a constraint's rows when it is added. */
    @Override
    public List<String> notValidConstraints(Connection c, TableRef table) {
        return List.of();
    }

    /** Prefix indexes ({@code sub_part}) count as indexes on their columns. */
    @Override
    public List<List<String>> indexes(Connection c, TableRef table) throws SQLException {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        try (PreparedStatement ps = CatalogQueries.bound(c, "SELECT index_name, column_name FROM information_schema.statistics "
                + "WHERE table_schema = coalesce(?, database()) AND table_name = ? AND column_name IS NOT NULL "
                + "ORDER BY index_name, seq_in_index", table.schema(), table.name()); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byName.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return new ArrayList<>(byName.values());
    }

    @Override
    public List<List<String>> uniqueKeys(Connection c, TableRef table) throws SQLException {
        return dialect.uniqueKeys(c, table);
    }

    /** MariaDB quotes string defaults and prints a missing one as {@code NULL}; MySQL does neither. */
    @Override
    public Map<String, String> defaults(Connection c, TableRef table) throws SQLException {
        String sql = "SELECT column_name, CASE WHEN extra LIKE '%auto_increment%' THEN 'auto-increment' "
                + "WHEN extra LIKE '%GENERATED%' AND extra NOT LIKE '%DEFAULT_GENERATED%' THEN 'generated' "
                + "ELSE column_default END FROM information_schema.columns "
                + "WHERE table_schema = coalesce(?, database()) AND table_name = ?";
        return CatalogQueries.pairs(c, sql, table.schema(), table.name());
    }

    @Override
    public List<String> tables(Connection c, String schema) throws SQLException {
        return CatalogQueries.strings(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                + "coalesce(?, database()) AND table_type = 'BASE TABLE' ORDER BY table_name", schema);
    }

    @Override
    public String analyze(String qualifiedTable) {
        return "ANALYZE TABLE " + qualifiedTable;
    }

    /** MySQL 8 caches AUTO_INCREMENT and row estimates in information_schema for a day by default. */
    private static void fresh(Connection c) {
        try (var s = c.createStatement()) {
            s.execute("SET SESSION information_schema_stats_expiry = 0");
        } catch (SQLException mariaDbHasNoCache) {
            // MariaDB reads them live
        }
    }
}
