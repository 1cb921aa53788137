package io.tally.jobs;

import io.tally.engine.config.ConfigLoader;
import io.tally.engine.config.JobConfig;
import io.tally.engine.history.AuditLock;
import io.tally.engine.history.HistoryRecord;
import io.tally.engine.history.HistoryStore;
import io.tally.engine.history.HistoryTrend;
import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.TableReport;
import io.tally.engine.verify.AuditRequest;
import io.tally.engine.verify.Verifier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tally audit --config FILE}: a verification fit for a schedule (docs/audits.md). It holds the job's audit
 * lock, reads tables that set {@code incremental} from the marks of the last consistent audit, rechecks what differs
 * when {@code recheck} is configured, appends to the history and flags regressions. Exit 0 consistent (differences
 * in flight allowed), 1 drift, 2 error, 3 skipped because another audit of the job runs.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify on a schedule: incremental by watermark or batch column, rechecks of in-flight "
                + "differences, one audit per job at a time, results appended to the history.")
public final class AuditCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Job configuration (YAML).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "tally-out",
            description = "Directory for report.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--full", description = "Read every row, whatever the marks of earlier audits (a periodic full "
            + "audit sees deleted rows, which an incremental one cannot).")
    boolean full;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        JobConfig job = new ConfigLoader().load(config);
        if (job.canary().any()) { // an audit's marks and trend stand for whole tables
            throw new io.tally.engine.TallyError(config + ": canary: narrows a verify; an audit compares whole tables "
                    + "(and reads only changed rows with incremental), so remove canary from the job or run verify");
        }
        return run(job, out, sparkOptions.master, full, System.out, null);
    }

    /** @param verifier the verify flow to use (tests shorten its waits); null for the usual one */
    static int run(JobConfig job, Path out, String master, boolean full, PrintStream console, Verifier verifier) {
        SparkSession spark = LocalSpark.start(master);
        HistoryStore history = HistoryStore.open(spark, job.history());
        try (AuditLock lock = history.lockAudit(job.job())) {
            if (!lock.acquired()) {
                console.println("tally audit: job " + job.job() + " skipped: another audit of it is running ("
                        + lock.heldBy() + ")");
                return TallyCli.BUSY;
            }
            Map<String, AuditRequest.Marks> marks = marks(history.read(job.job()), job);
            console.println("tally audit: job " + job.job() + ", " + job.tables().size() + " table(s)"
                    + (full ? ", --full" : "") + (job.recheck().enabled() ? ", rechecks: " + job.recheck().generations()
                    + " after " + job.recheck().delay() : ""));
            Report report;
            Verifier v = verifier != null ? verifier : new Verifier(spark, msg -> console.println("  " + msg),
                    new io.tally.rules.SparkRules(spark));
            try (SparkProgress ignored = new SparkProgress(spark, console, 10_000)) {
                report = v.verify(job, null, new AuditRequest(full, marks));
            }
            Path file = new ReportWriter().write(report, out);
            ConsoleSummary.print(report, file, console);
            report.tables().forEach(t -> console.println(describe(t)));
            history.append(HistoryStore.of(report, "audit", RunIds.next()));
            console.println("history: appended to " + history.describe());
            HistoryTrend trend = null;
            try {
                trend = new HistoryTrend(history.read(job.job()));
                HistoryTrend.Run newest = trend.runs().get(trend.runs().size() - 1);
                trend.regressions().stream().filter(g -> g.run() == newest).forEach(g -> console.printf(
                        "REGRESSION %s: %s (since %s)%n", g.table(), g.what(), g.since().startedAt()));
            } catch (Exception e) { // the audit is recorded; its verdict stands (SparkException included)
                console.println("history: the trend could not be read back: "
                        + io.tally.engine.Secrets.mask(TallyCli.oneLine(e.getMessage())));
            }
            ConsoleSummary.outputs(report, out, trend, console);
            return Report.CONSISTENT.equals(report.status()) ? TallyCli.CONSISTENT : TallyCli.DRIFT;
        }
    }

    /**
     * Each table's marks from its newest consistent audit of the same incremental column: an audit that found drift
     * leaves no mark, so the next one reads the same rows again until they are whole; a mark of another column or
     * kind (the config changed) is never used; a side that had no rows left a null mark, which means a full read.
     */
    static Map<String, AuditRequest.Marks> marks(List<HistoryRecord> records, JobConfig job) {
        Map<String, String> wanted = new LinkedHashMap<>();
        job.tables().stream().filter(t -> t.incremental() != null)
                .forEach(t -> wanted.put(t.name(), t.incremental().kind() + ":" + t.incremental().column()));
        Map<String, AuditRequest.Marks> out = new LinkedHashMap<>();
        for (HistoryRecord r : records) { // oldest first
            if (r.command().equals("audit") && Report.CONSISTENT.equals(r.status()) && r.markOf() != null
                    && r.markOf().equals(wanted.get(r.table()))) {
                out.put(r.table(), new AuditRequest.Marks(r.sourceMark(), r.targetMark()));
            }
        }
        return out;
    }

    private static String describe(TableReport t) {
        StringBuilder s = new StringBuilder("audit " + t.name() + ": ");
        var scope = t.scope();
        if (scope != null && "incremental".equals(scope.read())) {
            s.append("read rows with ").append(scope.column()).append(" >= ").append(scope.sourceSince())
                    .append(" (source) / ").append(scope.targetSince()).append(" (target)");
        } else {
            s.append("whole table").append(scope == null || scope.reason() == null ? "" : " (" + scope.reason() + ")");
        }
        s.append(": ").append(t.mode().sourceRowsRead()).append(" source, ").append(t.mode().targetRowsRead())
                .append(" target row(s) read (").append(t.mode().used()).append(")");
        if (t.recheck() != null) {
            s.append("; ").append(t.recheck().summary());
        }
        if (t.positions() != null) {
            s.append("; source at ").append(t.positions().source().describe());
        }
        return s.toString();
    }
}
