package io.tally.rules;

import io.tally.engine.config.RuleConfig;
import io.tally.engine.report.RuleResult;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

/**
 * Conditions every row of a side meets; as in a CHECK constraint, a row whose condition is NULL passes (write
 * {@code amount IS NOT NULL} to require a value). All of a side's row rules are counted in one aggregation over
 * the cached rows; samples are fetched only for a rule with violations.
 */
final class RowRule {

    /** One result per rule and side it names, keyed by rule name then side. */
    Map<String, Map<String, RuleResult>> evaluate(List<RuleConfig> rules, Dataset<Row> source, Dataset<Row> target,
                                                  int sampleSize) {
        Map<String, Map<String, RuleResult>> out = new java.util.HashMap<>();
        for (String side : List.of("source", "target")) {
            List<RuleConfig> here = rules.stream().filter(r -> r.side().equals("both") || r.side().equals(side)).toList();
            if (here.isEmpty()) {
                continue;
            }
            Dataset<Row> rows = side.equals("source") ? source : target;
            List<Column> aggs = new ArrayList<>(List.of(count(lit(1))));
            here.forEach(r -> aggs.add(violations(expr(r.check()))));
            Row totals = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
            for (int i = 0; i < here.size(); i++) {
                RuleConfig r = here.get(i);
                long broken = totals.getLong(i + 1);
                out.computeIfAbsent(r.name(), k -> new java.util.LinkedHashMap<>()).put(side, new RuleResult(r.name(),
                        r.kind(), r.severity(), side, r.check(), totals.getLong(0), broken,
                        broken > 0 && sampleSize > 0 ? samples(rows, r, sampleSize) : List.of()));
            }
        }
        return out;
    }

    private static List<Map<String, String>> samples(Dataset<Row> rows, RuleConfig r, int sampleSize) {
        List<String> shown = mentioned(r.check(), rows.columns());
        List<Column> cols = new ArrayList<>(List.of(col("__key")));
        shown.forEach(c -> cols.add(col("`" + c.replace("`", "``") + "`")));
        List<Map<String, String>> out = new ArrayList<>();
        for (Row x : rows.filter(not(coalesce(expr(r.check()), lit(true)))).select(cols.toArray(Column[]::new))
                .orderBy("__key").limit(sampleSize).collectAsList()) {
            out.add(Samples.row(x, shown));
        }
        return out;
    }

    /** Rows whose condition is false (a NULL condition passes, as in a CHECK constraint). */
    static Column violations(Column check) {
        return count(when(not(coalesce(check, lit(true))), 1));
    }

    /** The columns whose names appear in the condition, shown beside the key of a violating row. */
    static List<String> mentioned(String text, String[] columns) {
        return Arrays.stream(columns).filter(c -> !c.equals("__key"))
                .filter(c -> java.util.regex.Pattern.compile("(?<![A-Za-z0-9_])" + java.util.regex.Pattern.quote(c)
                        + "(?![A-Za-z0-9_])", java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE)
                        .matcher(text).find()).toList();
    }
}
