package io.tally.jobs;

import io.tally.engine.TallyError;
import io.tally.engine.plan.PlanFiles;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.repair.RepairReport;
import io.tally.engine.repair.Repairer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tally repair --plan DIR}: applies a plan to the target, guarded and resumable, then re-verifies. */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Apply a reconciliation plan to the target idempotently, then re-verify every planned key.")
public final class RepairCommand implements Callable<Integer> {

    @Option(names = "--plan", required = true, paramLabel = "DIR",
            description = "The verify --out directory holding plan/, or the plan directory itself.")
    Path plan;

    @Option(names = "--dry-run", description = "Check every planned key and print what would change; write nothing.")
    boolean dryRun;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
            description = "Keys per transaction (default: ${DEFAULT-VALUE}); a resumed run must use the same.")
    int batchSize;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2",
            description = "Concurrent target connections per table (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--force", description = "Overwrite target rows that changed after verification (conflicts).")
    boolean force;

    @Option(names = "--ledger", paramLabel = "SCHEMA.TABLE",
            description = "Where the ledger lives in the target (default: tally_repair_ledger beside the first table).")
    String ledger;

    @Option(names = "--config", paramLabel = "FILE", description = "Connect with this job config's source and target "
            + "settings (e.g. a role that may write) instead of the plan's; the servers must be the same.")
    Path config;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for repair-report.json (default: the directory holding plan/).")
    Path out;

    @Option(names = "--history", paramLabel = "DIR", description = "Append this repair's results to the history in "
            + "DIR (default: the --config job's history; without either, none is kept).")
    Path history;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        if (batchSize < 1 || batchSize > 5000) {
            throw new TallyError("--batch-size " + batchSize + " is out of range; use 1 to 5000");
        }
        if (parallel < 1 || parallel > 32) {
            throw new TallyError("--parallel " + parallel + " is out of range; use 1 to 32");
        }
        var endpoints = config == null ? null : new io.tally.engine.config.ConfigLoader().load(config);
        PlanFiles.Loaded loaded = PlanFiles.load(plan);
        if (endpoints != null && !endpoints.job().equals(loaded.manifest().job())) {
            throw new TallyError("the plan in " + plan + " was made by job '" + loaded.manifest().job() + "' but --config "
                    + config + " is job '" + endpoints.job() + "'; pass that job's config, or verify this job with --plan");
        }
        var kept = history != null ? io.tally.engine.config.HistoryConfig.directory(history.toString())
                : endpoints == null ? null : endpoints.history();
        return run(loaded, new Repairer.Options(batchSize, parallel, force, dryRun, ledger, 10, endpoints),
                out != null ? out : loaded.dir().toAbsolutePath().getParent(), sparkOptions.master, System.out, kept);
    }

    static int run(PlanFiles.Loaded loaded, Repairer.Options options, Path out, String master, PrintStream console) {
        return run(loaded, options, out, master, console, null);
    }

    /** As above, appending the results to the history {@code history} names unless it is null or this is a dry run. */
    static int run(PlanFiles.Loaded loaded, Repairer.Options options, Path out, String master, PrintStream console,
                   io.tally.engine.config.HistoryConfig history) {
        console.println("tally repair: plan " + loaded.manifest().planId().substring(0, 12) + " (job "
                + loaded.manifest().job() + ")" + (options.dryRun() ? ", dry run: nothing will be written" : "")
                + (options.force() ? ", --force: conflicts will be overwritten" : ""));
        SparkSession spark = LocalSpark.start(master);
        RepairReport report;
        try {
            report = new Repairer(spark, msg -> console.println("  " + msg)).repair(loaded, options);
        } catch (io.tally.engine.TallyError e) {
            throw e;
        } catch (Exception e) { // a plan read, a re-read or a connection that Spark or a driver gave up on
            Throwable root = io.tally.engine.TallyError.rootCause(e);
            throw new io.tally.engine.TallyError("repairing plan " + loaded.manifest().planId().substring(0, 12)
                    + " failed: " + root.getClass().getSimpleName() + ": " + TallyCli.oneLine(root.getMessage())
                    + "; committed batches are in the ledger, so run the same command again once the cause is fixed "
                    + "(--debug shows the stack trace)", e);
        }
        Path file = ReportWriter.writeJson(report, out, options.dryRun() ? "repair-dry-run.json" : "repair-report.json");
        print(report, file, console);
        if (history != null && !options.dryRun()) {
            var store = io.tally.engine.history.HistoryStore.open(spark, history);
            store.append(io.tally.engine.history.HistoryStore.of(report, RunIds.next()));
            console.println("history: appended to " + store.describe());
        }
        return RepairReport.NOT_REPAIRED.equals(report.status()) ? TallyCli.DRIFT : TallyCli.CONSISTENT;
    }

    private static void print(RepairReport r, Path file, PrintStream out) {
        out.println();
        out.printf("%-24s %-8s %8s %8s %10s %9s%n", "table", "set", "planned", "applied", "done before", "conflicts");
        long applied = 0;
        long conflicts = 0;
        for (RepairReport.TableResult t : r.tables()) {
            for (var e : java.util.Map.of("upsert", t.upserts(), "delete", t.deletes()).entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())).toList()) {
                RepairReport.SetResult s = e.getValue();
                if (s == null) {
                    continue;
                }
                out.printf("%-24s %-8s %8d %8d %10d %9d%n", t.name(), e.getKey(), s.planned(), s.applied(),
                        s.alreadyApplied(), s.conflicts());
                applied += s.applied();
                conflicts += s.conflicts();
            }
            t.conflictSamples().forEach(c -> out.println("    conflict " + c.set() + " " + c.key() + ": expected "
                    + c.expected() + ", found " + c.found() + " (not overwritten; --force overwrites)"));
            t.sampleStatements().forEach(s -> out.println("    would run: " + s));
            t.sequences().forEach(s -> out.println("    sequence " + s));
            if (t.verification() != null && !t.verification().matches()) {
                t.verification().mismatchSamples().forEach(m -> out.println("    still differs " + m.key()
                        + ": source " + m.source() + ", target " + m.target()));
            }
        }
        out.println();
        if (!r.dryRun() && applied == 0 && conflicts == 0) {
            out.println("nothing to change: the plan was already applied (or the target already matched it).");
        }
        out.println("verdict: " + r.status() + "    report: " + file.toAbsolutePath());
    }
}
