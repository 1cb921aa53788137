package io.tally.engine.history;

import io.tally.engine.TallyError;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * The default history: a Parquet dataset in a directory. Each run appends its own files (nothing is ever
 * rewritten, so runs of different jobs may share the directory), and any Parquet reader can query it; it outlives
 * every process. Records come back in the order of their {@code startedAt}, then table.
 */
public final class ParquetHistory implements HistoryStore {

    static final StructType SCHEMA = new StructType(new StructField[]{
            text("run_id"), text("job"), text("command"), text("started_at"), text("finished_at"), text("verdict"),
            text("table"), text("status"), number("source_rows"), number("target_rows"), number("missing"),
            number("extra"), number("changed"), number("differences"), number("duplicates"), number("errors"),
            number("in_flight"), text("source_mark"), text("target_mark"), text("mark_of")});

    private final SparkSession spark;
    private final Path dir;

    public ParquetHistory(SparkSession spark, Path dir) {
        this.spark = spark;
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public AuditLock lockAudit(String job) {
        return FileAuditLock.take(dir, job);
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    @Override
    public void append(List<HistoryRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>();
        for (HistoryRecord r : records) {
            rows.add(RowFactory.create(r.values()));
        }
        // Written to a private staging directory, then moved in under a unique name: runs appending at the same
        // time never share Spark's _temporary directory, and a reader never sees a half-written file.
        String id = Long.toHexString(new java.security.SecureRandom().nextLong() | Long.MIN_VALUE);
        Path staging = dir.resolve("_staging-" + id);
        try {
            Files.createDirectories(dir);
            spark.createDataFrame(rows, SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite).parquet(staging.toString());
            int n = 0;
            try (var files = Files.list(staging)) {
                for (Path part : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
                    Files.move(part, dir.resolve(PREFIX + id + "-" + n++ + ".parquet"),
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (TallyError e) {
            throw e;
        } catch (Exception e) { // IOException, and SparkException from the Parquet job (undeclared in Java)
            throw new TallyError("cannot append to the history in " + dir + ": " + TallyError.rootCause(e).getMessage()
                    + "; set history.path to a writable directory (the report was written)", e);
        } finally {
            delete(staging);
        }
    }

    private static void delete(Path tree) {
        if (!Files.exists(tree)) {
            return;
        }
        try (var walk = Files.walk(tree)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException ignored) {
            // a staging directory left behind is hidden from readers (its name starts with '_')
        }
    }

    /** Only files named so are history: other files in the directory (a job file, a report) are not read. */
    static final String PREFIX = "tally-history-";

    @Override
    public List<HistoryRecord> read(String job) {
        try {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (var files = Files.list(dir)) {
                if (files.noneMatch(f -> f.getFileName().toString().startsWith(PREFIX))) {
                    return List.of();
                }
            }
            List<HistoryRecord> out = new ArrayList<>();
            for (Row r : spark.read().schema(SCHEMA).parquet(dir.resolve(PREFIX + "*.parquet").toString())
                    .filter(col("job").equalTo(job)).collectAsList()) {
                out.add(new HistoryRecord(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                        r.getString(4), r.getString(5), r.getString(6), r.getString(7), number(r, 8), number(r, 9),
                        number(r, 10), number(r, 11), number(r, 12), number(r, 13), number(r, 14), number(r, 15),
                        number(r, 16), r.getString(17), r.getString(18), r.getString(19)));
            }
            // by start instant (Instant.toString drops trailing zero digits, so the text does not sort), then run, table
            out.sort(java.util.Comparator.comparing((HistoryRecord h) -> java.time.Instant.parse(h.startedAt()))
                    .thenComparing(HistoryRecord::runId).thenComparing(HistoryRecord::table));
            return out;
        } catch (TallyError e) {
            throw e;
        } catch (Exception e) { // IOException, and SparkException from the Parquet job (undeclared in Java)
            throw new TallyError("cannot read the history in " + dir + ": " + TallyError.rootCause(e).getMessage()
                    + "; check history.path (only " + PREFIX + "*.parquet files are read)", e);
        }
    }

    private static long number(Row r, int i) {
        return r.isNullAt(i) ? 0 : r.getLong(i);
    }

    private static StructField text(String name) {
        return DataTypes.createStructField(name, DataTypes.StringType, true);
    }

    private static StructField number(String name) {
        return DataTypes.createStructField(name, DataTypes.LongType, true); // absent from files of older versions
    }
}
