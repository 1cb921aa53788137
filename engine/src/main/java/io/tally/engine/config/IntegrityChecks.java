package io.tally.engine.config;

/**
 * Which integrity checks {@code verify} runs beyond the row diff (all on by default; see docs/integrity.md).
 *
 * @param orphans     child rows whose parent is missing, for every declared foreign key of a compared target
 *                    table and every {@code references} entry (MATCH SIMPLE)
 * @param indexes     PostgreSQL indexes left invalid by a failed {@code CREATE INDEX CONCURRENTLY}, or still building
 * @param leftovers   gh-ost and pt-online-schema-change tables and triggers left in a target schema
 * @param sequences   sequences, identity columns and AUTO_INCREMENT counters at or behind the column's maximum
 * @param stats       tables whose planner statistics were never gathered or are far from the row count
 * @param constraints PostgreSQL constraints left {@code NOT VALID}
 * @param schema      source against target schema of each compared relational pair: columns, narrower types,
 *                    nullability, keys, foreign keys, indexes
 * @param duplicates  values held by several rows under a MySQL-family target's secondary unique indexes and under
 *                    the configured {@code natural_keys} (target and source)
 */
public record IntegrityChecks(Boolean orphans, Boolean indexes, Boolean leftovers, Boolean sequences, Boolean stats,
                              Boolean constraints, Boolean schema, Boolean duplicates) {

    public IntegrityChecks {
        orphans = orphans == null || orphans;
        indexes = indexes == null || indexes;
        leftovers = leftovers == null || leftovers;
        sequences = sequences == null || sequences;
        stats = stats == null || stats;
        constraints = constraints == null || constraints;
        schema = schema == null || schema;
        duplicates = duplicates == null || duplicates;
    }

    public static IntegrityChecks all() {
        return new IntegrityChecks(null, null, null, null, null, null, null, null);
    }
}
