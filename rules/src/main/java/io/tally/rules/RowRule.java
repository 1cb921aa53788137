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
 * A condition every row of a side meets; as in a CHECK constraint, a row whose condition is NULL passes (write
 * {@code amount IS NOT NULL} to require a value). One aggregate over the cached rows counts rows and violations.
 */
final class RowRule {

    List<RuleResult> evaluate(RuleConfig r, Map<String, Dataset<Row>> sides, int sampleSize) {
        List<RuleResult> out = new ArrayList<>();
        for (var side : sides.entrySet()) {
            Dataset<Row> rows = side.getValue();
            Column broken = not(coalesce(expr(r.check()), lit(true)));
            Row totals = rows.agg(count(lit(1)), violations(expr(r.check()))).first();
            List<Map<String, String>> samples = new ArrayList<>();
            if (totals.getLong(1) > 0 && sampleSize > 0) {
                List<String> shown = mentioned(r.check(), rows.columns());
                List<Column> cols = new ArrayList<>(List.of(col("__key")));
                shown.forEach(c -> cols.add(col("`" + c.replace("`", "``") + "`")));
                for (Row x : rows.filter(broken).select(cols.toArray(Column[]::new)).orderBy("__key").limit(sampleSize)
                        .collectAsList()) {
                    samples.add(Samples.row(x, shown));
                }
            }
            out.add(new RuleResult(r.name(), r.kind(), r.severity(), side.getKey(), r.check(), totals.getLong(0),
                    totals.getLong(1), samples));
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
                        + "(?![A-Za-z0-9_])", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(text).find()).toList();
    }
}
