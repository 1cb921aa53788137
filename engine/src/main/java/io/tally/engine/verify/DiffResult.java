package io.tally.engine.verify;

import io.tally.engine.report.TableReport;

/** What the key-based comparison of two sides found. {@code columnDifferences[i]} counts changed rows per column. */
public record DiffResult(long missing, long extra, long changed, TableReport.Duplicates duplicates,
                         long[] columnDifferences, TableReport.Samples samples) {
}
