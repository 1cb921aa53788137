package io.tally.engine.verify;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.report.TableReport;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Key-based diff of two sides' canonical rows. Each side is grouped by key (count, lowest and highest row
 * hash, the values of the lowest-hash row); a full outer join classifies each key as missing, extra, changed
 * or equal. A key is equal only when every row under it, on both sides, has the same hash. Only the keys that
 * are not equal (or are duplicated) are kept, persisted once, and counted and sampled from there.
 */
public final class KeyDiff {

    /** Buckets of the key map. */
    static final int KEY_BUCKETS = 50;

    /** Both sides' lowest and highest first-key values, for the key map; null: no map. */
    private final java.math.BigDecimal[] bounds;

    public KeyDiff() {
        this(null);
    }

    /** @param bounds {@code [low, high]} of the first key column over both sides, or null for no key map */
    public KeyDiff(java.math.BigDecimal[] bounds) {
        this.bounds = bounds;
    }

    public DiffResult diff(Dataset<Row> source, Dataset<Row> target, TablePlan plan, int sampleSize) {
        return diff(source, target, plan, sampleSize, null);
    }

    /**
     * As {@link #diff(Dataset, Dataset, TablePlan, int)}, handing the persisted non-equal keys (with both sides'
     * hashes, the source's unfolded values {@code s_wvals}, the target's unfolded row hash {@code t_ghash} and, for a
     * document source read with its documents, the source document {@code s_doc}) to
     * {@code planner} before they are released.
     */
    public DiffResult diff(Dataset<Row> source, Dataset<Row> target, TablePlan plan, int sampleSize,
                           Consumer<Dataset<Row>> planner) {
        return diff(source, target, plan, sampleSize, planner, null);
    }

    /** As above, also handing the persisted non-equal keys to {@code inspector} (if not null) before the planner. */
    public DiffResult diff(Dataset<Row> source, Dataset<Row> target, TablePlan plan, int sampleSize,
                           Consumer<Dataset<Row>> planner, Consumer<Dataset<Row>> inspector) {
        Dataset<Row> s = byKey(source, "s", planner != null);
        Dataset<Row> t = byKey(target, "t", planner != null);
        Column kind = when(col("s_n").isNull(), lit("extra"))
                .when(col("t_n").isNull(), lit("missing"))
                .when(col("s_hmin").equalTo(col("s_hmax")).and(col("t_hmin").equalTo(col("t_hmax")))
                        .and(col("s_hmin").equalTo(col("t_hmin"))), lit("equal"))
                .otherwise(lit("changed"));
        Dataset<Row> diffs = s.join(t, col("s_key").equalTo(col("t_key")), "full_outer")
                .select(coalesce(col("s_key"), col("t_key")).as("key"), col("s_n"), col("t_n"),
                        col("s_vals"), col("t_vals"), kind.as("kind"), col("s_hmin"), col("t_hmin"),
                        planner != null ? col("s_wvals") : lit(null).as("s_wvals"),
                        planner != null ? col("t_ghash") : lit(null).as("t_ghash"),
                        planner != null ? col("s_doc") : lit(null).cast("string").as("s_doc"))
                .filter(col("kind").notEqual("equal").or(col("s_n").gt(1)).or(col("t_n").gt(1)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            int n = plan.columns().size();
            List<Column> aggs = new ArrayList<>();
            aggs.add(count(when(col("kind").equalTo("missing"), 1)));
            aggs.add(count(when(col("kind").equalTo("extra"), 1)));
            aggs.add(count(when(col("kind").equalTo("changed"), 1)));
            aggs.add(count(when(col("s_n").gt(1), 1)));
            aggs.add(count(when(col("t_n").gt(1), 1)));
            aggs.add(coalesce(sum(when(col("s_n").gt(1), col("s_n").minus(1))), lit(0L)));
            aggs.add(coalesce(sum(when(col("t_n").gt(1), col("t_n").minus(1))), lit(0L)));
            for (int i = 0; i < n; i++) {
                aggs.add(count(when(col("kind").equalTo("changed")
                        .and(not(element_at(col("s_vals"), i + 1).eqNullSafe(element_at(col("t_vals"), i + 1)))), 1)));
            }
            Row r = diffs.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
            long[] perColumn = new long[n];
            for (int i = 0; i < n; i++) {
                perColumn[i] = r.getLong(7 + i);
            }
            var dups = new TableReport.Duplicates(r.getLong(3), r.getLong(4), ((Number) r.get(5)).longValue(),
                    ((Number) r.get(6)).longValue());
            // the four samples are small independent jobs: run at once, they cost one job's latency
            var missing = sampleAsync(diffs, col("kind").equalTo("missing"), sampleSize);
            var extra = sampleAsync(diffs, col("kind").equalTo("extra"), sampleSize);
            var changed = sampleAsync(diffs, col("kind").equalTo("changed"), sampleSize);
            var duplicated = sampleAsync(diffs, col("s_n").gt(1).or(col("t_n").gt(1)), sampleSize);
            var samples = new TableReport.Samples(keys(joined(missing), plan, "s_vals"),
                    keys(joined(extra), plan, "t_vals"), changed(joined(changed), plan),
                    duplicates(joined(duplicated), plan));
            if (inspector != null) {
                inspector.accept(diffs);
            }
            if (planner != null) {
                planner.accept(diffs);
            }
            return new DiffResult(r.getLong(0), r.getLong(1), r.getLong(2), dups, perColumn, samples,
                    bounds == null || r.getLong(0) + r.getLong(1) + r.getLong(2) == 0 ? null : safeKeyMap(diffs, plan));
        } finally {
            diffs.unpersist();
        }
    }

    /** Both sides' lowest and highest first-key values when they are numbers (the key map's range), else null. */
    static java.math.BigDecimal[] bounds(io.tally.engine.report.SideProfile s, io.tally.engine.report.SideProfile t) {
        try {
            java.math.BigDecimal low = null;
            java.math.BigDecimal high = null;
            for (io.tally.engine.report.SideProfile side : List.of(s, t)) {
                for (io.tally.engine.report.SideProfile.KeyRange r : side.keyRange().values().stream().limit(1).toList()) {
                    if (r.min() != null) {
                        java.math.BigDecimal a = new java.math.BigDecimal(r.min());
                        java.math.BigDecimal b = new java.math.BigDecimal(r.max());
                        low = low == null || a.compareTo(low) < 0 ? a : low;
                        high = high == null || b.compareTo(high) > 0 ? b : high;
                    }
                }
            }
            return low == null ? null : new java.math.BigDecimal[]{low, high};
        } catch (NumberFormatException notNumeric) {
            return null;
        }
    }

    /** The key map, or null when it cannot be drawn (keys beyond decimal(38,6), NaN): it only illustrates the diff. */
    private io.tally.engine.report.KeyMap safeKeyMap(Dataset<Row> diffs, TablePlan plan) {
        try {
            return keyMap(diffs, plan);
        } catch (RuntimeException cannotDraw) {
            return null;
        }
    }

    /** The differing keys counted per equal part of the key range (exact numeric first keys only). */
    private io.tally.engine.report.KeyMap keyMap(Dataset<Row> diffs, TablePlan plan) {
        if (!"exact".equals(plan.keys().get(0).comparedAs())) {
            return null; // only exact numbers have a position in the range
        }
        Column token = element_at(coalesce(col("s_vals"), col("t_vals")), 1);
        Column position = expr("cast(substring_index(element_at(coalesce(s_vals, t_vals), 1), ':', -1) as decimal(38,6))");
        Dataset<Row> placed = diffs.filter(col("kind").notEqual("equal").and(token.startsWith("I"))
                .and(position.isNotNull()));
        Row span0 = placed.agg(min(position), max(position)).first();
        if (span0.isNullAt(0)) {
            return null; // nothing to place (NULL keys only)
        }
        // the range covers the differing keys too: a side's bounds are its raw key's order, which for a key held as
        // text on one side is not the numbers' order
        java.math.BigDecimal low = bounds[0].min(span0.getDecimal(0));
        java.math.BigDecimal high = bounds[1].max(span0.getDecimal(1));
        java.math.BigDecimal span = high.subtract(low);
        if (low.precision() - low.scale() > 32 || high.precision() - high.scale() > 32) {
            return null; // beyond what decimal(38,6) holds
        }
        Column bucket = span.signum() <= 0 ? lit(0) : org.apache.spark.sql.functions.least(lit(KEY_BUCKETS - 1),
                org.apache.spark.sql.functions.floor(position.minus(lit(low)).cast("double")
                        .divide(lit(span.doubleValue())).multiply(KEY_BUCKETS)).cast("int"));
        List<Row> rows = placed.groupBy(bucket.as("b")).agg(count(when(col("kind").equalTo("missing"), 1)),
                        count(when(col("kind").equalTo("extra"), 1)), count(when(col("kind").equalTo("changed"), 1)))
                .orderBy("b").collectAsList();
        List<io.tally.engine.report.KeyMap.Bucket> out = new ArrayList<>();
        java.math.BigDecimal step = span.divide(java.math.BigDecimal.valueOf(KEY_BUCKETS), java.math.MathContext.DECIMAL64);
        for (Row r : rows) {
            int b = r.getInt(0);
            out.add(new io.tally.engine.report.KeyMap.Bucket(b, bound(low.add(step.multiply(java.math.BigDecimal.valueOf(b)))),
                    bound(low.add(step.multiply(java.math.BigDecimal.valueOf(b + 1)))), r.getLong(1), r.getLong(2),
                    r.getLong(3)));
        }
        return new io.tally.engine.report.KeyMap(plan.keys().get(0).name(), bound(low), bound(high), KEY_BUCKETS, out);
    }

    private static String bound(java.math.BigDecimal v) {
        return v.stripTrailingZeros().scale() <= 0 ? v.setScale(0, java.math.RoundingMode.HALF_UP).toPlainString()
                : v.round(new java.math.MathContext(12)).stripTrailingZeros().toPlainString();
    }

    private static Dataset<Row> byKey(Dataset<Row> side, String p, boolean unfolded) {
        List<Column> aggs = new ArrayList<>(List.of(min("__hash").as(p + "_hmin"), max("__hash").as(p + "_hmax"),
                expr("min_by(__vals, __hash)").as(p + "_vals")));
        if (unfolded) {
            aggs.add(expr("min_by(coalesce(__wvals, __vals), __hash)").as(p + "_wvals"));
            aggs.add(expr("min_by(coalesce(__whash, __hash), __hash)").as(p + "_ghash"));
            aggs.add(expr("min_by(__doc, __hash)").as(p + "_doc"));
        }
        return side.groupBy(col("__key").as(p + "_key")).agg(count(lit(1)).as(p + "_n"), aggs.toArray(Column[]::new));
    }

    private static CompletableFuture<List<Row>> sampleAsync(Dataset<Row> diffs, Column filter, int n) {
        return n == 0 ? CompletableFuture.completedFuture(List.of())
                : CompletableFuture.supplyAsync(() -> diffs.filter(filter).orderBy("key").limit(n).collectAsList());
    }

    private static List<Row> joined(CompletableFuture<List<Row>> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static Map<String, String> keyOf(Row row, TablePlan plan, String valsColumn) {
        List<String> vals = row.getList(row.fieldIndex(valsColumn));
        Map<String, String> key = new LinkedHashMap<>();
        for (int k = 0; k < plan.keyCount(); k++) {
            key.put(plan.columns().get(k).name(), CanonicalForm.display(vals.get(k)));
        }
        if (row.getString(row.fieldIndex("key")).startsWith(CanonicalRows.NULL_KEY_PREFIX)) {
            key.put("(row)", "key has a NULL; matched by content, row hash "
                    + row.getString(row.fieldIndex("key")).substring(CanonicalRows.NULL_KEY_PREFIX.length()));
        }
        return key;
    }

    private static List<Map<String, String>> keys(List<Row> rows, TablePlan plan, String vals) {
        return rows.stream().map(r -> keyOf(r, plan, vals)).toList();
    }

    private static List<TableReport.ChangedRow> changed(List<Row> rows, TablePlan plan) {
        List<TableReport.ChangedRow> out = new ArrayList<>();
        for (Row r : rows) {
            List<String> sv = r.getList(r.fieldIndex("s_vals"));
            List<String> tv = r.getList(r.fieldIndex("t_vals"));
            Map<String, TableReport.ValuePair> cols = new LinkedHashMap<>();
            for (int i = 0; i < plan.columns().size(); i++) {
                if (!sv.get(i).equals(tv.get(i))) {
                    ColumnPair p = plan.columns().get(i);
                    cols.put(p.name(), new TableReport.ValuePair(CanonicalForm.display(sv.get(i)),
                            CanonicalForm.display(tv.get(i))));
                }
            }
            out.add(new TableReport.ChangedRow(keyOf(r, plan, "s_vals"), cols));
        }
        return out;
    }

    private static List<TableReport.DuplicateKey> duplicates(List<Row> rows, TablePlan plan) {
        return rows.stream().map(r -> new TableReport.DuplicateKey(
                keyOf(r, plan, r.isNullAt(r.fieldIndex("s_vals")) ? "t_vals" : "s_vals"),
                r.isNullAt(r.fieldIndex("s_n")) ? 0 : r.getLong(r.fieldIndex("s_n")),
                r.isNullAt(r.fieldIndex("t_n")) ? 0 : r.getLong(r.fieldIndex("t_n")))).toList();
    }
}
