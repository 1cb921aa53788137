package io.tally.jobs;

import io.tally.engine.TallyError;
import io.tally.engine.config.ConfigLoader;
import io.tally.engine.config.JobConfig;
import io.tally.engine.plan.PlanFiles;
import io.tally.engine.repair.Repairer;
import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.TableReport;
import io.tally.jobs.demo.DemoScenario;
import io.tally.jobs.demo.MongoDemo;
import io.tally.jobs.demo.MongoDemoScenario;
import io.tally.jobs.demo.SequenceDemo;
import io.tally.jobs.embedded.EmbeddedMongo;
import io.tally.jobs.embedded.EmbeddedMysql;
import io.tally.jobs.embedded.EmbeddedPostgresServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tally demo}: starts embedded PostgreSQL and MySQL, seeds a migration that failed mid-process, runs
 * verify with a plan on it and checks that the report shows exactly the seeded drift, then repairs the target
 * from the plan and verifies again (integrity findings included: an orphan, gh-ost leftovers); then a PostgreSQL
 * reporting copy whose rows match but whose sequence is behind; then a MongoDB users -> users_v2 backfill that
 * failed midway, on an in-process MongoDB. Exit 0 when every report was exact and every repaired target is
 * CONSISTENT.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Verify, plan, repair and re-verify an embedded PostgreSQL -> MySQL migration and a MongoDB "
                + "users -> users_v2 backfill, both failed mid-process.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "tally-demo",
            description = "Directory for the demo's config and report.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--debug", description = "Print stack traces on errors.")
    boolean debug;

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        console.println("tally demo: starting embedded PostgreSQL and MySQL 8 (first run unpacks them, ~20 s)");
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(); EmbeddedMysql mysql = EmbeddedMysql.start()) {
            try (Connection p = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
                 Connection m = DriverManager.getConnection(mysql.jdbcUrl("mysql"), mysql.user(), mysql.password())) {
                DemoScenario.createSource(p);
                DemoScenario.createTarget(m);
                DemoScenario.seed(p, m);
            } catch (SQLException e) {
                throw new TallyError("seeding the demo databases failed: " + e.getMessage(), e);
            }
            console.println();
            DemoScenario.STORY.forEach(console::println);
            console.println();
            Path config = writeConfig(pg.jdbcUrl("postgres"), mysql.jdbcUrl("shop"));
            clearHistory(); // the demo's databases are new on every run, so is its history
            console.println("config: " + config.toAbsolutePath());
            JobConfig job = new ConfigLoader().load(config);
            int code = VerifyCommand.run(job, out, null, true, console);
            Report report = new ReportWriter().read(out.resolve("report.json"));
            List<String> mismatches = new ArrayList<>(check(report));
            expectIntegrity(mismatches, report, DemoScenario.EXPECTED_INTEGRITY);
            expectRules(mismatches, report, DemoScenario.EXPECTED_RULES);
            console.println();
            if (!mismatches.isEmpty() || code != TallyCli.DRIFT) {
                mismatches.forEach(m -> console.println("demo: MISMATCH " + m));
                return TallyCli.DRIFT;
            }
            console.println("demo: the report shows exactly the seeded drift, the too-narrow column, the orphan, the "
                    + "gh-ost leftovers and the broken business rules; nothing else was flagged as an error.");
            console.println();
            console.println("demo: rows cannot fix a column that is too narrow; rolling forward first: " + WIDEN);
            try (Connection m = DriverManager.getConnection(mysql.jdbcUrl("shop"), mysql.user(), mysql.password());
                 var s = m.createStatement()) {
                s.execute(WIDEN);
                console.println("demo: the aborted gh-ost run is cleaned up (it is not running): "
                        + DemoScenario.DROP_LEFTOVERS);
                s.execute(DemoScenario.DROP_LEFTOVERS);
            }
            console.println("demo: planning again against the widened target");
            Path fixed = out.resolve("after-widen");
            VerifyCommand.run(job, fixed, null, true, console);
            console.println();
            console.println("demo: repairing the target from the plan, then verifying it again");
            var history = job.history();
            int repaired = RepairCommand.run(PlanFiles.load(fixed), new Repairer.Options(500, 2, false, false, null, 10),
                    fixed, null, console, history);
            console.println();
            int after = VerifyCommand.run(job, out.resolve("after-repair"), null, false, console);
            if (repaired != TallyCli.CONSISTENT || after != TallyCli.CONSISTENT) {
                console.println("demo: MISMATCH the repaired target does not match the source (repair exit "
                        + repaired + ", verify exit " + after + ")");
                return TallyCli.DRIFT;
            }
            console.println();
            console.println("demo: plan -> repair -> verify ended CONSISTENT; the target is whole again.");
            console.println();
            var store = io.tally.engine.history.HistoryStore.open(LocalSpark.start(null), history);
            var records = store.read(job.job());
            HistoryCommand.print(new io.tally.engine.history.HistoryTrend(records), job.job(), store.describe(), 20,
                    console);
            io.tally.engine.history.HistoryCsv.write(records, out.resolve("history.csv")); // for notebooks/
            if (sequences(console, pg) != TallyCli.CONSISTENT) {
                return TallyCli.DRIFT;
            }
        }
        return documents(console);
    }

    /** The reporting copy whose rows all match and whose sequence stands behind them: verify, repair, verify. */
    private int sequences(PrintStream console, EmbeddedPostgresServer pg) throws IOException {
        try (Connection p = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password())) {
            SequenceDemo.seed(p);
        } catch (SQLException e) {
            throw new TallyError("seeding the demo's reporting copy failed: " + e.getMessage(), e);
        }
        console.println();
        SequenceDemo.STORY.forEach(console::println);
        console.println();
        Path dir = out.resolve("reporting");
        JobConfig job = new ConfigLoader().load(SequenceDemo.writeConfig(dir, pg.jdbcUrl("postgres")));
        int code = VerifyCommand.run(job, dir, null, true, console);
        Report report = new ReportWriter().read(dir.resolve("report.json"));
        List<String> mismatches = new ArrayList<>();
        report.tables().forEach(t -> expect(mismatches, t.name() + " differences", 0,
                t.missing() + t.extra() + t.changed()));
        expectIntegrity(mismatches, report, List.of(SequenceDemo.EXPECTED));
        if (!mismatches.isEmpty() || code != TallyCli.DRIFT) {
            mismatches.forEach(m -> console.println("demo: MISMATCH " + m));
            return TallyCli.DRIFT;
        }
        console.println("demo: every row matches, the sequence does not; repairing (the plan holds no rows, only it)");
        int repaired = RepairCommand.run(PlanFiles.load(dir), new Repairer.Options(500, 1, false, false, null, 10),
                dir, null, console);
        int after = VerifyCommand.run(job, dir.resolve("after-repair"), null, false, console);
        if (repaired != TallyCli.CONSISTENT || after != TallyCli.CONSISTENT) {
            console.println("demo: MISMATCH the reporting copy is not whole after repair (repair exit " + repaired
                    + ", verify exit " + after + ")");
            return TallyCli.DRIFT;
        }
        console.println("demo: the sequence is past the copied ids; the reporting copy is whole.");
        return TallyCli.CONSISTENT;
    }

    /** The report's integrity errors must be exactly {@code expected} (check:object); warnings are only shown. */
    static void expectIntegrity(List<String> problems, Report report, List<String> expected) {
        List<String> errors = report.integrity().findings().stream().filter(f -> f.isError())
                .map(f -> f.check() + ":" + f.object()).sorted().toList();
        if (!errors.equals(expected.stream().sorted().toList())) {
            problems.add("integrity errors: expected " + expected + ", report says " + errors);
        }
    }

    /** The MongoDB half: the users -> users_v2 backfill, verified, planned, repaired and verified again. */
    private int documents(PrintStream console) throws IOException {
        console.println();
        console.println("tally demo: starting an in-process MongoDB");
        try (EmbeddedMongo mongo = EmbeddedMongo.start()) {
            MongoDemoScenario.seed(mongo.uri(""));
            console.println();
            MongoDemoScenario.STORY.forEach(console::println);
            console.println();
            Path dir = out.resolve("mongo");
            Files.createDirectories(dir);
            JobConfig job = MongoDemo.job(mongo.uri("legacy"), mongo.uri("app"), dir.resolve("demo-mongo.yaml"));
            int code = VerifyCommand.run(job, dir, null, true, console);
            Report report = new ReportWriter().read(dir.resolve("report.json"));
            List<String> mismatches = new ArrayList<>(check(report, MongoDemoScenario.EXPECTED));
            mismatches.addAll(MongoDemo.check(report));
            console.println();
            if (!mismatches.isEmpty() || code != TallyCli.DRIFT) {
                mismatches.forEach(m -> console.println("demo: MISMATCH " + m));
                return TallyCli.DRIFT;
            }
            console.println("demo: the report shows exactly the seeded drift and findings; repairing users_v2");
            int repaired = RepairCommand.run(PlanFiles.load(dir), new Repairer.Options(500, 1, false, false, null, 10),
                    dir, null, console);
            console.println();
            int after = VerifyCommand.run(job, dir.resolve("after-repair"), null, false, console);
            if (repaired != TallyCli.CONSISTENT || after != TallyCli.CONSISTENT) {
                console.println("demo: MISMATCH the repaired users_v2 does not match legacy.users (repair exit "
                        + repaired + ", verify exit " + after + ")");
                return TallyCli.DRIFT;
            }
            console.println();
            console.println("demo: the backfill is complete: no half-done, duplicate or orphaned documents remain.");
            return TallyCli.CONSISTENT;
        }
    }

    private void clearHistory() throws IOException {
        Path dir = out.resolve(io.tally.engine.config.HistoryConfig.DEFAULT);
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The roll-forward fix of the seeded schema drift. */
    static final String WIDEN = "ALTER TABLE shop.customers MODIFY balance DECIMAL(12,2)";

    private Path writeConfig(String pgUrl, String mysqlUrl) throws IOException {
        Files.createDirectories(out);
        String yaml = """
                # Written by 'tally demo': embedded PostgreSQL (source) and MySQL 8 (target) on loopback.
                job: demo-shop-migration
                source:
                  url: %s
                  user: postgres
                target:
                  url: %s
                  user: root
                options:
                  rows_per_partition: 500
                tables:
                  - name: customers
                    source: shop.customers
                    target: shop.customers
                  - name: orders
                    source: shop.orders
                    target: shop.orders
                    key: [order_id]
                    batch_column: batch_id
                    time_column: created_at
                    time_window: 1d
                  - name: ledger
                    source: shop.ledger
                    target: shop.ledger
                rules:
                  - name: transfers_balance
                    table: ledger
                    kind: balance
                    expr: "sum(debit) - sum(credit)"
                    by: [transfer_id]
                  - name: status_moves_forward
                    table: orders
                    kind: transition
                    column: status
                    allowed: {new: [paid, cancelled], paid: [shipped, cancelled], shipped: [delivered]}
                """.formatted(pgUrl, mysqlUrl);
        Path file = out.resolve("demo.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Compares the report with the seeded drift; returns what differs, empty when it matches exactly. */
    static List<String> check(Report report) {
        return check(report, DemoScenario.EXPECTED);
    }

    /** Compares the report with {@code expected} per table; returns what differs. */
    static List<String> check(Report report, Map<String, DemoScenario.Expected> expected) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, DemoScenario.Expected> e : expected.entrySet()) {
            TableReport t = report.tables().stream().filter(x -> x.name().equals(e.getKey())).findFirst().orElse(null);
            if (t == null) {
                problems.add(e.getKey() + ": missing from the report");
                continue;
            }
            DemoScenario.Expected x = e.getValue();
            expect(problems, t.name() + ".missing", x.missing(), t.missing());
            expect(problems, t.name() + ".extra", x.extra(), t.extra());
            expect(problems, t.name() + ".changed", x.changed(), t.changed());
            expect(problems, t.name() + ".duplicates.target_keys", x.targetDuplicateKeys(), t.duplicates().targetKeys());
            expect(problems, t.name() + ".duplicates.source_keys", 0, t.duplicates().sourceKeys());
            for (TableReport.ColumnReport c : t.columns()) {
                expect(problems, t.name() + "." + c.name() + " differences",
                        x.columnDifferences().getOrDefault(c.name(), 0L), c.differences());
            }
        }
        return problems;
    }

    /** Every rule's violations as expected (absent: none). */
    static void expectRules(List<String> problems, Report report, Map<String, Long> expected) {
        report.tables().forEach(t -> t.rules().forEach(r -> expect(problems, "rule " + r.name() + " (" + r.side()
                + ") violations", expected.getOrDefault(r.name(), 0L), r.violations())));
    }

    private static void expect(List<String> problems, String what, long expected, long actual) {
        if (expected != actual) {
            problems.add(what + ": expected " + expected + ", report says " + actual);
        }
    }
}
