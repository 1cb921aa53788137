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
 */
public record JobOptions(Integer rowsPerPartition, Integer maxPartitions, Integer sampleSize,
                         String temporalRounding, Integer maxGroups, String documentNumbers, String mode,
                         Integer segmentRows, String snapshot, String lockTimeout, String statementTimeout) {

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

    /** The lock and statement timeouts, in seconds. */
    public io.tally.engine.source.ReadLimits limits() {
        return new io.tally.engine.source.ReadLimits(Durations.seconds(lockTimeout, "options.lock_timeout"),
                Durations.seconds(statementTimeout, "options.statement_timeout"));
    }

    public static JobOptions defaults() {
        return new JobOptions(null, null, null, null, null, null, null, null, null, null, null);
    }
}
