package io.tally.engine.config;

/**
 * Where a job's runs accumulate (docs/history.md): a directory holding a Parquet dataset, {@code tally-history}
 * beside the job file by default (a relative path is resolved against the job file's directory).
 */
public record HistoryConfig(String path) {

    public static final String DEFAULT = "tally-history";

    public HistoryConfig {
        path = path == null || path.isBlank() ? DEFAULT : path;
    }

    public static HistoryConfig defaults() {
        return new HistoryConfig(null);
    }
}
