package io.tally.engine.config;

import java.util.List;
import java.util.Map;

/**
 * One table (or pair of tables) to verify.
 *
 * @param name         the name used in reports; defaults to the source table's name
 * @param key          key columns by source name; defaults to the source primary key
 * @param rename       source column name to target column name, for columns renamed by the migration
 * @param batchColumn  a column whose per-value row counts are compared (e.g. {@code batch_id})
 * @param timeColumn   a temporal column whose per-window row counts are compared
 * @param timeWindow   window length for {@code time_column}: {@code 15m}, {@code 1h}, {@code 1d}, ...
 * @param partitions   parallel key-range partitions per side; default from the row count
 * @param documents    for a MongoDB side: missing-field semantics and the half-done, duplicate and orphan checks
 * @param references   references of the target table its catalog does not declare, checked for orphans
 * @param indexes      indexes the target table must have, each as its target column names in index order
 * @param naturalKeys  column lists (source names) that identify a row besides the key, checked for duplicates on
 *                     both sides
 * @param dedupe       which source rows sharing a natural key are set aside rather than migrated; null for none
 * @param incremental  how {@code tally audit} reads only the rows changed since the last audit; null: whole table
 * @param nullKeys     {@code refuse} (default): a row with a NULL in a key column stops the run (exit 2), as the key
 *                     does not identify it; {@code match}: such rows are matched by content and reported
 */
public record TableConfig(String name, String source, String target, List<String> key, List<String> include,
                          List<String> exclude, Map<String, String> rename, Map<String, ColumnOptions> columns,
                          String batchColumn, String timeColumn, String timeWindow, Integer partitions,
                          DocumentRules documents, List<Reference> references, List<List<String>> indexes,
                          List<List<String>> naturalKeys, Dedupe dedupe, Incremental incremental, String nullKeys) {

    public static final String NULL_KEYS_REFUSE = "refuse";
    public static final String NULL_KEYS_MATCH = "match";

    public TableConfig {
        key = key == null ? List.of() : List.copyOf(key);
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        rename = rename == null ? Map.of() : Map.copyOf(rename);
        if (columns == null) {
            columns = Map.of();
        } else {
            java.util.Map<String, ColumnOptions> copy = new java.util.LinkedHashMap<>();
            columns.forEach((k, v) -> copy.put(k, v == null ? ColumnOptions.none() : v));
            columns = java.util.Collections.unmodifiableMap(copy);
        }
        documents = documents == null ? DocumentRules.none() : documents;
        references = references == null ? List.of() : List.copyOf(references);
        indexes = indexes == null ? List.of() : indexes.stream().map(List::copyOf).toList();
        naturalKeys = naturalKeys == null ? List.of() : naturalKeys.stream().map(List::copyOf).toList();
        target = target == null ? source : target;
        name = name == null ? source : name;
        nullKeys = nullKeys == null ? NULL_KEYS_REFUSE : nullKeys;
    }
}
