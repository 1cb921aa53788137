package io.tally.engine.integrity;

import io.tally.engine.model.TableRef;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What an engine's catalog says about the health of a schema, read-only: declared foreign keys, indexes that
 * are not usable, leftovers of online schema-change tools, sequences, statistics and unvalidated constraints.
 * One implementation per engine ({@link PostgresIntegrity}, {@link MySqlIntegrity}); a {@code null} schema means
 * the connection's current one.
 */
public interface IntegrityCatalog {

    /** A declared foreign key of {@code child}, columns in constraint order. */
    record ForeignKey(String name, TableRef child, List<String> columns, TableRef parent, List<String> parentColumns,
                      boolean validated) {
    }

    /** An index that is not valid: {@code building} when a build is still in progress, else left by a failed one. */
    record BrokenIndex(String table, String index, boolean building, String definition) {
    }

    /**
     * A table or trigger an online schema-change tool leaves behind.
     *
     * @param unfinished true for objects of a change that did not complete (a ghost or new table, a trigger
     *                   still copying writes), false for an old copy kept after a completed cut-over
     */
    record Leftover(String kind, String name, String tool, String table, String role, boolean unfinished) {
    }

    /** A sequence feeding {@code column}; {@code next} is the value the next insert would take. */
    record SequenceState(String sequence, String column, Long max, long next) {
        public boolean behind() {
            return max != null && next <= max;
        }
    }

    /** The planner's row estimate, and whether statistics were never gathered (when the engine can tell). */
    record Statistics(long estimate, boolean neverAnalyzed) {
    }

    List<ForeignKey> foreignKeys(Connection c, TableRef child) throws SQLException;

    List<BrokenIndex> brokenIndexes(Connection c, String schema) throws SQLException;

    List<Leftover> leftovers(Connection c, String schema) throws SQLException;

    List<SequenceState> sequences(Connection c, TableRef table) throws SQLException;

    Statistics statistics(Connection c, TableRef table) throws SQLException;

    /** Names of the table's constraints that exist but were never validated against its rows. */
    List<String> notValidConstraints(Connection c, TableRef table) throws SQLException;

    /** Column lists of the table's plain indexes (primary key and unique ones included; partial and expression ones not). */
    List<List<String>> indexes(Connection c, TableRef table) throws SQLException;

    /** Column lists of the table's valid unique keys (primary key first). */
    List<List<String>> uniqueKeys(Connection c, TableRef table) throws SQLException;

    /**
     * Each column's default as the catalog prints it ({@code ColumnDefaults} normalizes it), {@code auto-increment}
     * for a column the database numbers itself, {@code generated} for a generated column; columns without a default
     * are absent.
     */
    java.util.Map<String, String> defaults(Connection c, TableRef table) throws SQLException;

    /** Names of the base tables of a schema. */
    List<String> tables(Connection c, String schema) throws SQLException;

    /** The statement that refreshes the table's statistics. */
    String analyze(String qualifiedTable);
}
