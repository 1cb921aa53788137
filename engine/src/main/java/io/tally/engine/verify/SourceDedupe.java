package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.config.Dedupe;
import io.tally.engine.report.TableReport;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.when;

/**
 * Applies a table's {@code dedupe} rule to the source's canonical rows before the diff: of the rows sharing the
 * rule's key (no NULL in it), the one chosen by {@code by} stays and the others are set aside. The diff then sees
 * the target's copies of set-aside rows as extra, so the plan deletes them; the same rule gives the same rows on
 * every run, because it ranks canonical values with the compared key as the last tie-breaker.
 */
final class SourceDedupe {

    /** The rows compared, the keys set aside (column {@code __key}), and the report entry. */
    record Result(Dataset<Row> kept, Dataset<Row> setAside, TableReport.Dedupe report, Dataset<Row> ranked) {
        void release() {
            ranked.unpersist();
        }
    }

    /** Indexes into the compared columns of the rule's key and of its {@code by} column. */
    record Columns(int[] key, int by, ColumnRule.Kind kind) {
    }

    private static final List<ColumnRule.Kind> ORDERED = List.of(ColumnRule.Kind.EXACT, ColumnRule.Kind.INSTANT,
            ColumnRule.Kind.DATE);

    private SourceDedupe() {
    }

    /** Checks the rule against the plan before anything is read; the columns must be compared. */
    static Columns validate(TablePlan plan, Dedupe rule, String at) {
        int[] key = new int[rule.key().size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = index(plan, rule.key().get(i), at + ".dedupe.key");
        }
        if (java.util.Arrays.stream(key).boxed().toList().containsAll(java.util.stream.IntStream
                .range(0, plan.keyCount()).boxed().toList())) {
            throw new TallyError(at + ".dedupe.key contains the compared key; rows sharing it are duplicate keys, "
                    + "which a plan does not choose between: name a natural key without the key's columns");
        }
        int by = index(plan, rule.by(), at + ".dedupe.by");
        ColumnRule.Kind kind = plan.columns().get(by).sourceRule().kind();
        if (!ORDERED.contains(kind)) {
            throw new TallyError(at + ".dedupe.by: column " + rule.by() + " is compared as " + kind.name()
                    .toLowerCase(java.util.Locale.ROOT) + "; name an integer, decimal, date or timestamp column "
                    + "(e.g. updated_at or id)");
        }
        return new Columns(key, by, kind);
    }

    private static int index(TablePlan plan, String sourceName, String at) {
        var declared = plan.source().column(sourceName);
        if (declared.isEmpty()) {
            throw new TallyError(at + ": column " + sourceName + " not in source table " + plan.source().table()
                    + "; name source columns");
        }
        for (int i = 0; i < plan.columns().size(); i++) {
            ColumnPair p = plan.columns().get(i);
            if (p.source().name().equals(declared.get().name())) {
                return i;
            }
        }
        throw new TallyError(at + ": column " + sourceName + " is not compared (excluded or unmapped); a dedupe "
                + "rule ranks compared columns, so include it");
    }

    static Result apply(Dataset<Row> source, TablePlan plan, Dedupe rule, int sampleSize) {
        Columns c = validate(plan, rule, plan.name());
        List<Column> key = new ArrayList<>();
        Column complete = lit(true);
        for (int i : c.key()) {
            Column token = element_at(col("__vals"), i + 1);
            key.add(token);
            // a NULL, or a document's missing field, is no value: such rows are never duplicates
            complete = complete.and(token.notEqual(lit(CanonicalForm.NULL)))
                    .and(token.notEqual(lit(io.tally.engine.canonical.FieldCanonicalizer.MISSING)));
        }
        Column token = element_at(col("__vals"), c.by() + 1);
        List<Column> order = new ArrayList<>();
        for (Column v : orderValues(token, c.kind())) {
            order.add(rule.keepsGreatest() ? v.desc_nulls_last() : v.asc_nulls_last());
        }
        for (int k = 0; k < plan.keyCount(); k++) {
            order.add(col("__k" + k).desc_nulls_last()); // ties: the greatest key, by its value as read
        }
        order.add(col("__key").desc());
        WindowSpec w = Window.partitionBy(key.toArray(Column[]::new)).orderBy(order.toArray(Column[]::new));
        Dataset<Row> ranked = source
                .withColumn("__rank", when(complete, row_number().over(w)).otherwise(lit(1)))
                .withColumn("__kept", first(slice(col("__vals"), 1, plan.keyCount())).over(w))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> aside = ranked.filter(col("__rank").gt(1));
        Row totals = aside.agg(count(lit(1)), countDistinct(key.get(0), key.subList(1, key.size())
                .toArray(Column[]::new))).first();
        List<Map<String, String>> samples = new ArrayList<>();
        if (totals.getLong(0) > 0 && sampleSize > 0) {
            List<Column> byValue = new ArrayList<>(key);
            byValue.add(col("__key"));
            for (Row r : aside.orderBy(byValue.toArray(Column[]::new)).select(col("__vals"), col("__kept"))
                    .limit(sampleSize).collectAsList()) {
                samples.add(sample(r, plan, rule, c));
            }
        }
        Dataset<Row> kept = ranked.filter(col("__rank").equalTo(1)).drop("__rank", "__kept");
        return new Result(kept, aside.select(col("__key")), new TableReport.Dedupe(rule.key(), rule.keep(), rule.by(),
                totals.getLong(1), totals.getLong(0), samples), ranked);
    }

    /**
     * A canonical token as sort keys: exact numbers by value (as a double, then as a DECIMAL(38,18) where it fits,
     * so a huge value still ranks and values a double cannot tell apart are told apart to 18 places), instants and dates by their epoch count, PostgreSQL's
     * infinities past every date. NULL, a missing field and a value not of the column's kind sort last either way.
     */
    private static List<Column> orderValues(Column token, ColumnRule.Kind kind) {
        Column ofKind = token.startsWith(String.valueOf(kind.tag));
        Column payload = regexp_extract(token, "^[A-Z][0-9]+:(.*)$", 1);
        if (kind == ColumnRule.Kind.EXACT) {
            return List.of(when(ofKind, payload.cast("double")), when(ofKind, payload.cast("decimal(38,18)")));
        }
        return List.of(when(ofKind.and(payload.equalTo(lit("infinity"))), lit(Long.MAX_VALUE))
                .when(ofKind.and(payload.equalTo(lit("-infinity"))), lit(Long.MIN_VALUE))
                .when(ofKind, payload.cast("long")));
    }

    private static Map<String, String> sample(Row r, TablePlan plan, Dedupe rule, Columns c) {
        List<String> vals = r.getList(0);
        List<String> kept = r.getList(1);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < c.key().length; i++) {
            out.put(rule.key().get(i), CanonicalForm.display(vals.get(c.key()[i])));
        }
        out.put("kept", keyText(kept, plan));
        out.put("set aside", keyText(vals.subList(0, plan.keyCount()), plan));
        out.put(rule.by() + " (set aside)", CanonicalForm.display(vals.get(c.by())));
        return out;
    }

    private static String keyText(List<String> tokens, TablePlan plan) {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < plan.keyCount(); k++) {
            parts.add(plan.keyCount() == 1 ? CanonicalForm.display(tokens.get(k))
                    : plan.columns().get(k).name() + "=" + CanonicalForm.display(tokens.get(k)));
        }
        return String.join(", ", parts);
    }
}
