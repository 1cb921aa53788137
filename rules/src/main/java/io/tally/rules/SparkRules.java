package io.tally.rules;

import io.tally.engine.config.RuleConfig;
import io.tally.engine.report.RuleResult;
import io.tally.engine.verify.TablePlan;
import io.tally.engine.verify.TableRules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

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
        // Only the columns the rules name, typed once per side and kept while the rules run: each rule then scans
        // typed columns, not tokens.
        StringBuilder texts = new StringBuilder();
        rules.forEach(r -> texts.append(' ').append(r.check()).append(' ').append(r.expr()).append(' ')
                .append(String.join(" ", r.by())).append(' ').append(r.column()));
        List<org.apache.spark.sql.Column> used = new ArrayList<>(List.of(org.apache.spark.sql.functions.col("__key")));
        RowRule.mentioned(texts.toString(), source.columns()).forEach(c -> used.add(
                org.apache.spark.sql.functions.col("`" + c.replace("`", "``") + "`")));
        // A quoted name (`a``b`) may not be found by its plain spelling: then every column is kept.
        org.apache.spark.sql.Column[] keep = texts.indexOf("`") >= 0 ? new org.apache.spark.sql.Column[]{
                org.apache.spark.sql.functions.col("*")} : used.toArray(org.apache.spark.sql.Column[]::new);
        Dataset<Row> s = rules.size() > 1 ? source.select(keep).persist(StorageLevel.MEMORY_AND_DISK()) : source;
        Dataset<Row> t = rules.size() > 1 ? target.select(keep).persist(StorageLevel.MEMORY_AND_DISK()) : target;
        try {
            Map<String, Map<String, RuleResult>> rows = new RowRule().evaluate(rules.stream()
                    .filter(r -> r.kind().equals("row")).toList(), s, t, sampleSize);
            List<RuleResult> out = new ArrayList<>();
            for (RuleConfig r : rules) {
                Map<String, Dataset<Row>> sides = new LinkedHashMap<>();
                if (!r.side().equals("target")) {
                    sides.put("source", s);
                }
                if (!r.side().equals("source")) {
                    sides.put("target", t);
                }
                switch (r.kind()) {
                    case "row" -> out.addAll(rows.get(r.name()).values());
                    case "aggregate", "count", "balance" -> out.addAll(new GroupRule().evaluate(r, s, t, sides,
                            sampleSize));
                    case "transition" -> out.add(new TransitionRule().evaluate(r, s, t, sampleSize));
                    default -> throw new IllegalStateException(r.kind());
                }
            }
            return out;
        } finally {
            if (s != source) {
                s.unpersist();
                t.unpersist();
            }
        }
    }
}
