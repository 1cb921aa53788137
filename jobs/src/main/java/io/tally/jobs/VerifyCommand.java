package io.tally.jobs;

import io.tally.engine.config.ConfigLoader;
import io.tally.engine.config.JobConfig;
import io.tally.engine.plan.PlanFiles;
import io.tally.engine.plan.PlanWriter;
import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.verify.Verifier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tally verify --config FILE [--out DIR] [--plan] [--sample PCT] [--where T=SQL] [--key-range T=A..B]
 * [--batch [T=]ID]}: compares source and target (or the canary's subset), writes report.json.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare source and target tables row by row and write DIR/report.json.")
public final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Job configuration (YAML).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "tally-out",
            description = "Directory for report.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--plan", description = "Also write the reconciliation plan to DIR/plan/ (upsert and delete "
            + "sets as Parquet, sealed by manifest.json); see 'tally plan show' and 'tally repair'.")
    boolean plan;

    @Mixin
    SparkOptions sparkOptions;

    @Mixin
    CanaryOptions canary;

    @Override
    public Integer call() {
        JobConfig job = canary.apply(new ConfigLoader().load(config));
        return run(job, out, sparkOptions.master, plan, System.out);
    }

    static int run(JobConfig job, Path out, String master, boolean plan, java.io.PrintStream console) {
        console.println("tally verify: job " + job.job() + ", " + job.tables().size() + " table(s)");
        SparkSession spark = LocalSpark.start(master);
        Report report;
        PlanWriter planWriter = plan ? new PlanWriter(spark, out) : null;
        if (planWriter != null) {
            planWriter.clear();
        }
        try (SparkProgress ignored = new SparkProgress(spark, console, 10_000)) {
            report = new Verifier(spark, msg -> console.println("  " + msg), new io.tally.rules.SparkRules(spark))
                    .verify(job, planWriter);
        }
        Path file = new ReportWriter().write(report, out);
        ConsoleSummary.print(report, file, console);
        ConsoleSummary.outputs(report, out, null, console); // before the history: its failure must not lose them
        if (report.partial()) { // a subset's counts would read as rows vanishing from the trend
            console.println("history: not appended (a canary run compares a subset)");
        } else {
            var history = io.tally.engine.history.HistoryStore.open(spark, job.history());
            history.append(io.tally.engine.history.HistoryStore.of(report, "verify", RunIds.next()));
            console.println("history: appended to " + history.describe() + " (tally history --config FILE shows the trend)");
        }
        if (planWriter != null) {
            PlanSummary.print(PlanFiles.load(planWriter.dir()), console);
        }
        return Report.CONSISTENT.equals(report.status()) ? TallyCli.CONSISTENT : TallyCli.DRIFT;
    }
}
