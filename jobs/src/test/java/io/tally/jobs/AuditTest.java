package io.tally.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audits of a PostgreSQL source replicated to MySQL with a lag, while a writer keeps updating: the first audit
 * reads every row, finds tens of differences in flight and two real ones; after two rechecks only the real two
 * are drift. Once the target is whole a consistent audit leaves marks, and the next audit reads only the rows
 * changed since, catching a change that never replicated. A second audit of the job while one holds the lock
 * is skipped with exit 3.
 */
class AuditTest {

    private static final int ROWS = 2000;
    private static final long LAG_MS = 1000;
    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @Test
    void auditsUnderLiveWritesReportOnlyPersistingDriftAndReadOnlyChangedRows(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        TestDatabases.Server my = TestDatabases.mysql();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS au_src CASCADE", "CREATE SCHEMA au_src",
                "CREATE TABLE au_src.accounts (id INT PRIMARY KEY, balance NUMERIC(12,2) NOT NULL, "
                        + "updated_at TIMESTAMP(6) NOT NULL)",
                "INSERT INTO au_src.accounts SELECT g, g * 10, TIMESTAMP '2026-01-01 00:00:00' + g * INTERVAL '1 second' "
                        + "FROM generate_series(1, " + ROWS + ") g");
        my.exec("mysql", "DROP DATABASE IF EXISTS au", "CREATE DATABASE au",
                "CREATE TABLE au.accounts (id INT PRIMARY KEY, balance DECIMAL(12,2) NOT NULL, updated_at DATETIME(6) NOT NULL)");
        copy(pg, my);
        // real drift the replication did not cause: a changed balance and a lost row
        my.exec("au", "UPDATE accounts SET balance = -1 WHERE id = 7", "DELETE FROM accounts WHERE id = 1999");

        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "job: au\nsource: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "target: {url: '" + my.url("au") + "', user: " + my.user() + "}\n"
                + "checks: {stats: false}\nrecheck: {generations: 2, delay: 3s}\n"
                + "tables: [{name: accounts, source: au_src.accounts, target: accounts,\n"
                + "          incremental: {watermark: updated_at, overlap: 0s}}]\n");

        List<Integer> keys = new ArrayList<>();
        for (int i = 20; i < ROWS - 10; i++) {
            keys.add(i); // never 7 or 1999, each key written once: a key in flight is settled after the lag
        }
        Collections.shuffle(keys, new Random(42));
        Writer writer = new Writer(pg, my, keys);
        writer.start();
        RepairScenariosTest.Run first;
        try {
            Thread.sleep(1500); // replication is running and lagging
            first = RepairScenariosTest.cli("audit", "--config", config.toString(), "--out", dir.resolve("a1").toString());
        } finally {
            writer.stop();
        }
        assertEquals(1, first.code(), first.out() + first.err());
        JsonNode t = table(dir.resolve("a1"));
        assertEquals("full", t.at("/scope/read").asText(), "no earlier audit: every row is read");
        assertEquals(ROWS, t.at("/source/rows").asLong(), "pushdown compares every row, reads the differing ranges");
        JsonNode r = t.get("recheck");
        assertTrue(r.get("in_flight").asLong() >= 1, "writes were in flight while reading: " + r);
        assertEquals(2, r.get("persisting").asLong(), "only the real drift persists: " + r);
        assertEquals(r.get("rechecked").asLong(), r.get("in_flight").asLong() + 2, r.toString());
        assertEquals(1, t.get("missing").asLong(), t.toString());
        assertEquals(1, t.get("changed").asLong(), t.toString());
        assertEquals(0, t.get("extra").asLong(), t.toString());
        assertEquals("1999", t.at("/samples/missing/0/id").asText());
        assertEquals("7", t.at("/samples/changed/0/key/id").asText());
        assertEquals(1, t.at("/columns").findValues("differences").stream().mapToLong(JsonNode::asLong).sum(),
                "one column of one persisting row differs");
        assertTrue(first.out().contains("in flight") && first.out().contains("2 persisting"), first.out());
        // where each side stood when the table was read
        assertEquals("lsn", t.at("/positions/source/kind").asText(), t.toString());
        assertTrue(t.at("/positions/source/value").asText().matches("[0-9A-F]+/[0-9A-F]+"), t.toString());
        assertEquals("binlog", t.at("/positions/target/kind").asText(), t.toString());
        assertTrue(t.at("/positions/target/value").asText().matches("binlog\\.\\d+:\\d+"), t.toString());

        // repaired by hand; the audit that finds the table whole leaves marks. One row is dated far in the future:
        // the mark must stay at now, or every later audit would read nothing
        pg.exec("postgres", "UPDATE au_src.accounts SET updated_at = '9999-12-31 00:00:00' WHERE id = 1500");
        copy(pg, my);
        RepairScenariosTest.Run second = RepairScenariosTest.cli("audit", "--config", config.toString(), "--out",
                dir.resolve("a2").toString());
        assertEquals(0, second.code(), second.out() + second.err());
        assertEquals("full", table(dir.resolve("a2")).at("/scope/read").asText(), "the last audit found drift");
        assertTrue(table(dir.resolve("a2")).at("/scope/source_next").asText().startsWith("20"),
                "capped at now: " + table(dir.resolve("a2")).get("scope"));

        // five rows change on both sides; one change reaches only the source
        String later = TIME.format(LocalDateTime.now(ZoneOffset.UTC).plusMinutes(1));
        for (int id = 100; id < 105; id++) {
            pg.exec("postgres", "UPDATE au_src.accounts SET balance = balance + 5, updated_at = '" + later + "' WHERE id = " + id);
            my.exec("au", "UPDATE accounts SET balance = balance + 5, updated_at = '" + later + "' WHERE id = " + id);
        }
        pg.exec("postgres", "UPDATE au_src.accounts SET balance = 0, updated_at = '" + later + "' WHERE id = 12");
        RepairScenariosTest.Run third = RepairScenariosTest.cli("audit", "--config", config.toString(), "--out",
                dir.resolve("a3").toString());
        assertEquals(1, third.code(), third.out() + third.err());
        JsonNode inc = table(dir.resolve("a3"));
        assertEquals("incremental", inc.at("/scope/read").asText(), inc.toString());
        String since = inc.at("/scope/source_since").asText();
        long changedSince = count(pg, "SELECT COUNT(*) FROM au_src.accounts WHERE updated_at >= '" + since + "'");
        assertEquals(changedSince, inc.at("/mode/source_rows_read").asLong(), "only rows at or above the mark: " + inc);
        assertTrue(changedSince >= 6 && changedSince < 20, "the six changed rows and the mark's own: " + changedSince);
        assertTrue(inc.at("/mode/target_rows_read").asLong() < 20, inc.toString());
        assertEquals(1, inc.at("/recheck/persisting").asLong(), "row 12 never reached the target: " + inc);
        // the target's stale row 12 is out of its scope, but it exists: compared whole by key, it is a changed row
        assertEquals(List.of(0L, 0L, 1L), List.of(inc.get("missing").asLong(), inc.get("extra").asLong(),
                inc.get("changed").asLong()), inc.toString());
        assertEquals("12", inc.at("/samples/changed/0/key/id").asText(), inc.toString());

        // one audit per job at a time
        var history = io.tally.engine.history.HistoryStore.open(TestSpark.session(),
                new io.tally.engine.config.ConfigLoader().load(config).history());
        try (var lock = history.lockAudit("au")) {
            assertTrue(lock.acquired());
            RepairScenariosTest.Run busy = RepairScenariosTest.cli("audit", "--config", config.toString(), "--out",
                    dir.resolve("a4").toString());
            assertEquals(3, busy.code(), busy.out() + busy.err());
            assertTrue(busy.out().contains("skipped: another audit"), busy.out());
            assertTrue(Files.notExists(dir.resolve("a4/report.json")), "nothing read, nothing written");
        }
        RepairScenariosTest.Run history4 = RepairScenariosTest.cli("history", "--config", config.toString());
        assertTrue(history4.out().contains("~"), "the first audit's in-flight count shows: " + history4.out());
    }

    /**
     * {@code verify --plan} with rechecks: the sleeper stands in for replication catching up during the wait (it
     * repairs one of three damaged rows), so the plan and the counts hold only the two that persisted.
     */
    @Test
    void planHoldsOnlyPersistingDifferences(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS rp CASCADE", "CREATE SCHEMA rp",
                "CREATE TABLE rp.src (id INT PRIMARY KEY, v TEXT)",
                "INSERT INTO rp.src SELECT g, 'v' || g FROM generate_series(1, 300) g",
                "CREATE TABLE rp.tgt AS SELECT * FROM rp.src", "ALTER TABLE rp.tgt ADD PRIMARY KEY (id)",
                "UPDATE rp.tgt SET v = 'late' WHERE id IN (10, 20)", "DELETE FROM rp.tgt WHERE id = 30");
        Path config = dir.resolve("job.yaml");
        String side = "{url: '" + pg.url("postgres") + "', user: " + pg.user() + "}";
        Files.writeString(config, "job: rp\nsource: " + side + "\ntarget: " + side + "\n"
                + "checks: {stats: false}\nrecheck: {generations: 2, delay: 1s}\n"
                + "tables: [{name: t, source: rp.src, target: rp.tgt}]\n");
        var job = new io.tally.engine.config.ConfigLoader().load(config);
        var spark = TestSpark.session();
        var planWriter = new io.tally.engine.plan.PlanWriter(spark, dir.resolve("out"));
        planWriter.clear();
        AtomicInteger waits = new AtomicInteger();
        var report = new io.tally.engine.verify.Verifier(spark, msg -> { })
                .withSleeper(seconds -> {
                    assertEquals(1, seconds);
                    if (waits.incrementAndGet() == 1) {
                        try {
                            pg.exec("postgres", "UPDATE rp.tgt SET v = 'v20' WHERE id = 20"); // the write lands
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                })
                .verify(job, planWriter);
        var t = report.tables().get(0);
        assertEquals(2, waits.get(), "two generations, each after its wait");
        assertEquals(1, t.recheck().inFlight());
        assertEquals(2, t.recheck().persisting());
        assertEquals(1, t.changed(), "row 20 was in flight");
        assertEquals(1, t.missing());
        var planned = io.tally.engine.plan.PlanFiles.load(planWriter.dir()).manifest().table("t");
        assertEquals(1, planned.inserts());
        assertEquals(1, planned.updates(), "only row 10 is planned for update");
    }

    private static JsonNode table(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("tables").get(0);
    }

    private static long count(TestDatabases.Server pg, String sql) throws Exception {
        try (Connection c = pg.connect("postgres"); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Makes the MySQL copy equal to the source. */
    private static void copy(TestDatabases.Server pg, TestDatabases.Server my) throws Exception {
        try (Connection s = pg.connect("postgres"); Connection t = my.connect("au")) {
            t.createStatement().execute("DELETE FROM accounts");
            t.setAutoCommit(false);
            try (var st = s.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, balance::text, updated_at::text FROM au_src.accounts");
                 PreparedStatement ins = t.prepareStatement("INSERT INTO accounts VALUES (?, ?, ?)")) {
                while (rs.next()) { // as text: no driver converts the zone-less times
                    ins.setInt(1, rs.getInt(1));
                    ins.setString(2, rs.getString(2));
                    ins.setString(3, rs.getString(3));
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            t.commit();
        }
    }

    /** Updates one source row every 20 ms and applies the same change to the target a second later. */
    private static final class Writer {
        private final TestDatabases.Server pg;
        private final TestDatabases.Server my;
        private final List<Integer> keys;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger written = new AtomicInteger();
        private final ScheduledExecutorService replica = Executors.newSingleThreadScheduledExecutor();
        private Thread thread;
        private Connection target;
        private volatile Exception failure;

        Writer(TestDatabases.Server pg, TestDatabases.Server my, List<Integer> keys) {
            this.pg = pg;
            this.my = my;
            this.keys = keys;
        }

        void start() throws Exception {
            target = my.connect("au");
            thread = new Thread(() -> {
                try (Connection source = pg.connect("postgres");
                     PreparedStatement up = source.prepareStatement("UPDATE au_src.accounts SET balance = balance + 1, "
                             + "updated_at = CAST(? AS timestamp) WHERE id = ? RETURNING balance::text")) {
                    for (int i = 0; running.get() && i < keys.size(); i++) {
                        int id = keys.get(i);
                        String now = TIME.format(LocalDateTime.now(ZoneOffset.UTC));
                        up.setString(1, now);
                        up.setInt(2, id);
                        String balance;
                        try (ResultSet rs = up.executeQuery()) {
                            rs.next();
                            balance = rs.getString(1);
                        }
                        replica.schedule(() -> apply(target, id, balance, now), LAG_MS, TimeUnit.MILLISECONDS);
                        written.incrementAndGet();
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    failure = e;
                }
            });
            thread.start();
        }

        private void apply(Connection target, int id, String balance, String at) {
            try (PreparedStatement ps = target.prepareStatement("UPDATE accounts SET balance = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, balance);
                ps.setString(2, at);
                ps.setInt(3, id);
                ps.executeUpdate();
            } catch (Exception e) {
                failure = e;
            }
        }

        void stop() throws Exception {
            running.set(false);
            thread.join();
            replica.shutdown(); // pending changes still replicate
            assertTrue(replica.awaitTermination(30, TimeUnit.SECONDS));
            target.close();
            if (failure != null) {
                throw failure;
            }
            assertTrue(written.get() > 50, "the writer kept writing: " + written.get());
        }
    }
}
