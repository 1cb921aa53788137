package io.tally.jobs;

import io.tally.engine.config.ConfigLoader;
import io.tally.engine.history.HistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history kept in a PostgreSQL table instead of Parquet files: verify appends there (the table is created in
 * its schema on first use), {@code tally history} reads the trend back and flags the regression, and audit locks are
 * advisory locks one session at a time holds.
 */
class PostgresHistoryTest {

    @Test
    void historyInPostgresShowsTheTrendAndLocksAudits(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS ph CASCADE", "CREATE SCHEMA ph",
                "CREATE TABLE ph.items (id INT PRIMARY KEY, name TEXT)",
                "INSERT INTO ph.items SELECT g, 'item ' || g FROM generate_series(1, 50) g",
                "CREATE TABLE ph.copy AS SELECT * FROM ph.items", "ALTER TABLE ph.copy ADD PRIMARY KEY (id)");
        Path config = dir.resolve("job.yaml");
        String endpoint = "{url: '" + pg.url("postgres") + "', user: " + pg.user() + "}";
        Files.writeString(config, "job: ph\nsource: " + endpoint + "\ntarget: " + endpoint + "\n"
                + "checks: {stats: false}\nhistory: {database: " + endpoint + ", table: ph.runs}\n"
                + "tables: [{name: items, source: ph.items, target: ph.copy}]\n");
        assertEquals(0, RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                dir.resolve("v1").toString()).code());
        pg.exec("postgres", "DELETE FROM ph.copy WHERE id > 45");
        RepairScenariosTest.Run second = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                dir.resolve("v2").toString());
        assertEquals(1, second.code(), second.out() + second.err());
        assertTrue(second.out().contains("history: appended to table \"ph\".\"runs\""), second.out());
        assertFalse(Files.exists(dir.resolve("tally-history")), "no Parquet history beside the job file");
        try (var c = pg.connect("postgres"); var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT run_id), sum(missing) FROM ph.runs WHERE job = 'ph'")) {
            rs.next();
            assertEquals(4, rs.getLong(1), "two runs, each a table row and a (job) row");
            assertEquals(2, rs.getLong(2));
            assertEquals(5, rs.getLong(3));
        }

        RepairScenariosTest.Run history = RepairScenariosTest.cli("history", "--config", config.toString());
        assertEquals(1, history.code(), "the newest run regressed: " + history.out() + history.err());
        assertTrue(history.out().contains("2 run(s) in table \"ph\".\"runs\""), history.out());
        assertTrue(history.out().contains("REGRESSION items at") && history.out().contains("differences 0 -> 5"),
                history.out());

        HistoryStore store = HistoryStore.open(TestSpark.session(), new ConfigLoader().load(config).history());
        try (var first = store.lockAudit("ph")) {
            assertTrue(first.acquired());
            try (var again = store.lockAudit("ph"); var other = store.lockAudit("another job")) {
                assertFalse(again.acquired(), "one audit of a job at a time");
                assertTrue(again.heldBy().contains("advisory lock"), again.heldBy());
                assertTrue(other.acquired(), "audits of other jobs are not held up");
            }
        }
        try (var after = store.lockAudit("ph")) {
            assertTrue(after.acquired(), "released when its holder closed");
        }

        Files.writeString(dir.resolve("bad.yaml"), Files.readString(config).replace("history: {database: {url: 'jdbc:postgresql",
                "history: {database: {url: 'jdbc:mysql"));
        RepairScenariosTest.Run bad = RepairScenariosTest.cli("verify", "--config", dir.resolve("bad.yaml").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("history.database.url must be a PostgreSQL JDBC URL"), bad.err());
    }
}
