package io.tally.jobs;

import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.TableReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pushdown against full reads on the same PostgreSQL -> MySQL drift: the same differences, found by reading only
 * the differing key ranges. A key without a primary key or unique index is counted distinct per segment, so a
 * duplicated key both sides agree on (same rows, same sums) is still read and reported.
 */
class PushdownTest {

    private static final int ROWS = 30_000;

    @Test
    void pushdownFindsExactlyWhatAFullReadFindsReadingFarLess(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        TestDatabases.Server my = TestDatabases.mysql();
        String cols = "(id bigint PRIMARY KEY, qty bigint, note varchar(40), amount numeric(12,2), body text, "
                + "created timestamp(6), updated timestamp(3))";
        pg.exec("postgres", "DROP SCHEMA IF EXISTS pd CASCADE", "CREATE SCHEMA pd", "CREATE TABLE pd.orders " + cols,
                "INSERT INTO pd.orders SELECT g, g * 7, 'n' || g, g * 1.25, repeat('b', g % 50), "
                        + "timestamp '2024-01-01' + g * interval '1 second 1 microsecond', "
                        + "timestamp '2024-06-01' + g * interval '1 millisecond' FROM generate_series(1, " + ROWS + ") g");
        my.exec("mysql", "DROP DATABASE IF EXISTS pd", "CREATE DATABASE pd",
                "CREATE TABLE pd.orders (id BIGINT PRIMARY KEY, qty BIGINT, note VARCHAR(40), amount DECIMAL(12,2), "
                        + "body TEXT, created DATETIME(6), updated DATETIME(3))",
                "SET SESSION cte_max_recursion_depth = 100000",
                "INSERT INTO pd.orders WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < " + ROWS
                        + ") SELECT n, n * 7, CONCAT('n', n), n * 1.25, REPEAT('b', n % 50), "
                        + "TIMESTAMPADD(MICROSECOND, n * 1000001, '2024-01-01'), "
                        + "TIMESTAMPADD(MICROSECOND, n * 1000, '2024-06-01') FROM g",
                "DELETE FROM pd.orders WHERE id IN (17, 18, 25000)",                        // missing
                "INSERT INTO pd.orders (id, qty) VALUES (" + (ROWS + 5) + ", 1), (-3, 2)",      // extra
                "UPDATE pd.orders SET note = 'N9000' WHERE id = 9000",                         // changed
                "UPDATE pd.orders SET amount = amount + 0.01 WHERE id = 12345",
                "UPDATE pd.orders SET updated = TIMESTAMPADD(MICROSECOND, 1000, updated) WHERE id = 29999");
        pg.exec("postgres", "CREATE TABLE pd.events (id bigint, note text)",
                "INSERT INTO pd.events SELECT g, 'e' || g FROM generate_series(1, 2000) g",
                "INSERT INTO pd.events VALUES (700, 'e700')");
        my.exec("mysql", "CREATE TABLE pd.events (id BIGINT, note TEXT)",
                "INSERT INTO pd.events SELECT id, CONCAT('e', id) FROM pd.orders WHERE id BETWEEN 1 AND 2000",
                "INSERT INTO pd.events VALUES (17, 'e17'), (18, 'e18'), (700, 'e700')");
        Report fullRun = verify(dir, pg, my, "full");
        Report pushRun = verify(dir, pg, my, "pushdown");
        TableReport full = fullRun.tables().get(0);
        TableReport push = pushRun.tables().get(0);
        assertEquals("full", full.mode().used());
        assertEquals("pushdown", push.mode().used(), push.mode().reason());
        assertEquals(3, push.missing());
        assertEquals(2, push.extra());
        assertEquals(3, push.changed());
        assertEquals(full.samples(), push.samples());
        assertEquals(full.columns(), push.columns());
        assertEquals(full.source().rows(), push.source().rows());
        assertEquals(full.target().rows(), push.target().rows());
        assertTrue(push.mode().sourceRowsRead() < ROWS / 20, "read " + push.mode().sourceRowsRead() + " rows");
        assertEquals(ROWS, full.mode().sourceRowsRead());

        TableReport fullEvents = fullRun.tables().get(1);
        TableReport pushEvents = pushRun.tables().get(1);
        assertEquals("pushdown", pushEvents.mode().used(), pushEvents.mode().reason());
        assertEquals(new TableReport.Duplicates(1, 1, 1, 1), pushEvents.duplicates());
        assertEquals(fullEvents.duplicates(), pushEvents.duplicates());
        assertEquals(0, pushEvents.missing() + pushEvents.extra() + pushEvents.changed());
        assertTrue(pushEvents.mode().sourceRowsRead() < 100, "read " + pushEvents.mode().sourceRowsRead() + " rows");
    }

    private static Report verify(Path dir, TestDatabases.Server pg, TestDatabases.Server my, String mode) throws Exception {
        Path config = dir.resolve(mode + ".yaml");
        Files.writeString(config, "job: pd\nsource: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "target: {url: '" + my.url("pd") + "', user: " + my.user() + "}\n"
                + "options: {mode: " + mode + ", segment_rows: 50, rows_per_partition: 10000}\n"
                + "tables: [{name: orders, source: pd.orders, target: pd.orders},\n"
                + "         {name: events, source: pd.events, target: pd.events, key: [id]}]\n");
        Path out = dir.resolve(mode);
        RepairScenariosTest.Run run = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out", out.toString());
        assertEquals(TallyCli.DRIFT, run.code(), run.out() + run.err());
        return new ReportWriter().read(out.resolve("report.json"));
    }
}
