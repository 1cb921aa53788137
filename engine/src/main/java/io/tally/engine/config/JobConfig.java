package io.tally.engine.config;

import java.util.List;

/**
 * A verification job as written in YAML: two endpoints, the tables to compare, and which integrity checks run
 * beyond the row diff ({@code checks:}, all on by default).
 */
public record JobConfig(String job, EndpointConfig source, EndpointConfig target, JobOptions options,
                        List<TableConfig> tables, IntegrityChecks checks) {

    public JobConfig {
        checks = checks == null ? IntegrityChecks.all() : checks;
        options = options == null ? JobOptions.defaults() : options;
        tables = tables == null ? List.of() : List.copyOf(tables);
        job = job == null ? "tally" : job;
    }
}
