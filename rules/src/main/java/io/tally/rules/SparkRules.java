package io.tally.rules;

import io.tally.engine.config.RuleConfig;
import io.tally.engine.report.RuleResult;
import io.tally.engine.verify.TablePlan;
import io.tally.engine.verify.TableRules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The business rules verify runs (docs/rules.md): each rule compiled to Spark SQL expressions and checked against
 * the table's typed columns before any read, then evaluated on the rows verify has cached for the diff, so no
 * database is read again.
 */
public final class SparkRules implements TableRules {

    private final SparkSession spark;

    public SparkRules(SparkSession spark) {
        this.spark = spark;
    }

    @Override
    public void validate(TablePlan plan, List<RuleConfig> rules, String at) {
        RuleCompiler compiler = new RuleCompiler(spark);
        for (RuleConfig r : rules) {
            compiler.check(plan, r, at);
        }
    }

    @Override
    public List<RuleResult> evaluate(TablePlan plan, List<RuleConfig> rules, Dataset<Row> source, Dataset<Row> target,
                                     int sampleSize) {
        List<RuleResult> out = new ArrayList<>();
        for (RuleConfig r : rules) {
            Map<String, Dataset<Row>> sides = new LinkedHashMap<>();
            if (!r.side().equals("target")) {
                sides.put("source", source);
            }
            if (!r.side().equals("source")) {
                sides.put("target", target);
            }
            switch (r.kind()) {
                case "row" -> out.addAll(new RowRule().evaluate(r, sides, sampleSize));
                case "aggregate", "count", "balance" -> out.addAll(new GroupRule().evaluate(r, source, target, sides,
                        sampleSize));
                case "transition" -> out.add(new TransitionRule().evaluate(r, source, target, sampleSize));
                default -> throw new IllegalStateException(r.kind());
            }
        }
        return out;
    }
}
