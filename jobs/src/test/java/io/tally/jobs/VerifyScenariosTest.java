package io.tally.jobs;

import io.tally.engine.config.ConfigLoader;
import io.tally.engine.report.Report;
import io.tally.engine.report.TableReport;
import io.tally.engine.verify.Verifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL -> MySQL scenarios beyond single values: partitioned reads (every row exactly once, with text
 * keys split by the database's own collation), a case-insensitive key collapsing rows, composite keys with
 * NULLs, duplicates, column framing, and zone-less timestamps read in each side's zone.
 */
class VerifyScenariosTest {

    private static TestDatabases.Server pg;
    private static TestDatabases.Server my;

    @BeforeAll
    static void seed() throws Exception {
        pg = TestDatabases.postgres();
        my = TestDatabases.mysql();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS sc CASCADE", "CREATE SCHEMA sc",
                "CREATE TABLE sc.codes (code varchar(40) PRIMARY KEY, n int)",
                "INSERT INTO sc.codes SELECT CASE WHEN g % 3 = 0 THEN 'K' ELSE 'k' END || md5(g::text) || "
                        + "CASE WHEN g % 7 = 0 THEN '\u00e9' ELSE '' END, g FROM generate_series(1, 5000) g",
                "CREATE TABLE sc.ci (k varchar(10) PRIMARY KEY, v int)",
                "INSERT INTO sc.ci VALUES ('a', 1), ('A', 2), ('b', 3)",
                "CREATE TABLE sc.nokey (a int, b text, p text, q text)",
                "INSERT INTO sc.nokey VALUES (1, 'x', 'ab', 'c'), (1, 'y', 'p', 'q'), (2, NULL, 'n', 'n')",
                "CREATE TABLE sc.events (id int PRIMARY KEY, at timestamp(6))",
                "INSERT INTO sc.events VALUES (1, '2024-01-15 12:00:00'), (2, '2024-07-15 12:00:00.5')");
        my.exec("mysql", "DROP DATABASE IF EXISTS sc", "CREATE DATABASE sc",
                "CREATE TABLE sc.codes (code VARCHAR(40) COLLATE utf8mb4_bin PRIMARY KEY, n INT)",
                "CREATE TABLE sc.ci (k VARCHAR(10) PRIMARY KEY, v INT)",
                "INSERT INTO sc.ci VALUES ('a', 1), ('b', 3)",
                "CREATE TABLE sc.nokey (a INT, b TEXT, p TEXT, q TEXT)",
                "INSERT INTO sc.nokey VALUES (1, 'x', 'a', 'bc'), (1, 'y', 'p', 'q'), (1, 'y', 'p', 'q'), (2, NULL, 'n', 'n')",
                "CREATE TABLE sc.events (id INT PRIMARY KEY, at DATETIME(6))",
                "INSERT INTO sc.events VALUES (1, '2024-01-15 13:00:00'), (2, '2024-07-15 14:00:00.5')");
        // copy the 5000 codes but three
        try (var src = pg.connect("postgres"); var dst = my.connect("sc");
             var rs = src.createStatement().executeQuery("SELECT code, n FROM sc.codes WHERE n NOT IN (10, 2500, 4999)");
             var ins = dst.prepareStatement("INSERT INTO codes VALUES (?, ?)")) {
            while (rs.next()) {
                ins.setString(1, rs.getString(1));
                ins.setInt(2, rs.getInt(2));
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    private static Report run(String tables, String targetZone) {
        String yaml = "job: sc\nsource: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "target: {url: '" + my.url("sc") + "', user: " + my.user() + ", time_zone: " + targetZone + "}\n"
                + "tables:\n" + tables;
        return new Verifier(TestSpark.session(), m -> { }).verify(new ConfigLoader().parse(yaml, "sc.yaml"));
    }

    @Test
    void textKeysSplitIntoPartitionsReadEveryRowExactlyOnce() {
        TableReport t = run("  - {source: sc.codes, target: sc.codes, partitions: 7}\n", "UTC").tables().get(0);
        assertEquals(8, t.source().partitions(), "7 key ranges and the NULL-key predicate");
        assertTrue(t.source().partitioning().contains("quantiles"), t.source().partitioning());
        assertEquals(5000, t.source().rows());
        assertEquals(4997, t.target().rows());
        assertEquals(3, t.missing());
        assertEquals(0, t.extra() + t.changed() + t.duplicates().sourceKeys() + t.duplicates().targetKeys());
        assertEquals(3, t.samples().missing().size());
    }

    @Test
    void aCaseInsensitiveTargetKeyThatLostARowIsReported() {
        TableReport t = run("  - {source: sc.ci, target: sc.ci}\n", "UTC").tables().get(0);
        assertEquals(1, t.missing());
        assertEquals("A", t.samples().missing().get(0).get("k"));
    }

    @Test
    void compositeKeysNullKeysDuplicatesAndFraming() {
        TableReport t = run("  - {source: sc.nokey, target: sc.nokey, key: [a, b], null_keys: match}\n", "UTC").tables().get(0);
        assertEquals(1, t.changed(), "('ab','c') must differ from ('a','bc')");
        assertEquals(List.of("p", "q"), t.samples().changed().get(0).columns().keySet().stream().toList());
        assertEquals(1, t.duplicates().targetKeys());
        assertEquals(1, t.duplicates().targetSurplusRows());
        assertEquals(1, t.source().nullKeyRows());
        assertEquals(1, t.target().nullKeyRows());
        assertEquals(0, t.missing() + t.extra(), "the NULL-key row is equal by content");
        assertTrue(t.warnings().stream().anyMatch(w -> w.contains("NULL in the key")));
    }

    @Test
    void zoneLessTimestampsAreReadInEachSidesZone() {
        Report utc = run("  - {source: sc.events, target: sc.events}\n", "UTC");
        assertEquals(2, utc.tables().get(0).changed());
        Report berlin = run("  - {source: sc.events, target: sc.events}\n", "Europe/Berlin");
        assertEquals("CONSISTENT", berlin.status(), () -> berlin.tables().get(0).samples().changed().toString());
    }
}
