package io.tally.engine.history;

import io.tally.engine.report.Report;
import io.tally.engine.repair.RepairReport;

import java.util.ArrayList;
import java.util.List;

/**
 * Where every run's results accumulate, so a trend survives the process (docs/history.md). Records are only ever
 * appended; {@link #read} returns one job's records in the order they were written.
 */
public interface HistoryStore {

    void append(List<HistoryRecord> records);

    List<HistoryRecord> read(String job);

    /** Takes the lock that keeps two audits of {@code job} apart; see {@link AuditLock#acquired()}. */
    AuditLock lockAudit(String job);

    /** Where the records go, for humans. */
    String describe();

    /** The store a job's {@code history:} names: a PostgreSQL table with {@code database}, else a Parquet directory. */
    static HistoryStore open(org.apache.spark.sql.SparkSession spark, io.tally.engine.config.HistoryConfig config) {
        return config.database() != null ? new PostgresHistory(config)
                : new ParquetHistory(spark, java.nio.file.Path.of(config.path()));
    }

    /** The record of what a run found beyond its tables (integrity errors on other objects); its status is the verdict. */
    String JOB_ROW = "(job)";

    /**
     * A verify or audit report as one record per table (errors: the table's integrity errors, violated error rules
     * and MongoDB findings), plus a {@link #JOB_ROW} record for integrity errors on objects that are not a compared
     * table (a leftover, an index, a check that could not run), so a regression there is seen too.
     */
    static List<HistoryRecord> of(Report r, String command, String runId) {
        List<HistoryRecord> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        r.tables().forEach(t -> names.add(t.name()));
        long elsewhere = r.integrity().findings().stream().filter(f -> f.isError() && !names.contains(f.table())).count();
        for (var t : r.tables()) {
            long errors = r.integrity().findings().stream().filter(f -> f.isError() && f.table().equals(t.name()))
                    .count() + t.rules().stream().filter(io.tally.engine.report.RuleResult::fails).count()
                    + t.findings().stream().mapToLong(f -> f.count()).sum();
            out.add(new HistoryRecord(runId, r.job(), command, r.startedAt(), r.finishedAt(), r.status(), t.name(),
                    t.status(), t.source().rows(), t.target().rows(), t.missing(), t.extra(), t.changed(),
                    t.missing() + t.extra() + t.changed(), t.duplicates().sourceKeys() + t.duplicates().targetKeys(),
                    errors, t.recheck() == null ? 0 : t.recheck().inFlight(),
                    t.scope() == null ? null : t.scope().sourceNext(), t.scope() == null ? null : t.scope().targetNext(),
                    t.scope() == null || t.scope().column() == null ? null : t.scope().kind() + ":" + t.scope().column()));
        }
        out.add(new HistoryRecord(runId, r.job(), command, r.startedAt(), r.finishedAt(), r.status(), JOB_ROW,
                elsewhere > 0 ? "DRIFT" : "CONSISTENT", 0, 0, 0, 0, 0, 0, 0, elsewhere,
                0, null, null, null));
        return out;
    }

    /** A repair report as one record per table: what still differs among the planned keys afterwards. */
    static List<HistoryRecord> of(RepairReport r, String runId) {
        List<HistoryRecord> out = new ArrayList<>();
        for (var t : r.tables()) {
            var v = t.verification();
            long left = v == null ? 0 : v.keysChecked() - v.keysMatching();
            boolean matches = v == null || v.matches();
            out.add(new HistoryRecord(runId, r.job(), "repair", r.startedAt(), r.finishedAt(), r.status(), t.name(),
                    matches ? "MATCHES" : "DIFFERS", v == null ? 0 : v.sourceRows(), v == null ? 0 : v.targetRows(),
                    0, 0, 0, left, 0, 0, 0, null, null, null));
        }
        return out;
    }
}
