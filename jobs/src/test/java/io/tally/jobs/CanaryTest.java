package io.tally.jobs;

import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.TableReport;
import io.tally.engine.source.MySqlDialect;
import io.tally.engine.source.PostgresDialect;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Canary verification (docs/live-systems.md), PostgreSQL -> MySQL: a 1 % sample chosen by a hash of the key picks the
 * same keys in both databases, finds the differences seeded inside it and none outside it, and the report says the
 * run was partial and how much it covered. Text keys are sampled by Spark on the canonical key, again the same keys on
 * both sides. A where condition, a key range and a batch narrow the read to exactly the rows they name.
 */
class CanaryTest {

    private static final int ROWS = 20_000;
    private static final long BOUND = (long) Math.floor(0.01 * 4_294_967_296d);

    @TempDir
    Path dir;

    /** The first id the narrow test names (1000..5000, qty >= 100, grp 3). */
    private static final long MOVED_OUT = java.util.stream.LongStream.range(1000, 5000)
            .filter(n -> n % 300 >= 100 && n % 7 == 3).findFirst().orElseThrow();

    private static List<Long> inSample;
    private static List<Long> outOfSample;

    @BeforeAll
    static void seed() throws Exception {
        TestSpark.session();
        var pg = TestDatabases.postgres();
        var my = TestDatabases.mysql();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS canary CASCADE", "CREATE SCHEMA canary",
                "CREATE TABLE canary.orders (id bigint PRIMARY KEY, grp int NOT NULL, qty int NOT NULL, note text)",
                "INSERT INTO canary.orders SELECT g, g % 7, g % 300, 'n' || g FROM generate_series(1, " + ROWS + ") g",
                "CREATE TABLE canary.codes (code varchar(20) PRIMARY KEY, v int, note text)",
                "INSERT INTO canary.codes SELECT 'C-' || g, g, 'n' FROM generate_series(1, " + ROWS + ") g",
                "CREATE TABLE canary.pairs (a varchar(10), b int, v int NOT NULL, note text, PRIMARY KEY (a, b))",
                "INSERT INTO canary.pairs SELECT 'p' || (g % 3), g, g, 'n' FROM generate_series(1, 20) g",
                "CREATE TABLE canary.bins (k bytea PRIMARY KEY, v int NOT NULL, note text)",
                "INSERT INTO canary.bins SELECT int4send(g), g, 'n' FROM generate_series(1, 20) g");
        my.exec("mysql", "DROP DATABASE IF EXISTS canary", "CREATE DATABASE canary",
                "CREATE TABLE canary.orders (id BIGINT PRIMARY KEY, grp INT NOT NULL, qty INT NOT NULL, note TEXT)",
                "CREATE TABLE canary.codes (code VARCHAR(20) PRIMARY KEY, v INT, note TEXT)",
                "CREATE TABLE canary.pairs (a VARCHAR(10), b INT, v INT NOT NULL, note TEXT, PRIMARY KEY (a, b))",
                "CREATE TABLE canary.bins (k VARBINARY(8) PRIMARY KEY, v INT NOT NULL, note TEXT)",
                "SET SESSION cte_max_recursion_depth = 100000",
                "INSERT INTO canary.pairs WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20) "
                        + "SELECT CONCAT('p', n % 3), n, n, IF(n = 7, 'changed', 'n') FROM g",
                "INSERT INTO canary.bins WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20) "
                        + "SELECT UNHEX(LPAD(HEX(n), 8, '0')), n, IF(n = 7, 'changed', 'n') FROM g",
                "INSERT INTO canary.orders WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < "
                        + ROWS + ") SELECT n, n % 7, n % 300, CONCAT('n', n) FROM g",
                "INSERT INTO canary.codes WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < "
                        + ROWS + ") SELECT CONCAT('C-', n), n, 'n' FROM g",
                // one code in ten differs: a Spark-drawn sample finds some, and only those
                "UPDATE canary.codes SET note = 'changed' WHERE code LIKE '%7'");
        inSample = ids(pg.connect("postgres"), "SELECT id FROM canary.orders WHERE "
                + new PostgresDialect().keyHash32(List.of("id")) + " < " + BOUND + " ORDER BY id");
        outOfSample = ids(pg.connect("postgres"), "SELECT id FROM canary.orders WHERE "
                + new PostgresDialect().keyHash32(List.of("id")) + " >= " + BOUND + " ORDER BY id LIMIT 3");
        // seeded: three changed and one missing row inside the sample, three changed rows outside it
        my.exec("mysql", "UPDATE canary.orders SET note = 'changed' WHERE id IN (" + inSample.get(0) + ", "
                        + inSample.get(5) + ", " + inSample.get(10) + ")",
                "DELETE FROM canary.orders WHERE id = " + inSample.get(20),
                "UPDATE canary.orders SET note = 'unseen' WHERE id IN (" + outOfSample.get(0) + ", "
                        + outOfSample.get(1) + ", " + outOfSample.get(2) + ")",
                // inside the narrow test's range on the source, outside its where condition on the target
                "UPDATE canary.orders SET qty = 5 WHERE id = " + MOVED_OUT);
    }

    private static List<Long> ids(Connection c, String sql) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (c; var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private Path job() throws Exception {
        var pg = TestDatabases.postgres();
        var my = TestDatabases.mysql();
        Files.writeString(dir.resolve("s.pw"), pg.password());
        Files.writeString(dir.resolve("t.pw"), my.password());
        Path config = dir.resolve("canary.yaml");
        Files.writeString(config, "job: canary\n"
                + "source: {url: '" + pg.url("postgres") + "', user: " + pg.user() + ", password_file: '" + dir.resolve("s.pw") + "'}\n"
                + "target: {url: '" + my.url("canary") + "', user: " + my.user() + ", password_file: '" + dir.resolve("t.pw") + "'}\n"
                + "tables:\n"
                + "  - {name: orders, source: canary.orders, target: canary.orders, batch_column: grp}\n"
                + "  - {name: codes, source: canary.codes, target: canary.codes}\n");
        return config;
    }

    private Report run(int expected, String out, String... canary) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify", "--config", job().toString(), "--out",
                dir.resolve(out).toString()));
        args.addAll(List.of(canary));
        var run = RepairScenariosTest.cli(args.toArray(String[]::new));
        assertEquals(expected, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("PARTIAL"), run.out());
        assertTrue(run.out().contains("history: not appended"), run.out());
        assertTrue(Files.readString(dir.resolve(out).resolve("summary.md")).contains("partial"), "summary.md says so");
        return new ReportWriter().read(dir.resolve(out).resolve("report.json"));
    }

    @Test
    void aOnePercentSampleFindsTheDifferencesInsideItAndReportsItsCoverage() throws Exception {
        assertTrue(inSample.size() > 120 && inSample.size() < 290, "about 1 % of the keys: " + inSample.size());
        long myInSample;
        try (var c = TestDatabases.mysql().connect("canary"); var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM canary.orders WHERE "
                     + new MySqlDialect().keyHash32(List.of("id")) + " < " + BOUND)) {
            rs.next();
            myInSample = rs.getLong(1);
        }
        assertEquals(inSample.size() - 1, myInSample, "MySQL's hash picks the same keys (less the deleted one)");

        Report report = run(TallyCli.DRIFT, "sample", "--sample", "1%");
        assertTrue(report.partial());
        TableReport orders = report.tables().get(0);
        java.util.Set<Long> changedInSample = new java.util.HashSet<>(List.of(inSample.get(0), inSample.get(5),
                inSample.get(10)));
        if (inSample.contains(MOVED_OUT) && MOVED_OUT != inSample.get(20)) {
            changedInSample.add(MOVED_OUT);
        }
        assertEquals(changedInSample.size(), orders.changed(), "the changed rows in the sample, none of those outside it");
        assertEquals(1, orders.missing());
        assertEquals(0, orders.extra());
        assertEquals(inSample.size(), orders.source().rows());
        TableReport.Subset subset = orders.subset();
        assertEquals("1%", subset.sample());
        assertTrue(subset.sampleMethod().startsWith("in each database"), subset.sampleMethod());
        assertEquals(ROWS, subset.sourceTotal());
        assertFalse(subset.totalsEstimated());
        assertEquals((double) inSample.size() / ROWS, subset.coverage(), 1e-9);
        assertTrue(orders.samples().changed().stream().allMatch(c -> inSample.contains(Long.parseLong(c.key().get("id")))));

        TableReport codes = report.tables().get(1);
        assertTrue(codes.source().rows() > 120 && codes.source().rows() < 290, "rows " + codes.source().rows());
        assertEquals(codes.source().rows(), codes.target().rows(), "text keys sampled by Spark: the same keys both sides");
        assertEquals(0, codes.missing() + codes.extra());
        assertTrue(codes.changed() > 3 && codes.changed() < codes.source().rows() / 4, "about one in ten: " + codes.changed());
        assertTrue(codes.samples().changed().stream().allMatch(c -> c.key().get("code").endsWith("7")));
        assertTrue(codes.subset().sampleMethod().startsWith("in Spark"), codes.subset().sampleMethod());
        assertEquals(ROWS, codes.mode().sourceRowsRead(), "the Spark sample reads every row");
        Hardening.checked("a 1% sample found the 4 differences seeded in it, none of the 3 outside it, and reported "
                + String.format("%.2f%%", 100 * subset.coverage()) + " coverage");
    }

    @Test
    void aWhereConditionAKeyRangeAndABatchReadExactlyTheRowsTheyName() throws Exception {
        java.util.function.LongPredicate named = n -> n >= 1000 && n < 5000 && n % 300 >= 100 && n % 7 == 3;
        long expected = java.util.stream.LongStream.range(1, ROWS + 1).filter(named).count();
        Report report = run(TallyCli.DRIFT, "narrow", "--plan", "--where", "orders=qty >= 100",
                "--key-range", "orders=1000..5000", "--batch", "orders=3", "--where", "codes=v < 50 AND code NOT LIKE '%7'");
        TableReport orders = report.tables().get(0);
        assertEquals(expected, orders.source().rows(), orders.subset().toString());
        assertEquals(orders.subset().sourceRows(), orders.source().rows());
        assertEquals("1000", orders.subset().keyFrom());
        assertEquals("3", orders.subset().batch());
        assertEquals(44, report.tables().get(1).source().rows()); // 1..49 less 7, 17, 27, 37, 47
        // its qty moved below the condition on the target only: read again by key it is on both sides and differs,
        // so both rows are compared whole: a changed row (qty), planned as an update, never a missing row or a delete
        assertEquals(List.of(0L, 0L, 1L), List.of(orders.missing(), orders.extra(), orders.changed()),
                orders.samples().toString());
        var moved = orders.samples().changed().get(0);
        assertEquals(String.valueOf(MOVED_OUT), moved.key().get("id"));
        assertEquals(java.util.Set.of("qty"), moved.columns().keySet(), moved.toString());
        assertEquals("5", moved.columns().get("qty").target());
        assertTrue(orders.recheck() != null && orders.recheck().rechecked() >= 1 && orders.recheck().persisting() >= 1,
                String.valueOf(orders.recheck()));
        var planned = io.tally.engine.plan.PlanFiles.load(dir.resolve("narrow/plan")).manifest().table("orders");
        assertEquals(List.of(0L, 1L, 0L), List.of(planned.inserts(), planned.updates(), planned.deletes().rows()),
                "the row the target's condition left out is updated, not deleted");
        // the target's condition selects fewer rows: those the source selects alone are read again by key and, being
        // equal, are not reported; C-47 (its note differs) is, as a changed row: both sides hold it
        Path uneven = dir.resolve("uneven.yaml");
        Files.writeString(uneven, Files.readString(job()) + "canary: {tables: {codes: {where: 'v < 50', target_where: "
                + "'v < 40'}}}\n");
        var u = RepairScenariosTest.cli("verify", "--config", uneven.toString(), "--out", dir.resolve("uneven").toString());
        assertEquals(TallyCli.DRIFT, u.code(), u.out() + u.err());
        TableReport codes = new ReportWriter().read(dir.resolve("uneven/report.json")).tables().get(1);
        assertEquals(List.of(49L, 39L), List.of(codes.source().rows(), codes.target().rows()));
        assertEquals(9, codes.recheck().inFlight(), String.valueOf(codes.recheck()));
        assertEquals(List.of(0L, 0L, 5L), List.of(codes.missing(), codes.extra(), codes.changed()),
                "C-7, C-17, C-27, C-37 and C-47: " + codes.samples());
        assertTrue(codes.samples().changed().stream().anyMatch(c -> c.key().get("code").equals("C-47")
                && c.columns().keySet().equals(java.util.Set.of("note"))), codes.samples().toString());
        var none = RepairScenariosTest.cli("verify", "--config", job().toString(), "--out", dir.resolve("none").toString(),
                "--where", "codes=v < 0");
        assertEquals(TallyCli.ERROR, none.code(), none.out() + none.err());
        assertTrue(none.err().contains("the canary compared no rows"), none.err());
        Hardening.badInput();
        var bad = RepairScenariosTest.cli("verify", "--config", job().toString(), "--out", dir.resolve("bad").toString(),
                "--where", "orders=1 = 1; DROP TABLE canary.orders");
        assertEquals(TallyCli.ERROR, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().contains("statement separators"), bad.err());
        Hardening.badInput();
    }

    /**
     * A key both sides hold that the target's condition leaves out is compared whole: on a composite key (a row-value
     * IN read) it is a changed row; a binary key has no exact SQL literal, so the read by key cannot return it and the
     * key keeps the rows the narrowed read saw, with a warning, rather than vanishing from the counts.
     */
    @Test
    void keysTheTargetConditionLeavesOutAreComparedWholeOrKeptWithAWarning() throws Exception {
        Path config = dir.resolve("held.yaml");
        Files.writeString(config, Files.readString(job()).replace("tables:\n", "tables:\n"
                + "  - {name: pairs, source: canary.pairs, target: canary.pairs}\n"
                + "  - {name: bins, source: canary.bins, target: canary.bins}\n")
                .replaceAll("  - \\{name: (orders|codes)[^\n]*\n", "")
                + "canary: {tables: {pairs: {where: 'v < 10', target_where: 'v < 5'}, "
                + "bins: {where: 'v < 10', target_where: 'v < 5'}}}\n");
        var run = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out", dir.resolve("held").toString());
        assertEquals(TallyCli.DRIFT, run.code(), run.out() + run.err());
        Report report = new ReportWriter().read(dir.resolve("held/report.json"));
        TableReport pairs = report.tables().get(0);
        assertEquals("pairs", pairs.name());
        assertEquals(List.of(9L, 4L), List.of(pairs.source().rows(), pairs.target().rows()));
        assertEquals(4, pairs.recheck().inFlight(), "v 5, 6, 8, 9 are equal: " + pairs.recheck());
        assertEquals(List.of(0L, 0L, 1L), List.of(pairs.missing(), pairs.extra(), pairs.changed()), pairs.toString());
        assertEquals(java.util.Map.of("a", "p1", "b", "7"), pairs.samples().changed().get(0).key());
        assertTrue(pairs.warnings().stream().noneMatch(w -> w.contains("could not be read back")), pairs.warnings().toString());
        TableReport bins = report.tables().get(1);
        assertEquals(4, bins.recheck().inFlight(), String.valueOf(bins.recheck()));
        assertEquals(List.of(1L, 0L, 0L), List.of(bins.missing(), bins.extra(), bins.changed()),
                "v 7 stays as the narrowed read saw it: " + bins);
        assertTrue(bins.warnings().stream().anyMatch(w -> w.startsWith("1 differing key(s) that both sides hold could "
                + "not be read back whole")), bins.warnings().toString());
    }
}
