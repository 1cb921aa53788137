package io.tally.rules;

import io.tally.engine.config.RuleConfig;
import io.tally.engine.report.RuleResult;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

/**
 * A status may move on while a migration runs, but only forward: a target row's value must equal the source
 * row's or be reachable from it through the {@code allowed} graph (transitively: {@code new -> paid -> shipped}
 * allows {@code new} to {@code shipped}). Rows are matched by key; a row with the value NULL on either side, or on
 * one side only, is left to the row diff.
 */
final class TransitionRule {

    private static final String SEP = "\u0001";

    RuleResult evaluate(RuleConfig r, Dataset<Row> source, Dataset<Row> target, int sampleSize) {
        String c = "`" + r.column().replace("`", "``") + "`";
        Dataset<Row> s = source.select(col("__key").as("k"), GroupRule.text(source, col(c)).as("s"));
        Dataset<Row> t = target.select(col("__key").as("tk"), GroupRule.text(target, col(c)).as("t"));
        Dataset<Row> j = s.join(t, s.col("k").equalTo(t.col("tk")), "inner")
                .filter(col("s").isNotNull().and(col("t").isNotNull()));
        Set<String> pairs = reachable(r.allowed());
        Column allowed = pairs.isEmpty() ? lit(false) : concat(col("s"), lit(SEP), col("t")).isin(pairs.toArray());
        Column broken = not(col("s").equalTo(col("t")).or(allowed));
        Row totals = j.agg(count(lit(1)), count(when(broken, 1))).first();
        List<Map<String, String>> samples = new ArrayList<>();
        if (totals.getLong(1) > 0 && sampleSize > 0) {
            for (Row x : j.filter(broken).orderBy("k").limit(sampleSize).collectAsList()) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("key", Samples.key(x.getString(0)));
                m.put("source", x.getString(1));
                m.put("target", x.getString(3));
                samples.add(m);
            }
        }
        return new RuleResult(r.name(), r.kind(), r.severity(), "both", r.column() + " moves only along "
                + r.allowed(), totals.getLong(0), totals.getLong(1), samples);
    }

    /** Every (from, to) with a path of one or more allowed steps, as {@code from SEP to}. */
    static Set<String> reachable(Map<String, List<String>> allowed) {
        Set<String> out = new TreeSet<>();
        for (String from : allowed.keySet()) {
            ArrayDeque<String> todo = new ArrayDeque<>(allowed.get(from) == null ? List.of() : allowed.get(from));
            Set<String> seen = new TreeSet<>();
            while (!todo.isEmpty()) {
                String next = todo.pop();
                if (next != null && seen.add(next)) {
                    out.add(from + SEP + next);
                    todo.addAll(allowed.getOrDefault(next, List.of()) == null ? List.of() : allowed.getOrDefault(next, List.of()));
                }
            }
        }
        return out;
    }
}
