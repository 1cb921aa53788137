package io.tally.engine.config;

import io.tally.engine.TallyError;

import java.util.Map;

/**
 * A canary run (docs/live-systems.md): compare a chosen subset before (or instead of) every row. {@code sample} is a
 * percentage of keys, chosen by a hash of the key so both sides pick the same keys ({@code 1%}, {@code 0.5%}); {@code
 * tables} narrows single tables by name. The report of such a run says it is partial and how much it covered.
 */
public record Canary(String sample, Map<String, TableSubset> tables) {

    public Canary {
        Map<String, TableSubset> copy = new java.util.LinkedHashMap<>();
        if (tables != null) {
            tables.forEach((k, v) -> copy.put(k, v == null ? TableSubset.ALL : v)); // an empty entry narrows nothing
        }
        tables = java.util.Collections.unmodifiableMap(copy);
    }

    public static Canary none() {
        return new Canary(null, Map.of());
    }

    /** Whether this run compares a subset only. */
    public boolean any() {
        return sample != null || tables.values().stream().anyMatch(TableSubset::any);
    }

    /** The sampled fraction of keys in (0, 1], or 1 without a sample. */
    public double fraction() {
        if (sample == null) {
            return 1;
        }
        var m = java.util.regex.Pattern.compile("(\\d{1,3}(?:\\.\\d{1,4})?)%").matcher(sample.trim());
        double pct = m.matches() ? Double.parseDouble(m.group(1)) : -1;
        if (pct <= 0 || pct > 100) {
            throw new TallyError("canary sample is '" + sample + "'; write a percentage above 0 and at most 100, e.g. "
                    + "--sample 1% or --sample 0.1%");
        }
        return pct / 100;
    }

    /** A canary names configured tables, and its conditions are single expressions (see {@link SqlCondition}). */
    public void validate(java.util.List<TableConfig> tables, String origin) {
        try {
            fraction();
        } catch (TallyError e) {
            throw new TallyError(origin + ": " + e.getMessage());
        }
        this.tables.forEach((name, subset) -> {
            String at = origin + ": canary.tables." + name;
            TableConfig t = tables.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() ->
                    new TallyError(at + ": no table is named " + name + "; use a name from tables[] ("
                            + String.join(", ", tables.stream().map(TableConfig::name).toList()) + ")"));
            SqlCondition.check(subset.where(), at + ".where");
            SqlCondition.check(subset.targetWhere(), at + ".target_where");
            if (subset.batch() != null && t.batchColumn() == null) {
                throw new TallyError(at + ".batch needs the table's batch_column; set tables[].batch_column, or narrow "
                        + "with where");
            }
        });
    }

    public TableSubset table(String name) {
        return tables.getOrDefault(name, TableSubset.ALL);
    }

    /**
     * The rows of one table a canary compares.
     *
     * @param where       SQL condition on the source table's columns (also used for the target unless {@code
     *                    targetWhere} is set)
     * @param targetWhere SQL condition on the target table's columns
     * @param keyFrom     lowest first-key value compared (inclusive), as its text
     * @param keyTo       first-key value the range stops before (exclusive)
     * @param batch       the value of the table's {@code batch_column} whose rows are compared
     */
    public record TableSubset(String where, String targetWhere, String keyFrom, String keyTo, String batch) {

        public static final TableSubset ALL = new TableSubset(null, null, null, null, null);

        public boolean any() {
            return where != null || targetWhere != null || keyFrom != null || keyTo != null || batch != null;
        }

        /** Whether the subset depends on more than the key: a row can then fall inside on one side only. */
        public boolean byContent() {
            return where != null || targetWhere != null || batch != null;
        }
    }
}
