package io.tally.engine.verify;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.report.TableReport;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

/**
 * Row counts per value of a batch column, or per window of a time column, compared between sides. Groups are
 * joined in Spark; the report keeps differing groups first, then the rest, up to {@code max_groups}.
 */
public final class GroupCounter {

    public TableReport.Groups byBatch(Dataset<Row> source, Dataset<Row> target, TablePlan plan, int maxGroups) {
        Column value = element_at(col("__vals"), plan.batchIndex() + 1);
        return compare(source, target, value, plan.columns().get(plan.batchIndex()).name(), null, maxGroups, false);
    }

    public TableReport.Groups byWindow(Dataset<Row> source, Dataset<Row> target, TablePlan plan, int maxGroups) {
        String window = plan.config().timeWindow() == null ? "1d" : plan.config().timeWindow();
        return compare(source, target, col("__tbucket").cast("string"),
                plan.columns().get(plan.timeIndex()).name(), window, maxGroups, true);
    }

    private TableReport.Groups compare(Dataset<Row> source, Dataset<Row> target, Column value, String column,
                                       String window, int maxGroups, boolean bucket) {
        Dataset<Row> s = source.groupBy(value.as("g")).agg(count(lit(1)).as("sn"));
        Dataset<Row> t = target.groupBy(value.as("g")).agg(count(lit(1)).as("tn"))
                .withColumnRenamed("g", "tg");
        Dataset<Row> joined = s.join(t, s.col("g").eqNullSafe(t.col("tg")), "full_outer")
                .select(coalesce(col("g"), col("tg")).as("g"), coalesce(col("sn"), lit(0L)).as("sn"),
                        coalesce(col("tn"), lit(0L)).as("tn"))
                .withColumn("differs", col("sn").notEqual(col("tn")))
                .cache();
        try {
            long total = joined.count();
            long differing = joined.filter(col("differs")).count();
            List<Row> rows = new ArrayList<>(joined.filter(col("differs")).limit(maxGroups).collectAsList());
            if (rows.size() < maxGroups) {
                rows.addAll(joined.filter(col("differs").equalTo(false)).limit(maxGroups - rows.size()).collectAsList());
            }
            List<TableReport.GroupCount> groups = new ArrayList<>();
            for (Row r : rows) {
                String g = r.getString(0);
                String label = g == null ? null : bucket ? Instant.EPOCH.plusNanos(Long.parseLong(g) * 1000L).toString()
                        : CanonicalForm.display(g);
                groups.add(new TableReport.GroupCount(label, r.getLong(1), r.getLong(2)));
            }
            groups.sort(Comparator.comparing((TableReport.GroupCount g) -> g.source() == g.target())
                    .thenComparing(g -> g.value() == null ? "" : g.value()));
            return new TableReport.Groups(column, window, total, differing, total > groups.size(), groups);
        } finally {
            joined.unpersist();
        }
    }
}
