package io.tally.engine.config;

import java.util.List;

/** A verification job as written in YAML: two endpoints and the tables to compare. */
public record JobConfig(String job, EndpointConfig source, EndpointConfig target, JobOptions options,
                        List<TableConfig> tables) {

    public JobConfig {
        options = options == null ? JobOptions.defaults() : options;
        tables = tables == null ? List.of() : List.copyOf(tables);
        job = job == null ? "tally" : job;
    }
}
