package io.tally.rules;

import io.tally.engine.config.RuleConfig;
import io.tally.engine.report.RuleResult;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * Rules over groups of rows ({@code by} expressions, or one group for the whole table): an {@code aggregate} or a
 * {@code count} compared between the sides within {@code tolerance} (a group on one side only is a violation), or
 * a {@code balance} that must equal {@code equals} within {@code tolerance} on each side it names.
 */
final class GroupRule {

    List<RuleResult> evaluate(RuleConfig r, Dataset<Row> source, Dataset<Row> target, Map<String, Dataset<Row>> sides,
                              int sampleSize) {
        String value = r.kind().equals("count") ? "count(1)" : r.expr();
        String shown = r.kind().equals("count") ? "count(*)" : r.expr();
        shown += r.by().isEmpty() ? "" : " by " + String.join(", ", r.by());
        List<RuleResult> out = new ArrayList<>();
        if (r.kind().equals("balance")) {
            for (var side : sides.entrySet()) {
                Dataset<Row> g = grouped(side.getValue(), r, value, "v");
                Column broken = col("v").isNull().or(abs(col("v").minus(lit(r.equals()))).gt(lit(r.tolerance())));
                out.add(result(r, side.getKey(), shown + " = " + r.equals().toPlainString(), g, broken,
                        List.of("v"), sampleSize));
            }
            return out;
        }
        Dataset<Row> s = grouped(source, r, value, "s");
        Dataset<Row> t = grouped(target, r, value, "t");
        Column on = lit(true);
        for (int i = 0; i < groups(r); i++) {
            on = on.and(s.col("g" + i).eqNullSafe(t.col("g" + i)));
        }
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < groups(r); i++) {
            cols.add(org.apache.spark.sql.functions.coalesce(s.col("g" + i), t.col("g" + i)).as("g" + i));
        }
        cols.add(col("s"));
        cols.add(col("t"));
        cols.add(col("s_rows"));
        cols.add(col("t_rows"));
        Dataset<Row> j = s.join(t, on, "full_outer").select(cols.toArray(Column[]::new));
        // a group on one side only breaks the rule; a value NULL on both sides (sum of NULLs) agrees
        Column broken = col("s_rows").isNull().or(col("t_rows").isNull())
                .or(col("s").isNull().notEqual(col("t").isNull()))
                .or(abs(col("s").minus(col("t"))).gt(lit(r.tolerance())));
        out.add(result(r, "both", shown + (r.tolerance().signum() == 0 ? "" : " within "
                + r.tolerance().toPlainString()), j, broken, List.of("s", "t"), sampleSize));
        return out;
    }

    private static int groups(RuleConfig r) {
        return Math.max(1, r.by().size());
    }

    /** The side's rows grouped by the rule's {@code by} (named g0, g1, ...) with the value as {@code name}. */
    private static Dataset<Row> grouped(Dataset<Row> rows, RuleConfig r, String value, String name) {
        List<Column> by = new ArrayList<>();
        if (r.by().isEmpty()) {
            by.add(lit("(all rows)").as("g0"));
        }
        for (int i = 0; i < r.by().size(); i++) {
            by.add(text(rows, expr(r.by().get(i))).as("g" + i));
        }
        return rows.groupBy(by.toArray(Column[]::new)).agg(expr(value).as(name), count(lit(1)).as(name + "_rows"));
    }

    /**
     * A value as text that reads the same on both sides: a decimal without its trailing zeros ({@code 2}, not
     * {@code 2.0000000000}), anything else as Spark casts it.
     */
    static Column text(Dataset<Row> rows, Column value) {
        Column s = value.cast("string");
        if (rows.select(value).schema().fields()[0].dataType() instanceof org.apache.spark.sql.types.DecimalType) {
            return org.apache.spark.sql.functions.regexp_replace(org.apache.spark.sql.functions.regexp_replace(s,
                    "(\\.[0-9]*?)0+$", "$1"), "\\.$", "");
        }
        return s;
    }

    private static RuleResult result(RuleConfig r, String side, String rule, Dataset<Row> groups, Column broken,
                                     List<String> values, int sampleSize) {
        Row totals = groups.agg(count(lit(1)), count(when(broken, 1))).first();
        List<Map<String, String>> samples = new ArrayList<>();
        if (totals.getLong(1) > 0 && sampleSize > 0) {
            List<Column> order = new ArrayList<>();
            for (int i = 0; i < groups(r); i++) {
                order.add(col("g" + i).asc_nulls_first());
            }
            for (Row x : groups.filter(broken).orderBy(order.toArray(Column[]::new)).limit(sampleSize).collectAsList()) {
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < groups(r); i++) {
                    m.put(r.by().isEmpty() ? "group" : r.by().get(i), x.getString(x.fieldIndex("g" + i)));
                }
                for (String v : values) {
                    m.put(v.equals("s") ? "source" : v.equals("t") ? "target" : "value", Samples.text(x.get(x.fieldIndex(v))));
                }
                samples.add(m);
            }
        }
        return new RuleResult(r.name(), r.kind(), r.severity(), side, rule, totals.getLong(0), totals.getLong(1),
                samples);
    }
}
