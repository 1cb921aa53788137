package io.tally.engine.history;

/**
 * One table's outcome in one run, as the history keeps it (docs/history.md).
 *
 * @param command     {@code verify}, {@code audit} or {@code repair}
 * @param status      the table's status: {@code CONSISTENT}/{@code DRIFT} for verify and audit,
 *                    {@code MATCHES}/{@code DIFFERS} for repair
 * @param differences verify: missing + extra + changed rows; repair: planned keys that still differ afterwards
 * @param duplicates  keys held more than once (both sides)
 * @param errors      integrity errors and violated error-severity rules on the table
 * @param inFlight    differences a recheck found gone (writes in flight), not counted in {@code differences}
 * @param sourceMark  audit: where the next incremental read of the source starts (see ReadScope); else null
 * @param targetMark  audit: the same for the target
 * @param markOf      audit: what the marks are values of, {@code watermark:updated_at} or {@code batch:load_id}; a
 *                    mark of another column or kind is never used
 */
public record HistoryRecord(String runId, String job, String command, String startedAt, String finishedAt,
                            String verdict, String table, String status, long sourceRows, long targetRows,
                            long missing, long extra, long changed, long differences, long duplicates, long errors,
                            long inFlight, String sourceMark, String targetMark, String markOf) {

    /** The stores' column names, in the order of {@link #values()} (Parquet, PostgreSQL and CSV share them). */
    public static final java.util.List<String> COLUMNS = java.util.List.of("run_id", "job", "command", "started_at",
            "finished_at", "verdict", "table", "status", "source_rows", "target_rows", "missing", "extra", "changed",
            "differences", "duplicates", "errors", "in_flight", "source_mark", "target_mark", "mark_of");

    /** This record's fields in the order of {@link #COLUMNS}. */
    public Object[] values() {
        return new Object[]{runId, job, command, startedAt, finishedAt, verdict, table, status, sourceRows, targetRows,
                missing, extra, changed, differences, duplicates, errors, inFlight, sourceMark, targetMark, markOf};
    }
}
