package io.tally.engine.source;

import io.tally.engine.canonical.ColumnRule.Kind;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;
import io.tally.engine.model.TableRef;
import io.tally.engine.model.TableSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** PostgreSQL: catalog from pg_catalog, exact text renderings for numerics and temporals. */
public final class PostgresDialect implements Dialect {

    private static final String COLUMNS = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname, t.typtype, a.attnotnull, a.atttypmod
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_type t ON t.oid = a.atttypid
            WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ?
              AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum""";

    private static final String PRIMARY_KEY = """
            SELECT a.attname
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
            WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ? AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)""";

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String driverClass() {
        return "org.postgresql.Driver";
    }

    @Override
    public String quote(String identifier) {
        Dialect.checkIdentifier(identifier);
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String sessionInit() {
        // ISO dates: text of temporal values (partition bounds, audit marks) must not depend on the server's DateStyle;
        // standard strings: literal() doubles quotes only, which is safe only while backslashes are plain characters
        return "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET standard_conforming_strings = on";
    }

    @Override
    public List<String> readGuards(ReadLimits limits, Connection connection) {
        // 0 turns either timeout off; read-only refuses any write or DDL in this session's transactions
        return List.of("SET lock_timeout = " + limits.lockTimeoutMillis(),
                "SET statement_timeout = " + limits.statementTimeoutMillis(), "SET default_transaction_read_only = on");
    }

    @Override
    public String keyHash32(List<String> quotedIntegerKeys) {
        String text = String.join(", ", quotedIntegerKeys.stream().map(k -> k + "::text").toList());
        return "('x' || lpad(substr(md5(concat_ws(',', " + text + ")), 1, 8), 16, '0'))::bit(64)::bigint";
    }

    /**
     * Active statements of other applications (seeing other users' needs pg_read_all_stats or pg_monitor) and the
     * replication lag: a standby's replay delay while it has WAL left to replay, a primary's slowest standby.
     */
    @Override
    public ServerLoad load(Connection connection, boolean lag) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM "
                + "pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND application_name <> "
                + "'tally' AND pid <> pg_backend_pid()), CASE WHEN pg_is_in_recovery() THEN CASE WHEN "
                + "pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 ELSE coalesce(extract(epoch FROM now() - "
                + "pg_last_xact_replay_timestamp()), 0) END ELSE coalesce((SELECT extract(epoch FROM max(replay_lag)) "
                + "FROM pg_stat_replication), 0) END")) {
            rs.next();
            return new ServerLoad(rs.getLong(1), lag ? rs.getDouble(2) : 0);
        }
    }

    @Override
    public String storageGeneration(Connection connection, TableRef table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT relfilenode::text FROM pg_class WHERE oid = "
                + "to_regclass(?)")) { // a query, not pg_relation_filenode(): it sees pg_class as of the snapshot
            ps.setString(1, qualified(table));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public boolean exportsSnapshots() {
        return true;
    }

    @Override
    public ExportedSnapshot exportSnapshot(Connection holder) throws SQLException {
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            s.execute("SET idle_in_transaction_session_timeout = 0"); // the holder idles while the partitions read
            try (ResultSet rs = s.executeQuery("SELECT pg_export_snapshot(), txid_current_snapshot()::text, CASE WHEN "
                    + "pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text ELSE pg_current_wal_lsn()::text END, "
                    + "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")) {
                rs.next();
                return new ExportedSnapshot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        }
    }

    @Override
    public ReadSession snapshotReads(List<String> setUp, ExportedSnapshot exported) {
        List<String> all = new ArrayList<>(setUp);
        all.add("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        all.add("SET TRANSACTION SNAPSHOT '" + exported.id().replace("'", "''") + "'");
        return new ReadSession(all, true, "SELECT txid_current_snapshot()::text");
    }

    @Override
    public Map<String, String> forcedProperties() {
        // The driver's default extra_float_digits=3 makes float text exact; keep it explicit.
        return Map.of("options", "-c TimeZone=UTC -c extra_float_digits=3", "ApplicationName", "tally");
    }

    @Override
    public TableSchema describe(Connection connection, TableRef table) throws SQLException {
        List<ColumnInfo> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(column(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            !rs.getBoolean(5), rs.getInt(6)));
                }
            }
        }
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(PRIMARY_KEY)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return new TableSchema(table, columns, key);
    }

    static ColumnInfo column(String name, String nativeType, String typname, String typtype, boolean nullable,
                             int typmod) {
        int precision = -1;
        int scale = -1;
        int length = -1;
        LogicalType type;
        switch (typname) {
            case "int2", "int4", "int8", "oid" -> type = LogicalType.INTEGER;
            case "numeric" -> {
                type = LogicalType.DECIMAL;
                if (typmod >= 4) {
                    precision = ((typmod - 4) >> 16) & 0xffff;
                    scale = (typmod - 4) & 0xffff;
                }
            }
            case "float4" -> type = LogicalType.FLOAT32;
            case "float8" -> type = LogicalType.FLOAT64;
            case "bool" -> type = LogicalType.BOOLEAN;
            case "text", "varchar", "name", "citext" -> type = LogicalType.STRING;
            case "bpchar" -> {
                type = LogicalType.FIXED_STRING;
                length = typmod >= 4 ? typmod - 4 : -1;
            }
            case "bytea" -> type = LogicalType.BINARY;
            case "uuid" -> type = LogicalType.UUID;
            case "json", "jsonb" -> type = LogicalType.JSON;
            case "timestamp" -> {
                type = LogicalType.TIMESTAMP;
                precision = typmod >= 0 ? typmod : 6;
            }
            case "timestamptz" -> {
                type = LogicalType.TIMESTAMP_TZ;
                precision = typmod >= 0 ? typmod : 6;
            }
            case "date" -> type = LogicalType.DATE;
            case "time" -> {
                type = LogicalType.TIME;
                precision = typmod >= 0 ? typmod : 6;
            }
            default -> type = "e".equals(typtype) ? LogicalType.STRING : LogicalType.UNSUPPORTED;
        }
        return new ColumnInfo(name, nativeType, type, precision, scale, length, nullable);
    }

    @Override
    public long estimateRows(Connection connection, TableRef table) throws SQLException {
        String sql = "SELECT c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public io.tally.engine.source.pushdown.SqlTokens sqlTokens() {
        return new io.tally.engine.source.pushdown.PostgresTokens();
    }

    @Override
    public String readExpression(ColumnInfo column, Kind kind) {
        String c = quote(column.name());
        LogicalType t = column.type();
        return switch (kind) {
            case INSTANT, DATE -> t == LogicalType.DATE
                    ? "CASE WHEN isfinite(" + c + ") THEN to_char(" + c + ", 'YYYY-MM-DD BC') ELSE CAST(" + c + " AS text) END"
                    : "CASE WHEN isfinite(" + c + ") THEN to_char(" + c + ", 'YYYY-MM-DD HH24:MI:SS.US BC') ELSE CAST(" + c + " AS text) END";
            case TIME, JSON -> "CAST(" + c + " AS text)";
            case EXACT -> t == LogicalType.DECIMAL ? "CAST(" + c + " AS text)" : c;
            case STRING -> t.isText() ? c : "CAST(" + c + " AS text)";
            case UUID -> t == LogicalType.UUID ? "CAST(" + c + " AS text)" : c;
            default -> c;
        };
    }

    @Override
    public String asText(String quotedColumn) {
        return "CAST(" + quotedColumn + " AS text)";
    }

    @Override
    public String minusSeconds(String expression, long seconds, ColumnInfo column) {
        return column.type() == LogicalType.DATE ? "(" + expression + " - " + (seconds + 86_399) / 86_400 + ")"
                : "(" + expression + " - INTERVAL '" + seconds + " seconds')";
    }

    @Override
    public String now(ColumnInfo column) {
        return switch (column.type()) {
            case DATE -> "CURRENT_DATE";
            case TIMESTAMP_TZ -> "now()";
            default -> "LOCALTIMESTAMP";
        };
    }

    @Override
    public String literal(String text, ColumnInfo column) {
        // An untyped literal takes the column's type in a comparison, exactly as PostgreSQL parses its own text.
        return "'" + text.replace("'", "''") + "'";
    }

    private static final String UNIQUE_KEYS = """
            SELECT i.indexrelid, a.attname
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1])
            WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ? AND i.indisunique AND i.indisvalid
              AND i.indpred IS NULL AND i.indexprs IS NULL
            ORDER BY i.indisprimary DESC, i.indexrelid, array_position(i.indkey::int2[], a.attnum)""";

    private static final String REFERENCED = """
            SELECT DISTINCT rn.nspname, rc.relname
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class rc ON rc.oid = k.confrelid
            JOIN pg_namespace rn ON rn.oid = rc.relnamespace
            WHERE k.contype = 'f' AND n.nspname = coalesce(?, current_schema()) AND c.relname = ?""";

    /** Per-statement update counts: a batched do-nothing insert must report 0 when it did nothing. */
    @Override
    public Map<String, String> writeProperties() {
        return Map.of("reWriteBatchedInserts", "false");
    }

    @Override
    public String currentSchema(Connection connection) throws SQLException {
        return Catalog.scalar(connection, "SELECT current_schema()");
    }

    @Override
    public List<List<String>> uniqueKeys(Connection connection, TableRef table) throws SQLException {
        return Catalog.groupedColumns(connection, UNIQUE_KEYS, table);
    }

    @Override
    public List<TableRef> referencedTables(Connection connection, TableRef table) throws SQLException {
        return Catalog.tableRefs(connection, REFERENCED, table);
    }

    @Override
    public String placeholder(ColumnInfo column) {
        // Parameters arrive as text, numbers or bytes; the cast gives each the column's own type (json, enum, ...).
        // Character types take the bare parameter: an explicit cast to varchar(n) would truncate silently.
        if (column.type().isText() && column.nativeType().startsWith("character")) {
            return "?";
        }
        // The type comes from format_type() or, in a repair, from the plan's manifest: it must read as a type name.
        String bare = column.nativeType().replaceAll("\"(?:[^\"]|\"\")*\"", "q");
        // at most one balanced modifier group (numeric(12,2), geometry(Point,4326)): the CAST's parenthesis cannot close
        if (!bare.matches("[A-Za-z0-9_ ,.\\[\\]]*(\\([A-Za-z0-9_, -]*\\))?[A-Za-z0-9_ \\[\\]]*")) {
            throw new io.tally.engine.TallyError("column " + column.name() + " has type '" + column.nativeType()
                    + "', which is not a PostgreSQL type name; if it came from a plan, the plan was edited: regenerate "
                    + "it with verify --plan");
        }
        return "CAST(? AS " + column.nativeType() + ")";
    }

    @Override
    public String upsert(String qualifiedTable, List<String> quotedColumns, List<String> placeholders,
                         List<String> quotedKeys, boolean insertOnly, List<String> quotedAlwaysIdentity) {
        // An ALWAYS identity can be inserted with OVERRIDING SYSTEM VALUE but never updated: it stays out of SET.
        List<String> set = quotedColumns.stream().filter(c -> !quotedKeys.contains(c) && !quotedAlwaysIdentity.contains(c))
                .map(c -> c + " = EXCLUDED." + c).toList();
        return insert(qualifiedTable, quotedColumns, placeholders, !quotedAlwaysIdentity.isEmpty()) + " ON CONFLICT ("
                + String.join(", ", quotedKeys) + ") DO "
                + (insertOnly || set.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", set));
    }

    @Override
    public WriteShape writeShape(Connection connection, TableRef table) throws SQLException {
        java.util.Set<String> generated = new java.util.HashSet<>();
        java.util.Set<String> always = new java.util.HashSet<>();
        String sql = "SELECT a.attname, a.attgenerated, a.attidentity FROM pg_attribute a "
                + "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ? AND a.attnum > 0 "
                + "AND NOT a.attisdropped";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(2).isEmpty()) {
                        generated.add(rs.getString(1));
                    }
                    if ("a".equals(rs.getString(3))) {
                        always.add(rs.getString(1));
                    }
                }
            }
        }
        return new WriteShape(generated, always);
    }

    @Override
    public io.tally.engine.integrity.IntegrityCatalog integrity() {
        return new io.tally.engine.integrity.PostgresIntegrity(this);
    }

    @Override
    public List<String> advanceSequences(Connection connection, TableRef table) throws SQLException {
        List<String> moved = new ArrayList<>();
        for (var s : integrity().sequences(connection, table)) {
            if (s.behind()) {
                try (PreparedStatement set = connection.prepareStatement("SELECT setval(CAST(? AS regclass), ?, true)")) {
                    set.setString(1, s.sequence());
                    set.setLong(2, s.max());
                    set.execute();
                }
                moved.add(s.sequence() + ": next value " + s.next() + " -> " + (s.max() + 1) + " (max " + s.column()
                        + " is " + s.max() + ")");
            }
        }
        return moved;
    }

    /** The WAL LSN: the current write position on a primary, the last replayed one on a standby. */
    @Override
    public io.tally.engine.report.Position position(Connection connection) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT CASE WHEN "
                + "pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text ELSE pg_current_wal_lsn()::text END")) {
            rs.next();
            return io.tally.engine.report.Position.of("lsn", rs.getString(1));
        } catch (SQLException e) {
            return io.tally.engine.report.Position.unavailable("the WAL position could not be read: "
                    + io.tally.engine.Secrets.mask(e.getMessage().lines().findFirst().orElse("")));
        }
    }
}
