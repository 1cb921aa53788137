package io.tally.jobs;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections cut mid-read and servers "restarted" under a running verify or repair, through a {@link FaultProxy}.
 * Either the broken read task is retried (Spark's task retry, four attempts) and the verdict is exactly what it would
 * have been without the fault, or the run ends with exit 2, one line, no report. Never CONSISTENT on missing rows.
 */
class FaultsTest {

    private static final int ROWS = 60_000;
    private static final String PASSWORD = "fault-Pw-7%x";
    private static final AtomicInteger FAULTS = new AtomicInteger();
    private static TestDatabases.Server pg;
    private static TestDatabases.Server my;

    @TempDir
    Path dir;

    @BeforeAll
    static void seed() throws Exception {
        TestSpark.session();
        pg = TestDatabases.postgres();
        my = TestDatabases.mysql();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS faults CASCADE", "CREATE SCHEMA faults",
                "CREATE TABLE faults.wide (id bigint PRIMARY KEY, label text, amount numeric(12,2))",
                "INSERT INTO faults.wide SELECT g, repeat('x', 80) || g, g * 0.25 FROM generate_series(1, " + ROWS + ") g");
        my.exec("mysql", "DROP DATABASE IF EXISTS faults", "CREATE DATABASE faults",
                "SET SESSION cte_max_recursion_depth = " + (ROWS + 1),
                "CREATE TABLE faults.wide (id BIGINT PRIMARY KEY, label TEXT, amount DECIMAL(12,2))",
                "INSERT INTO faults.wide WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < " + ROWS
                        + ") SELECT n, CONCAT(REPEAT('x', 80), n), n * 0.25 FROM g",
                "CREATE TABLE faults.drifted AS SELECT * FROM faults.wide",
                "ALTER TABLE faults.drifted ADD PRIMARY KEY (id)",
                "DELETE FROM faults.drifted WHERE id % 1000 = 7",                      // 60 missing
                "UPDATE faults.drifted SET label = 'changed' WHERE id % 2000 = 3",      // 30 changed
                // 20 extra, right after the source's keys: key ranges stay even, so every partition carries rows
                "INSERT INTO faults.drifted SELECT id + " + ROWS + ", label, amount FROM faults.wide WHERE id <= 20",
                "CREATE TABLE faults.partial AS SELECT * FROM faults.wide WHERE id <= " + ROWS / 2,
                "ALTER TABLE faults.partial ADD PRIMARY KEY (id)",
                "DROP USER IF EXISTS 'tally_fault'@'%'",
                "CREATE USER 'tally_fault'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL ON faults.* TO 'tally_fault'@'%'");
    }

    @AfterAll
    static void tally() {
        Hardening.faults(FAULTS.get(), "connection faults");
    }

    private Path config(String sourceUrl, String targetUrl, String target, String mode) throws Exception {
        Path pw = dir.resolve("target.pw");
        Files.writeString(pw, PASSWORD);
        Path spw = dir.resolve("source.pw");
        Files.writeString(spw, pg.password() == null ? "" : pg.password());
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "job: faults\n"
                + "source: {url: '" + sourceUrl + "', user: " + pg.user() + ", password_file: '" + spw + "'}\n"
                + "target: {url: '" + targetUrl + "', user: tally_fault, password_file: '" + pw + "'}\n"
                + "options: {mode: " + mode + ", rows_per_partition: 10000}\n"
                + "tables:\n  - {name: wide, source: faults.wide, target: faults." + target + "}\n");
        return config;
    }

    private RepairScenariosTest.Run verify(Path config, String out) {
        return RepairScenariosTest.cli("verify", "--config", config.toString(), "--out", dir.resolve(out).toString());
    }

    @Test
    void sourceConnectionCutMidReadIsRetriedAndTheVerdictIsExact() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(pg.url("postgres"))) {
            proxy.cutAfter(400_000, 1);
            var run = verify(config(proxy.route(pg.url("postgres")), my.url("faults"), "wide", "full"), "o");
            assertEquals(1, proxy.cuts(), "the fault never happened");
            assertEquals(0, run.code(), run.out() + run.err());
            Report r = report("o");
            assertEquals(ROWS, r.tables().get(0).source().rows());
            assertEquals(ROWS, r.tables().get(0).target().rows());
            fault("a source read cut once: retried, CONSISTENT with every row read");
        }
    }

    @Test
    void targetConnectionCutTwiceStillFindsExactlyTheDrift() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(my.url("faults"))) {
            proxy.cutAfter(400_000, 2);
            var run = verify(config(pg.url("postgres"), proxy.route(my.url("faults")), "drifted", "full"), "o");
            assertEquals(2, proxy.cuts(), "the faults never happened: " + proxy.log() + ", exit " + run.code() + " " + run.err());
            assertEquals(1, run.code(), run.out() + run.err());
            var t = report("o").tables().get(0);
            assertEquals(60, t.missing());
            assertEquals(20, t.extra());
            assertEquals(30, t.changed());
            fault(2, "a target read cut twice: retried, drift exact");
        }
    }

    @Test
    void aConnectionThatKeepsBreakingFailsTheRunWithOneLine() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(my.url("faults"))) {
            proxy.cutAfter(400_000, Integer.MAX_VALUE);
            var run = verify(config(pg.url("postgres"), proxy.route(my.url("faults")), "wide", "full"), "o");
            assertTrue(proxy.cuts() >= 4, "fewer cuts than task attempts: " + proxy.cuts());
            assertFailedCleanly(run, "o");
            fault("every target read cut: exit 2 after " + proxy.cuts() + " cuts, no report");
        }
    }

    @Test
    void aServerRestartMidReadEndsExactOrInExitTwo() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(pg.url("postgres"))) {
            Thread restarter = new Thread(() -> {
                long deadline = System.currentTimeMillis() + 120_000;
                while (proxy.bytes() < 1_500_000 && System.currentTimeMillis() < deadline) {
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                proxy.restart(1500);
            });
            restarter.setDaemon(true);
            restarter.start();
            var run = verify(config(proxy.route(pg.url("postgres")), my.url("faults"), "drifted", "full"), "o");
            restarter.join(1000);
            assertEquals(1, proxy.cuts(), "the restart never happened");
            if (run.code() == 2) {
                assertFailedCleanly(run, "o");
            } else {
                assertEquals(1, run.code(), run.out() + run.err());
                var t = report("o").tables().get(0);
                assertEquals(List.of(60L, 20L, 30L), List.of(t.missing(), t.extra(), t.changed()));
            }
            fault("source restarted mid-read: exit " + run.code());
        }
    }

    @Test
    void aCutDuringPushdownNeverYieldsAFalseConsistent() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(my.url("faults"))) {
            proxy.cutAfter(30_000, 1);
            var run = verify(config(pg.url("postgres"), proxy.route(my.url("faults")), "drifted", "auto"), "o");
            assertEquals(1, proxy.cuts(), "the fault never happened: " + proxy.log());
            if (run.code() == 2) {
                assertFailedCleanly(run, "o");
            } else {
                assertEquals(1, run.code(), run.out() + run.err());
                var t = report("o").tables().get(0);
                assertEquals("pushdown", t.mode().used(), "the table was not compared by pushdown");
                assertEquals(List.of(60L, 20L, 30L), List.of(t.missing(), t.extra(), t.changed()));
            }
            fault("a pushdown connection cut: exit " + run.code());
        }
    }

    @Test
    void aMongoReadCutMidCursorIsRetried() throws Exception {
        try (MongoClient c = MongoClients.create(TestMongo.uri(""))) {
            for (String db : List.of("faults_src", "faults_tgt")) {
                c.getDatabase(db).drop();
                List<BsonDocument> docs = new ArrayList<>();
                for (int i = 1; i <= 20_000; i++) {
                    docs.add(new BsonDocument("_id", new BsonInt32(i)).append("label", new BsonString("x".repeat(80) + i)));
                }
                c.getDatabase(db).getCollection("docs", BsonDocument.class).insertMany(docs);
            }
        }
        try (FaultProxy proxy = FaultProxy.to(TestMongo.uri("faults_src"))) {
            proxy.cutAfter(300_000, 1);
            String props = ", properties: {partitioner: " + TestMongo.partitioner() + "}}";
            Path config = dir.resolve("mongo.yaml");
            Files.writeString(config, "job: faults-mongo\nsource: {url: '" + proxy.route(TestMongo.uri("faults_src")) + "'"
                    + props + "\ntarget: {url: '" + TestMongo.uri("faults_tgt") + "'" + props + "\n"
                    + "tables:\n  - {name: docs, source: faults_src.docs, target: faults_tgt.docs}\n");
            var run = verify(config, "m");
            assertEquals(1, proxy.cuts(), "the fault never happened");
            assertEquals(0, run.code(), run.out() + run.err());
            assertEquals(20_000, report("m").tables().get(0).source().rows());
            fault("a MongoDB cursor cut: retried, CONSISTENT with every document read");
        }
    }

    @Test
    void aRepairWhoseConnectionIsCutConvergesWhenRunAgain() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(my.url("faults"))) {
            Path config = config(pg.url("postgres"), proxy.route(my.url("faults")), "partial", "auto");
            var verify = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                    dir.resolve("r").toString(), "--plan");
            assertEquals(1, verify.code(), verify.err());
            proxy.cutAfter(300_000, 1);
            var cut = RepairScenariosTest.cli("repair", "--plan", dir.resolve("r").toString());
            assertEquals(1, proxy.cuts(), "the fault never happened");
            assertTrue(cut.code() == 2 || cut.code() == 0, cut.out() + cut.err());
            var again = RepairScenariosTest.cli("repair", "--plan", dir.resolve("r").toString());
            assertEquals(0, again.code(), again.out() + again.err());
            var after = verify(config, "after");
            assertEquals(0, after.code(), after.out() + after.err());
            assertEquals(ROWS, report("after").tables().get(0).target().rows());
            fault("a repair's connection cut: exit " + cut.code() + ", then converged");
            Hardening.assertNoSecretInFiles(dir, PASSWORD);
        }
    }

    private Report report(String out) throws Exception {
        return new ReportWriter().read(dir.resolve(out).resolve("report.json"));
    }

    private void assertFailedCleanly(RepairScenariosTest.Run run, String out) {
        assertEquals(2, run.code(), run.out() + run.err());
        String e = run.err().strip();
        assertTrue(e.startsWith("tally: error: "), e);
        assertFalse(e.contains("\n"), "more than one line: " + e);
        assertFalse(e.contains(PASSWORD), "password leaked: " + e);
        assertFalse(Files.exists(dir.resolve(out).resolve("report.json")), "a report was written after a failed read");
    }

    private static void fault(String what) {
        fault(1, what);
    }

    private static void fault(int n, String what) {
        FAULTS.addAndGet(n);
        Hardening.checked(what);
    }
}
