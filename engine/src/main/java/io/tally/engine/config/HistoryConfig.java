package io.tally.engine.config;

import io.tally.engine.TallyError;

/**
 * Where a job's runs accumulate (docs/history.md): by default a directory holding a Parquet dataset,
 * {@code tally-history} beside the job file (a relative path is resolved against the job file's directory); or,
 * with {@code database}, a table in a PostgreSQL database ({@code table}, default {@code tally_history}, created
 * when absent).
 */
public record HistoryConfig(String path, EndpointConfig database, String table) {

    public static final String DEFAULT = "tally-history";
    public static final String DEFAULT_TABLE = "tally_history";

    public HistoryConfig {
        path = path == null || path.isBlank() ? DEFAULT : path;
        table = table == null || table.isBlank() ? DEFAULT_TABLE : table;
    }

    public static HistoryConfig defaults() {
        return new HistoryConfig(null, null, null);
    }

    /** A Parquet directory, as given to {@code --history}. */
    public static HistoryConfig directory(String path) {
        return new HistoryConfig(path, null, null);
    }

    void validate(String origin) {
        if (database == null) {
            return;
        }
        if (database.url() == null || !database.url().startsWith("jdbc:postgresql:")) {
            throw new TallyError(origin + ": history.database.url must be a PostgreSQL JDBC URL "
                    + "(jdbc:postgresql://host:5432/db); remove history.database to keep the history in history.path");
        }
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw new TallyError(origin + ": history.table '" + table + "' is not a plain name; use letters, digits "
                    + "and _ (schema.table allowed)");
        }
    }
}
