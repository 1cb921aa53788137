package io.tally.engine.verify;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.report.SideProfile;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/** Profiles one side's canonical rows in a single aggregation: rows, NULL keys, key ranges, NULLs per column. */
public final class SideProfiler {

    public SideProfile profile(Dataset<Row> canonical, TablePlan plan, boolean source, String table,
                               int partitions, String partitioning, List<String> readExpressions) {
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)));
        aggs.add(sum(when(col("__knull"), 1L).otherwise(0L)));
        for (int k = 0; k < plan.keyCount(); k++) {
            aggs.add(min(col("__k" + k)).cast("string"));
            aggs.add(max(col("__k" + k)).cast("string"));
        }
        for (int i = 0; i < plan.columns().size(); i++) {
            aggs.add(sum(when(element_at(col("__vals"), i + 1).equalTo(CanonicalForm.NULL), 1L).otherwise(0L)));
        }
        Row r = canonical.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
        long rows = r.getLong(0);
        long nullKeys = r.isNullAt(1) ? 0 : r.getLong(1);
        Map<String, SideProfile.KeyRange> ranges = new LinkedHashMap<>();
        int at = 2;
        for (int k = 0; k < plan.keyCount(); k++) {
            ColumnPair p = plan.columns().get(k);
            ranges.put((source ? p.source() : p.target()).name(),
                    new SideProfile.KeyRange(r.getString(at), r.getString(at + 1)));
            at += 2;
        }
        Map<String, Long> nulls = new LinkedHashMap<>();
        for (ColumnPair p : plan.columns()) {
            nulls.put((source ? p.source() : p.target()).name(), r.isNullAt(at) ? 0L : r.getLong(at));
            at++;
        }
        return new SideProfile(table, rows, nullKeys, ranges, nulls, partitions, partitioning, readExpressions);
    }
}
