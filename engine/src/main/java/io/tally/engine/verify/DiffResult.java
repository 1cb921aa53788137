package io.tally.engine.verify;

import io.tally.engine.report.TableReport;

/**
 * What the key-based comparison of two sides found. {@code columnDifferences[i]} counts changed rows per column;
 * {@code keyMap} places the differences in the key range (null when the first key is not numeric).
 */
public record DiffResult(long missing, long extra, long changed, TableReport.Duplicates duplicates,
                         long[] columnDifferences, TableReport.Samples samples, io.tally.engine.report.KeyMap keyMap) {
}
