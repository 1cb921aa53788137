package io.tally.engine.verify;

import io.tally.engine.config.EndpointConfig;
import io.tally.engine.config.JobConfig;
import io.tally.engine.model.TableRef;
import io.tally.engine.report.Report;
import io.tally.engine.source.PartitionPlan;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/**
 * One side of a verification as the verify flow sees it, whatever the engine: a relational database read over
 * JDBC ({@link JdbcSide}) or a MongoDB deployment read through the Spark Connector ({@link DocumentSide}). Both
 * produce canonical rows of the same shape, so the diff, profile and plan never look at the engine.
 */
interface VerifySide extends AutoCloseable {

    /** Opens a side; {@code other} (null for the first) may lend its snapshot, see {@link JdbcSide#open}. */
    static VerifySide open(String role, EndpointConfig config, JobConfig job, VerifySide other) {
        return config.isDocument() ? DocumentSide.open(role, config, job.options().documentNumbers())
                : JdbcSide.open(role, config, job.options(), other);
    }

    String role();

    boolean isDocument();

    /** The side for humans: engine, URL without parameters, and user. */
    String describe();

    Report.Side report();

    /** Removes the password from a message. */
    String scrub(String message);

    /** Whether a finer temporal value stored into this side's coarser column is truncated (else rounded). */
    boolean truncates(String rounding);

    String zone();

    PartitionPlan partitions(TableRef table, TablePlan plan, boolean source, JobConfig config);

    /** The side's canonical rows (see {@link CanonicalRows#schema}); {@code keepDoc} carries documents along. */
    Dataset<Row> canonical(SparkSession spark, TableRef table, TablePlan plan, boolean source, PartitionPlan parts,
                           boolean keepDoc);

    /** How this side's read of {@code table} went: its snapshot and throttle waits (after the read). */
    io.tally.engine.report.TableReport.SideRead read(TableRef table);

    /** A table's rows: counted when the catalog estimates fewer than {@value #COUNT_BELOW}, else that estimate. */
    RowTotal total(TableRef table);

    long COUNT_BELOW = 1_000_000;

    /** How many rows a table holds, and whether that is the catalog's estimate rather than a count. */
    record RowTotal(long rows, boolean estimated) {
    }

    /** How each compared column is read, for the report. */
    List<String> readExpressions(TablePlan plan, boolean source);

    /** Refuses a read that returned another number of rows than the side holds, where the engine can tell. */
    default void checkComplete(TableRef table, long rowsRead) {
    }

    /** Where this side's database stands in its change stream now (docs/audits.md); never fails. */
    io.tally.engine.report.Position position();

    /** The tables {@code table}'s declared foreign keys reference, qualified; none where there are no keys. */
    List<TableRef> referencedTables(TableRef table);

    /** {@code table} with this side's default schema filled in. */
    TableRef qualify(TableRef table);

    /** Ends the catalog work (planning); reads go on without it. */
    @Override
    void close();
}
