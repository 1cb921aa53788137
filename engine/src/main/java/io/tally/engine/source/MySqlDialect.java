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
import java.util.Locale;
import java.util.Map;

/** MySQL 8 and MariaDB through MySQL Connector/J: binary protocol for exact floats, text temporals. */
public final class MySqlDialect implements Dialect {

    private static final String COLUMNS = """
            SELECT column_name, column_type, data_type, is_nullable, character_maximum_length,
                   numeric_precision, numeric_scale, datetime_precision
            FROM information_schema.columns
            WHERE table_schema = coalesce(?, database()) AND table_name = ?
            ORDER BY ordinal_position""";

    private static final String PRIMARY_KEY = """
            SELECT column_name FROM information_schema.key_column_usage
            WHERE table_schema = coalesce(?, database()) AND table_name = ? AND constraint_name = 'PRIMARY'
            ORDER BY ordinal_position""";

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public String driverClass() {
        return "com.mysql.cj.jdbc.Driver";
    }

    @Override
    public String quote(String identifier) {
        Dialect.checkIdentifier(identifier);
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String sessionInit() {
        // literal() escapes backslashes, which NO_BACKSLASH_ESCAPES would turn into two characters: drop that mode
        return "SET time_zone = '+00:00', sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), "
                + "',NO_BACKSLASH_ESCAPES,', ','))";
    }

    @Override
    public List<String> readGuards(ReadLimits limits, Connection connection) throws SQLException {
        boolean mariadb = Catalog.scalar(connection, "SELECT VERSION()").contains("MariaDB");
        List<String> guards = new ArrayList<>(List.of("SET SESSION TRANSACTION READ ONLY",
                mariadb ? "SET SESSION max_statement_time = " + limits.statementTimeoutSeconds()
                        : "SET SESSION max_execution_time = " + limits.statementTimeoutMillis()));
        if (limits.lockTimeoutSeconds() > 0) { // row locks, and metadata locks (an ALTER TABLE, LOCK TABLES elsewhere)
            guards.add("SET SESSION innodb_lock_wait_timeout = " + limits.lockTimeoutSeconds() + ", lock_wait_timeout = "
                    + limits.lockTimeoutSeconds());
        }
        return guards;
    }

    @Override
    public String keyHash32(List<String> quotedIntegerKeys) {
        // k + 0: a ZEROFILL column's text would keep its padding
        return "CAST(CONV(SUBSTRING(MD5(CONCAT_WS(',', " + String.join(", ", quotedIntegerKeys.stream()
                .map(k -> "(" + k + " + 0)").toList()) + ")), 1, 8), 16, 10) AS UNSIGNED)";
    }

    @Override
    public ServerLoad load(Connection connection, boolean lag) throws SQLException {
        return MySqlServerLoad.read(connection, lag);
    }

    /** MySQL cannot share a snapshot: each read connection opens its own at once, and says when. */
    @Override
    public ReadSession snapshotReads(List<String> setUp, ExportedSnapshot exported) {
        List<String> all = new ArrayList<>(setUp);
        all.add("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        all.add("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        return new ReadSession(all, false, "SELECT UNIX_TIMESTAMP(NOW(6))");
    }

    @Override
    public Map<String, String> forcedProperties() {
        return Map.of(
                // The text protocol renders FLOAT with 6 digits (1.234567 -> 1.23457); the binary one is exact.
                "useServerPrepStmts", "true",
                "useCursorFetch", "true",
                "tinyInt1isBit", "false",
                "yearIsDateType", "false",
                "connectionTimeZone", "UTC",
                "forceConnectionTimeZoneToSession", "true",
                "characterEncoding", "UTF-8",
                // one statement per call, whatever the URL says: a value can never start a second statement
                "allowMultiQueries", "false");
    }

    /** Affected rows, not found rows, per statement: an ON DUPLICATE KEY no-op then counts 0, an insert 1. */
    @Override
    public Map<String, String> writeProperties() {
        return Map.of("useAffectedRows", "true", "rewriteBatchedStatements", "false");
    }

    @Override
    public TableSchema describe(Connection connection, TableRef table) throws SQLException {
        List<ColumnInfo> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(column(rs.getString(1), rs.getString(2), rs.getString(3),
                            "YES".equals(rs.getString(4)), rs.getLong(5), rs.getInt(7), rs.getObject(8)));
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

    static ColumnInfo column(String name, String columnType, String dataType, boolean nullable, long charLength,
                             int numericScale, Object datetimePrecision) {
        String ct = columnType.toLowerCase(Locale.ROOT);
        int precision = -1;
        int scale = -1;
        int length = -1;
        LogicalType type;
        switch (dataType.toLowerCase(Locale.ROOT)) {
            case "tinyint" -> type = ct.startsWith("tinyint(1)") ? LogicalType.BOOLEAN : LogicalType.INTEGER;
            case "smallint", "mediumint", "int", "integer", "bigint", "year" -> type = LogicalType.INTEGER;
            case "bit" -> type = ct.equals("bit(1)") ? LogicalType.BOOLEAN : LogicalType.INTEGER;
            case "decimal", "numeric" -> {
                type = LogicalType.DECIMAL;
                scale = numericScale;
                var digits = java.util.regex.Pattern.compile("\\((\\d+)").matcher(ct);
                precision = digits.find() ? Integer.parseInt(digits.group(1)) : -1;
            }
            case "float" -> type = LogicalType.FLOAT32;
            case "double", "real" -> type = LogicalType.FLOAT64;
            case "char" -> {
                type = LogicalType.FIXED_STRING;
                length = (int) charLength;
            }
            case "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> type = LogicalType.STRING;
            case "binary" -> {
                type = LogicalType.FIXED_BINARY;
                length = (int) charLength;
            }
            case "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> type = LogicalType.BINARY;
            case "json" -> type = LogicalType.JSON;
            case "uuid" -> type = LogicalType.UUID; // MariaDB 10.7+
            case "datetime" -> {
                type = LogicalType.TIMESTAMP;
                precision = datetimePrecision == null ? 0 : ((Number) datetimePrecision).intValue();
            }
            case "timestamp" -> {
                type = LogicalType.TIMESTAMP_TZ;
                precision = datetimePrecision == null ? 0 : ((Number) datetimePrecision).intValue();
            }
            case "date" -> type = LogicalType.DATE;
            case "time" -> {
                type = LogicalType.TIME;
                precision = datetimePrecision == null ? 0 : ((Number) datetimePrecision).intValue();
            }
            default -> type = LogicalType.UNSUPPORTED;
        }
        return new ColumnInfo(name, ct, type, precision, scale, length, nullable);
    }

    @Override
    public long estimateRows(Connection connection, TableRef table) throws SQLException {
        String sql = "SELECT table_rows FROM information_schema.tables "
                + "WHERE table_schema = coalesce(?, database()) AND table_name = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return -1;
                }
                long n = rs.getLong(1);
                return rs.wasNull() ? -1 : n;
            }
        }
    }

    @Override
    public io.tally.engine.source.pushdown.SqlTokens sqlTokens() {
        return new io.tally.engine.source.pushdown.MySqlTokens();
    }

    @Override
    public String readExpression(ColumnInfo column, Kind kind) {
        String c = quote(column.name());
        LogicalType t = column.type();
        boolean bitOrYear = column.nativeType().startsWith("bit") || column.nativeType().startsWith("year");
        return switch (kind) {
            case INSTANT, DATE -> t == LogicalType.DATE
                    ? "DATE_FORMAT(" + c + ", '%Y-%m-%d')"
                    : "DATE_FORMAT(" + c + ", '%Y-%m-%d %H:%i:%s.%f')";
            case TIME -> "CAST(" + c + " AS CHAR)";
            case JSON -> t == LogicalType.JSON ? "CAST(" + c + " AS CHAR)" : c;
            case EXACT, BOOLEAN -> t == LogicalType.DECIMAL ? "CAST(" + c + " AS CHAR)"
                    : bitOrYear ? "CAST(" + c + " AS UNSIGNED)"
                    : t == LogicalType.FLOAT32 ? "CAST(" + c + " AS DOUBLE)" : c;
            // FLOAT widened to DOUBLE in the server is exact and renders with round-trip digits; FLOAT itself
            // reaches JDBC as 6-digit text (1.234567 -> 1.23457) whenever the text protocol is used.
            case FLOAT -> t == LogicalType.FLOAT32 ? "CAST(" + c + " AS DOUBLE)" : c;
            case STRING -> t.isText() ? c : "CAST(" + c + " AS CHAR)";
            case UUID -> t == LogicalType.UUID ? "CAST(" + c + " AS CHAR)" : c;
            default -> c;
        };
    }

    /**
     * MariaDB truncates fractional seconds on insert into a coarser column; MySQL rounds unless sql_mode has
     * TIME_TRUNCATE_FRACTIONAL.
     */
    @Override
    public boolean truncatesFractionalSeconds(Connection connection) throws SQLException {
        try (var s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION(), @@SESSION.sql_mode")) {
            rs.next();
            String version = rs.getString(1).toLowerCase(Locale.ROOT);
            String mode = rs.getString(2) == null ? "" : rs.getString(2).toUpperCase(Locale.ROOT);
            return version.contains("mariadb") || mode.contains("TIME_TRUNCATE_FRACTIONAL");
        }
    }

    @Override
    public String asText(String quotedColumn) {
        return "CAST(" + quotedColumn + " AS CHAR)";
    }

    @Override
    public String minusSeconds(String expression, long seconds, ColumnInfo column) {
        return column.type() == LogicalType.DATE ? "(" + expression + " - INTERVAL " + (seconds + 86_399) / 86_400
                + " DAY)" : "(" + expression + " - INTERVAL " + seconds + " SECOND)";
    }

    @Override
    public String now(ColumnInfo column) {
        return column.type() == LogicalType.DATE ? "CURDATE()" : "NOW(6)";
    }

    @Override
    public String literal(String text, ColumnInfo column) {
        // MySQL compares a number with a string as doubles, losing digits past 2^53: numbers stay unquoted.
        if (column.type().isNumeric() && text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return text;
        }
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static final String UNIQUE_KEYS = """
            SELECT index_name, column_name FROM information_schema.statistics
            WHERE table_schema = coalesce(?, database()) AND table_name = ? AND non_unique = 0
            AND index_name NOT IN (SELECT index_name FROM information_schema.statistics
                WHERE table_schema = coalesce(?, database()) AND table_name = ? AND sub_part IS NOT NULL)
            ORDER BY index_name <> 'PRIMARY', index_name, seq_in_index""";

    private static final String REFERENCED = """
            SELECT DISTINCT referenced_table_schema, referenced_table_name FROM information_schema.key_column_usage
            WHERE table_schema = coalesce(?, database()) AND table_name = ? AND referenced_table_name IS NOT NULL""";

    @Override
    public String currentSchema(Connection connection) throws SQLException {
        return Catalog.scalar(connection, "SELECT DATABASE()");
    }

    @Override
    public List<List<String>> uniqueKeys(Connection connection, TableRef table) throws SQLException {
        return Catalog.groupedColumns(connection, UNIQUE_KEYS, table);
    }

    @Override
    public List<TableRef> referencedTables(Connection connection, TableRef table) throws SQLException {
        return Catalog.tableRefs(connection, REFERENCED, table);
    }

    /**
     * ON DUPLICATE KEY fires on any unique index, not only {@code keys}, so the insert-only form is a plain
     * INSERT: a collision through another unique index fails (and the repair defers and retries the batch)
     * instead of silently updating some other row. VALUES() is used because MariaDB lacks row aliases.
     */
    @Override
    public String upsert(String qualifiedTable, List<String> quotedColumns, List<String> placeholders,
                         List<String> quotedKeys, boolean insertOnly, List<String> quotedAlwaysIdentity) {
        String insert = insert(qualifiedTable, quotedColumns, placeholders, false);
        if (insertOnly) {
            return insert;
        }
        List<String> set = quotedColumns.stream().filter(c -> !quotedKeys.contains(c))
                .map(c -> c + " = VALUES(" + c + ")").toList();
        return insert + " ON DUPLICATE KEY UPDATE " + (set.isEmpty() ? quotedKeys.get(0) + " = " + quotedKeys.get(0)
                : String.join(", ", set));
    }

    /** VIRTUAL / STORED (MariaDB: PERSISTENT) generated columns; DEFAULT_GENERATED is only a default. */
    @Override
    public WriteShape writeShape(Connection connection, TableRef table) throws SQLException {
        java.util.Set<String> generated = new java.util.HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT column_name, extra FROM information_schema.columns "
                + "WHERE table_schema = coalesce(?, database()) AND table_name = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String extra = rs.getString(2) == null ? "" : rs.getString(2).toUpperCase(Locale.ROOT);
                    if (extra.matches(".*\\b(VIRTUAL|STORED|PERSISTENT) GENERATED\\b.*")) {
                        generated.add(rs.getString(1));
                    }
                }
            }
        }
        return new WriteShape(generated, java.util.Set.of());
    }

    @Override
    public io.tally.engine.integrity.IntegrityCatalog integrity() {
        return new io.tally.engine.integrity.MySqlIntegrity(this);
    }

    @Override
    public List<String> advanceSequences(Connection connection, TableRef table) throws SQLException {
        List<String> moved = new ArrayList<>();
        for (var s : integrity().sequences(connection, table)) {
            if (s.behind()) {
                try (var st = connection.createStatement()) {
                    st.execute("ALTER TABLE " + qualified(table) + " AUTO_INCREMENT = " + (s.max() + 1));
                }
                moved.add(table + "." + s.column() + ": AUTO_INCREMENT " + s.next() + " -> " + (s.max() + 1));
            }
        }
        return moved;
    }

    /**
     * The executed GTID set (MySQL with gtid_mode on; MariaDB's gtid_current_pos), else the binary log file and
     * offset; none when the binary log is off.
     */
    @Override
    public io.tally.engine.report.Position position(Connection connection) {
        for (String sql : List.of("SELECT @@GLOBAL.gtid_executed", "SELECT @@GLOBAL.gtid_current_pos")) {
            String gtid;
            try {
                gtid = Catalog.scalar(connection, sql);
            } catch (SQLException otherEngine) {
                continue; // the other engine's variable
            }
            if (gtid != null && !gtid.isBlank()) {
                return io.tally.engine.report.Position.of("gtid", gtid.replace("\n", ""));
            }
        }
        String failed = null;
        for (String sql : List.of("SHOW BINARY LOG STATUS", "SHOW MASTER STATUS")) { // 8.4+ renamed the statement
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? io.tally.engine.report.Position.of("binlog", rs.getString(1) + ":" + rs.getLong(2))
                        : io.tally.engine.report.Position.unavailable("the binary log is off (log_bin); nothing to place "
                        + "the read in");
            } catch (SQLException e) {
                failed = io.tally.engine.Secrets.mask(e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return io.tally.engine.report.Position.unavailable("the binary log position could not be read (the user needs "
                + "REPLICATION CLIENT): " + failed);
    }

}
