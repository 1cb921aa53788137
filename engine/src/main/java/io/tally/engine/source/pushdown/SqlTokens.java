package io.tally.engine.source.pushdown;

import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.model.ColumnInfo;

import java.util.List;

/**
 * The canonical form computed inside a database: per dialect, the SQL expression that yields a column's
 * canonical token exactly as {@link io.tally.engine.canonical.ValueCanonicalizer} does from the value Spark reads,
 * and the row hash over them ({@link io.tally.engine.canonical.RowHasher}: the first 16 bytes of SHA-256 of the
 * concatenated tokens). A column whose token an engine cannot produce exactly gets no expression; the table then
 * falls back to fetching rows. Each expression is proven against the Spark-side form by the type-matrix test.
 */
public interface SqlTokens {

    /** The token of {@code column} under {@code rule} as SQL text, or null when this engine cannot produce it. */
    String token(String quotedColumn, ColumnInfo column, ColumnRule rule);

    /** The 32 lowercase hex digits of the row hash over {@code tokens} (SQL expressions, in column order). */
    String rowHash(List<String> tokens);

    /**
     * The first 64 bits of a 32-hex-digit hash expression as an integer SQL expression (signed or not: segment sums
     * are compared modulo 2^64). One reference to the hash only: a database that merges the hashing sub-query
     * into the aggregate computes the hash again for every place it is used.
     */
    String first64(String hash);

    /** The index of {@code quotedKey}'s segment: {@code (key - lo)} divided by {@code width}, rounded down. */
    String segmentOf(String quotedKey, long lo, long width);

    /** Why a column has no expression, for the report. */
    static String reason(ColumnInfo column, ColumnRule rule, String engine) {
        return column.name() + " (" + column.nativeType() + ", compared as "
                + rule.kind().name().toLowerCase(java.util.Locale.ROOT) + "): " + engine
                + " cannot produce its canonical token in SQL exactly";
    }
}
