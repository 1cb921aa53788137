package io.tally.engine.source;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.config.EndpointConfig;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.TableRef;
import io.tally.engine.model.TableSchema;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Everything that differs between engines, behind one interface: quoting, session set-up, catalog
 * introspection, the SQL that reads a column in a form Spark carries without loss, and literals for
 * partition bounds. The mechanism (partitioning, hashing, diff) never looks at the engine.
 */
public interface Dialect extends Serializable {

    /** {@code postgresql} or {@code mysql}. */
    String name();

    /** The JDBC driver class Spark's reader loads on executors. */
    String driverClass();

    /** Quotes an identifier so that any name, including quotes, backticks and semicolons, is one identifier. */
    String quote(String identifier);

    default String qualified(TableRef table) {
        return table.schema() == null ? quote(table.name()) : quote(table.schema()) + "." + quote(table.name());
    }

    /** Statement run first on every connection, forcing the session time zone to UTC. */
    String sessionInit();

    /**
     * Statements that keep a verify's session gentle and harmless on a live database: a statement waiting longer than
     * {@code limits} allows for a lock another transaction holds fails instead of queueing (and making others queue
     * behind it), a read runs no longer than allowed, and nothing can write. {@code connection} tells the server
     * (MySQL or MariaDB).
     */
    List<String> readGuards(ReadLimits limits, Connection connection) throws SQLException;

    /** Whether one transaction's snapshot can be shared by every read connection (PostgreSQL). */
    default boolean exportsSnapshots() {
        return false;
    }

    /**
     * Opens the side's one snapshot on {@code holder}, which must then stay open (and idle) while any connection reads
     * in it; null when this engine cannot share a snapshot between connections (each then opens its own, see
     * {@link #snapshotReads}). Only called where {@link #exportsSnapshots()}.
     */
    default ExportedSnapshot exportSnapshot(Connection holder) throws SQLException {
        return null;
    }

    /**
     * Which physical generation of {@code table} the connection's snapshot sees (PostgreSQL: {@code pg_class.relfilenode},
     * changed by TRUNCATE and table-rewriting ALTERs, which are not MVCC-safe: an older snapshot then reads the table
     * as empty); null where the engine needs no such check (InnoDB fails such a read itself).
     */
    default String storageGeneration(Connection connection, TableRef table) throws SQLException {
        return null;
    }

    /**
     * What a read connection runs after {@code setUp} to read in the side's snapshot: import {@code exported}, or
     * (null) open its own consistent snapshot at once; with a probe telling which snapshot, or when.
     */
    ReadSession snapshotReads(List<String> setUp, ExportedSnapshot exported);

    /** The server's load for a throttle; the replication lag only when {@code lag} (it may need a privilege). */
    ServerLoad load(Connection connection, boolean lag) throws SQLException;

    /**
     * The first 32 bits of the MD5 of integer key columns' decimal text joined by commas, as a number in
     * [0, 2<sup>32</sup>): both engines compute the same value for the same key, so a sample {@code < bound} picks the
     * same keys on each side.
     */
    String keyHash32(List<String> quotedIntegerKeys);

    /** JDBC properties Tally forces on every connection (they win over the user's). */
    Map<String, String> forcedProperties();

    /** Extra JDBC properties for the repair's write connections (e.g. update counts that tell insert from no-op). */
    default Map<String, String> writeProperties() {
        return Map.of();
    }

    TableSchema describe(Connection connection, TableRef table) throws SQLException;

    /** A cheap row-count estimate from the catalog, or -1 when the catalog does not know. */
    long estimateRows(Connection connection, TableRef table) throws SQLException;

    /** The SQL expression that reads {@code column} for comparison as {@code kind}. */
    String readExpression(ColumnInfo column, ColumnRule.Kind kind);

    /** Whether the server truncates (rather than rounds) fractional seconds stored into a coarser column. */
    default boolean truncatesFractionalSeconds(Connection connection) throws SQLException {
        return false;
    }

    /** The canonical form computed in SQL (pushdown), or null when this engine has none. */
    default io.tally.engine.source.pushdown.SqlTokens sqlTokens() {
        return null;
    }

    /** An expression rendering a key column as text, for choosing partition bounds. */
    String asText(String quotedColumn);

    /**
     * {@code expression} (a value of {@code column}'s temporal type) less {@code seconds}, in the engine's interval
     * arithmetic and still of that type: a date moves back by whole days, rounded up.
     */
    String minusSeconds(String expression, long seconds, ColumnInfo column);

    /** The current time as a value of {@code column}'s temporal type (date, zone-less timestamp or instant). */
    String now(ColumnInfo column);

    /** A literal that compares with {@code column} in its own type, from that column's text rendering. */
    String literal(String text, ColumnInfo column);

    /** The schema (PostgreSQL) or database (MySQL) an unqualified table name resolves to. */
    String currentSchema(Connection connection) throws SQLException;

    /** Column lists of the primary key and every full (not partial, not prefix) unique index, in index order. */
    List<List<String>> uniqueKeys(Connection connection, TableRef table) throws SQLException;

    /** The tables that {@code table}'s declared foreign keys reference, fully qualified. */
    List<TableRef> referencedTables(Connection connection, TableRef table) throws SQLException;

    /** The SQL placeholder that binds a parameter (text, number, bytes) to {@code column}'s own type. */
    default String placeholder(ColumnInfo column) {
        return "?";
    }

    /**
     * An INSERT of one row that, when a row with the same {@code keys} exists, overwrites every other column
     * with the new values. With {@code insertOnly} it must not touch an existing row: it either does nothing
     * (update count 0) or fails with a constraint violation (SQLState class 23).
     */
    String upsert(String qualifiedTable, List<String> quotedColumns, List<String> placeholders,
                  List<String> quotedKeys, boolean insertOnly, List<String> quotedAlwaysIdentity);

    /** The INSERT of one row ({@code overridingIdentity}: explicit values for a GENERATED ALWAYS identity). */
    default String insert(String qualifiedTable, List<String> quotedColumns, List<String> placeholders,
                          boolean overridingIdentity) {
        return "INSERT INTO " + qualifiedTable + " (" + String.join(", ", quotedColumns) + ")"
                + (overridingIdentity ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ("
                + String.join(", ", placeholders) + ")";
    }

    /** Generated columns and identity rules of a target table, for the repair's statements. */
    WriteShape writeShape(Connection connection, TableRef table) throws SQLException;

    /** This engine's catalog checks of schema health (foreign keys, indexes, leftovers, sequences, statistics). */
    io.tally.engine.integrity.IntegrityCatalog integrity();

    /**
     * Moves every sequence (serial, identity, AUTO_INCREMENT) feeding {@code table} past the column's maximum,
     * never backwards; returns one line per sequence that was moved.
     */
    List<String> advanceSequences(Connection connection, TableRef table) throws SQLException;

    /**
     * Where the database stands in its change stream now (docs/audits.md); unavailable, with the reason, when the
     * engine does not say (no binary log) or the user may not ask. Never fails the run.
     */
    io.tally.engine.report.Position position(Connection connection);

    static Dialect of(EndpointConfig endpoint, String role) {
        String kind = endpoint.kind();
        String url = endpoint.url();
        if (kind == null) {
            if (url.startsWith("jdbc:postgresql:")) {
                kind = "postgresql";
            } else if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
                kind = "mysql";
            } else {
                // the scheme only: other drivers' URLs may carry credentials in forms Tally does not recognise
                String scheme = url.replaceFirst("^((?:jdbc:)?[A-Za-z0-9+.-]*).*$", "$1");
                throw new TallyError(role + ".url (" + scheme + ":...) is not a PostgreSQL or MySQL JDBC URL; use "
                        + "jdbc:postgresql://host:port/db or jdbc:mysql://host:port/db, or set " + role + ".kind");
            }
        }
        return switch (kind) {
            case "postgresql", "postgres" -> new PostgresDialect();
            case "mysql", "mariadb" -> {
                if (url.startsWith("jdbc:mariadb:")) {
                    throw new TallyError(role + ".url uses jdbc:mariadb:, which Spark quotes wrongly; write it as "
                            + "jdbc:mysql://... (MySQL Connector/J reads MariaDB too)");
                }
                yield new MySqlDialect();
            }
            default -> throw new TallyError(role + ".kind '" + kind + "' is not supported; use postgresql or mysql");
        };
    }

    /** Rejects names that no engine can hold, before any SQL is built from them. */
    static void checkIdentifier(String identifier) {
        if (identifier == null || identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new TallyError("identifier '" + identifier + "' is empty or holds a NUL character; fix the name");
        }
    }
}
