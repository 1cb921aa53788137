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
            number("extra"), number("changed"), number("differences"), number("duplicates"), number("errors")});

    private final SparkSession spark;
    private final Path dir;

    public ParquetHistory(SparkSession spark, Path dir) {
        this.spark = spark;
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public void append(List<HistoryRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>();
        for (HistoryRecord r : records) {
            rows.add(RowFactory.create(r.runId(), r.job(), r.command(), r.startedAt(), r.finishedAt(), r.verdict(),
                    r.table(), r.status(), r.sourceRows(), r.targetRows(), r.missing(), r.extra(), r.changed(),
                    r.differences(), r.duplicates(), r.errors()));
        }
        try {
            Files.createDirectories(dir);
            spark.createDataFrame(rows, SCHEMA).coalesce(1).write().mode(SaveMode.Append).parquet(dir.toString());
        } catch (java.io.IOException | RuntimeException e) {
            throw new TallyError("cannot append to the history in " + dir + ": " + TallyError.rootCause(e).getMessage()
                    + "; set history.path to a writable directory (the report was written)", e);
        }
    }

    @Override
    public List<HistoryRecord> read(String job) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<HistoryRecord> out = new ArrayList<>();
        for (Row r : spark.read().schema(SCHEMA).parquet(dir.toString()).filter(col("job").equalTo(job))
                .orderBy(col("started_at"), col("run_id"), col("table")).collectAsList()) {
            out.add(new HistoryRecord(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                    r.getString(5), r.getString(6), r.getString(7), r.getLong(8), r.getLong(9), r.getLong(10),
                    r.getLong(11), r.getLong(12), r.getLong(13), r.getLong(14), r.getLong(15)));
        }
        return out;
    }

    private static StructField text(String name) {
        return DataTypes.createStructField(name, DataTypes.StringType, true);
    }

    private static StructField number(String name) {
        return DataTypes.createStructField(name, DataTypes.LongType, false);
    }
}
