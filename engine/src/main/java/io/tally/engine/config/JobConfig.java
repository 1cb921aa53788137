package io.tally.engine.config;

import java.util.List;

/**
 * A verification job as written in YAML: two endpoints, the tables to compare, which integrity checks run beyond
 * the row diff ({@code checks:}, all on by default), and business rules ({@code rules:} inline, and the rules of
 * each file under {@code rule_files}, paths relative to the job file; the loader merges them into {@code rules}),
 * where runs accumulate ({@code history:}; the loader makes its path absolute), how differences found while
 * writes go on are read again ({@code recheck:}, off by default), and which subset a canary run compares
 * ({@code canary:}, none by default; {@code verify --sample/--where/--key-range/--batch} add to it).
 */
public record JobConfig(String job, EndpointConfig source, EndpointConfig target, JobOptions options,
                        List<TableConfig> tables, IntegrityChecks checks, List<RuleConfig> rules,
                        List<String> ruleFiles, HistoryConfig history, RecheckConfig recheck, Canary canary) {

    public JobConfig {
        // an empty item (a bare '-') stays null, so the rule check can name it rather than fail here
        rules = rules == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(rules));
        ruleFiles = ruleFiles == null ? List.of() : List.copyOf(ruleFiles);
        history = history == null ? HistoryConfig.defaults() : history;
        recheck = recheck == null ? RecheckConfig.off() : recheck;
        checks = checks == null ? IntegrityChecks.all() : checks;
        options = options == null ? JobOptions.defaults() : options;
        tables = tables == null ? List.of() : List.copyOf(tables);
        job = job == null ? "tally" : job;
        canary = canary == null ? Canary.none() : canary;
    }

    /** The same job comparing the subset {@code canary} chooses. */
    public JobConfig withCanary(Canary canary) {
        return new JobConfig(job, source, target, options, tables, checks, rules, ruleFiles, history, recheck, canary);
    }

    /** The same job with its history directory resolved against {@code base} (the job file's directory). */
    public JobConfig withHistoryBase(java.nio.file.Path base) {
        return new JobConfig(job, source, target, options, tables, checks, rules, ruleFiles,
                new HistoryConfig(base.resolve(history.path()).normalize().toString(), history.database(),
                        history.table()), recheck, canary);
    }
}
