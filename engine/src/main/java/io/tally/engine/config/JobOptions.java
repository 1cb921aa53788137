package io.tally.engine.config;

/**
 * Job-wide knobs.
 *
 * @param rowsPerPartition  target rows per read partition when a table sets no {@code partitions}
 * @param maxPartitions     upper bound on read partitions per side
 * @param sampleSize        differences kept as samples per kind and table
 * @param temporalRounding  how a finer temporal value is brought to a coarser precision: {@code auto} (as
 *                          the engine holding the coarser column does on insert: PostgreSQL and MySQL round,
 *                          MariaDB and MySQL with TIME_TRUNCATE_FRACTIONAL truncate), {@code round} or
 *                          {@code truncate}
 * @param maxGroups         per-batch and per-window counts kept in the report
 * @param documentNumbers   how MongoDB numbers of different BSON types compare: {@code exact} (Int32, Int64 and
 *                          Decimal128 by value, Double as a double), {@code value} (every number by value) or
 *                          {@code strict} (type and value); see docs/canonical-form.md
 * @param mode              {@code auto} (pushdown where both sides can, else read every row), {@code pushdown}
 *                          (refuse a table that cannot) or {@code full}
 * @param segmentRows       pushdown: rows per segment compared inside the databases (from the key density)
 * @param snapshot          {@code on} (default): every partition of a side reads one picture of it (PostgreSQL: one
 *                          exported snapshot; MySQL: consistent snapshots opened together); {@code off}: each
 *                          partition reads at its own moment (docs/live-systems.md)
 * @param lockTimeout       longest wait of any verify statement for a lock another transaction holds; the read then
 *                          fails rather than queue ({@code 0s}: wait as the server's default does)
 * @param statementTimeout  longest run of one read statement ({@code 0s}, the default: no limit)
 * @param chunkTime         partitions sized so one read query takes about this long ({@code 500ms}, {@code 5s}),
 *                          from a timed read of the first rows; null: sized by {@code rowsPerPartition}
 */
public record JobOptions(Integer rowsPerPartition, Integer maxPartitions, Integer sampleSize,
                         String temporalRounding, Integer maxGroups, String documentNumbers, String mode,
                         Integer segmentRows, String snapshot, String lockTimeout, String statementTimeout,
                         String chunkTime) {

    public JobOptions {
        rowsPerPartition = rowsPerPartition == null ? 250_000 : rowsPerPartition;
        maxPartitions = maxPartitions == null ? 64 : maxPartitions;
        sampleSize = sampleSize == null ? 10 : sampleSize;
        temporalRounding = temporalRounding == null ? "auto" : temporalRounding;
        maxGroups = maxGroups == null ? 1000 : maxGroups;
        documentNumbers = documentNumbers == null ? "exact" : documentNumbers;
        mode = mode == null ? "auto" : mode;
        segmentRows = segmentRows == null ? 16 : segmentRows;
        snapshot = snapshot == null ? "on" : snapshot;
        lockTimeout = lockTimeout == null ? "10s" : lockTimeout;
        statementTimeout = statementTimeout == null ? "0s" : statementTimeout;
    }

    public boolean snapshots() {
        return "on".equals(snapshot);
    }

    /** {@code chunk_time} in milliseconds, 0 when not set. */
    public long chunkMillis() {
        if (chunkTime == null) {
            return 0;
        }
        var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)").matcher(chunkTime.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new io.tally.engine.TallyError("options.chunk_time is '" + chunkTime + "'; write a time above zero "
                    + "with a unit, e.g. 500ms, 5s or 1m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            default -> n * 60_000;
        };
    }

    /** The lock and statement timeouts, in seconds. */
    public io.tally.engine.source.ReadLimits limits() {
        return new io.tally.engine.source.ReadLimits(Durations.seconds(lockTimeout, "options.lock_timeout"),
                Durations.seconds(statementTimeout, "options.statement_timeout"));
    }

    public static JobOptions defaults() {
        return new JobOptions(null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
