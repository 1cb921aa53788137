package io.tally.jobs;

import io.tally.engine.TallyError;
import io.tally.engine.config.ConfigLoader;
import io.tally.engine.config.JobConfig;
import io.tally.engine.history.HistoryRecord;
import io.tally.engine.history.HistoryTrend;
import io.tally.engine.config.HistoryConfig;
import io.tally.engine.history.HistoryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tally history --config FILE} (or {@code --history DIR --job NAME}): a job's runs in time order, with the
 * differences per table, and its regressions. Exits 1 when the newest verify or audit regressed, so a scheduler can
 * alert on it.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Print a job's runs (verify, audit, repair) with differences per table, and flag regressions.")
public final class HistoryCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "The job file: its job name and history directory.")
    Path config;

    @Option(names = "--job", paramLabel = "NAME", description = "The job's name (default: the --config job's).")
    String job;

    @Option(names = "--history", paramLabel = "DIR", description = "The history directory (default: the --config "
            + "job's, or tally-history).")
    Path history;

    @Option(names = "--last", paramLabel = "N", defaultValue = "20", description = "Show the newest N runs "
            + "(default: ${DEFAULT-VALUE}).")
    int last;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the job's records to FILE as CSV "
            + "(for notebooks and spreadsheets).")
    Path csv;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        JobConfig cfg = config == null ? null : new ConfigLoader().load(config);
        String name = job != null ? job : cfg != null ? cfg.job() : null;
        if (name == null) {
            throw new TallyError("name the job: --config FILE or --job NAME");
        }
        HistoryConfig where = history != null ? HistoryConfig.directory(history.toAbsolutePath().normalize().toString())
                : cfg != null ? cfg.history() : HistoryConfig.directory(Path.of(HistoryConfig.DEFAULT).toAbsolutePath()
                .toString());
        HistoryStore store = HistoryStore.open(LocalSpark.start(sparkOptions.master), where);
        List<HistoryRecord> records = store.read(name);
        if (records.isEmpty()) {
            throw new TallyError("no runs of job " + name + " in " + store.describe()
                    + "; run verify first, or point --history at the job's history directory");
        }
        if (csv != null) {
            System.out.println("history: " + records.size() + " record(s) written to "
                    + io.tally.engine.history.HistoryCsv.write(records, csv).toAbsolutePath());
        }
        return print(new HistoryTrend(records), name, store.describe(), Math.max(1, last), System.out);
    }

    static int print(HistoryTrend trend, String job, String where, int last, PrintStream out) {
        List<HistoryTrend.Run> runs = trend.runs();
        out.printf("history of job %s: %d run(s) in %s%n%n", job, runs.size(), where);
        StringBuilder head = new StringBuilder(String.format("%-30s %-8s %-12s", "started", "command", "verdict"));
        trend.tables().forEach(t -> head.append(String.format(" %16s", t)));
        out.println(head);
        List<HistoryTrend.Run> shown = runs.subList(Math.max(0, runs.size() - last), runs.size());
        var regressions = trend.regressions().stream().filter(g -> shown.contains(g.run())).toList();
        for (HistoryTrend.Run r : shown) {
            StringBuilder line = new StringBuilder(String.format("%-30s %-8s %-12s", r.startedAt(), r.command(),
                    r.verdict()));
            for (String t : trend.tables()) {
                HistoryRecord x = r.tables().get(t);
                String cell = x == null ? "-" : x.differences() + (x.errors() > 0 ? " +" + x.errors() + "e" : "")
                        + (x.inFlight() > 0 ? " ~" + x.inFlight() : "")
                        + (regressions.stream().anyMatch(g -> g.run() == r && g.table().equals(t)) ? " !" : "");
                line.append(String.format(" %16s", cell));
            }
            out.println(line);
        }
        out.println();
        out.println("cells: rows differing (verify: missing + extra + changed; repair: planned keys still differing), "
                + "+Ne: integrity errors, broken error rules and document findings ((job): errors on objects that "
                + "are not a compared table), ~N: differences rechecks found in flight, !: regression");
        if (regressions.isEmpty()) {
            out.println("no regressions");
        }
        regressions.forEach(g -> out.printf("REGRESSION %s at %s: %s (since %s)%n", g.table(), g.run().startedAt(),
                g.what(), g.since().startedAt()));
        return trend.latestRegressed() ? TallyCli.DRIFT : TallyCli.CONSISTENT;
    }
}
