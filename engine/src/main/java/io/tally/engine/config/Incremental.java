package io.tally.engine.config;

import io.tally.engine.TallyError;

/**
 * How {@code tally audit} narrows a table to the rows changed since the last audit (docs/audits.md): by a
 * {@code watermark} column (a time the application sets on every write, such as {@code updated_at}) or by a
 * {@code batch} column (a load number that only grows; the last audited batch is read again, in case it was still
 * loading). Source column names; a renamed column is mapped for the target.
 *
 * @param overlap watermark only: how far before the last audit's high mark the next one starts reading, for rows
 *                committed late with an earlier time (long transactions, clock skew); default {@code 5m}
 */
public record Incremental(String watermark, String batch, String overlap) {

    public static final String DEFAULT_OVERLAP = "5m";

    /** The column that narrows the read. */
    public String column() {
        return watermark != null ? watermark : batch;
    }

    /** {@code watermark} or {@code batch}. */
    public String kind() {
        return watermark != null ? "watermark" : "batch";
    }

    /** Seconds re-read before the last high mark: the overlap for a watermark, none for a batch column. */
    public long overlapSeconds() {
        return batch != null ? 0 : Durations.seconds(overlap == null ? DEFAULT_OVERLAP : overlap, "incremental.overlap");
    }

    void validate(String at) {
        if ((watermark == null) == (batch == null) || (column() != null && column().isBlank())) {
            throw new TallyError(at + ".incremental needs one of watermark or batch, e.g. {watermark: updated_at} "
                    + "or {batch: load_id}");
        }
        if (batch != null && overlap != null) {
            throw new TallyError(at + ".incremental.overlap applies to a watermark; a batch column re-reads the last "
                    + "audited batch anyway, remove overlap");
        }
        Durations.seconds(overlap == null ? DEFAULT_OVERLAP : overlap, at + ".incremental.overlap");
    }
}
