package io.tally.engine.report;

import java.util.List;

/**
 * Where a table's differences sit in its key range, for a numeric first key column (docs/report.md): the range of
 * both sides' keys, {@code low} to {@code high}, cut into {@code buckets} equal parts, and the missing, extra and
 * changed keys in each part. Only parts holding a difference are listed.
 */
public record KeyMap(String column, String low, String high, int buckets, List<Bucket> differing) {

    /** One part of the range: {@code from} (inclusive) to {@code to}, and its differing keys by kind. */
    public record Bucket(int index, String from, String to, long missing, long extra, long changed) {
    }
}
