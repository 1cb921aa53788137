package io.tally.engine.verify;

import io.tally.engine.config.RuleConfig;
import io.tally.engine.report.RuleResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

/**
 * The business rules verify runs on each table's rows while they are cached (the {@code rules} module implements
 * it). Rules are checked against the planned columns before anything is read, and evaluated on the typed rows
 * ({@link TypedRows}) of both sides after the diff.
 */
public interface TableRules {

    TableRules NONE = new TableRules() {
        @Override
        public void validate(TablePlan plan, List<RuleConfig> rules, String at) {
            if (!rules.isEmpty()) {
                throw new io.tally.engine.TallyError(at + ": rules are configured but this build has no rules "
                        + "module; run the tally launcher (bin/tally), which includes it");
            }
        }

        @Override
        public List<RuleResult> evaluate(TablePlan plan, List<RuleConfig> rules, Dataset<Row> source,
                                         Dataset<Row> target, int sampleSize) {
            return List.of();
        }
    };

    /** Throws a TallyError naming the rule and the fix when a rule does not fit the table's columns. */
    void validate(TablePlan plan, List<RuleConfig> rules, String at);

    /** Evaluates the table's rules on both sides' typed rows ({@code __key} plus the compared columns). */
    List<RuleResult> evaluate(TablePlan plan, List<RuleConfig> rules, Dataset<Row> source, Dataset<Row> target,
                              int sampleSize);
}
