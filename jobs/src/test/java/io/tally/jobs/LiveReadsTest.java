package io.tally.jobs;

import io.tally.engine.report.ReadSnapshot;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.TableReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.tally.jobs.LiveLoad.Busy;
import io.tally.jobs.LiveLoad.Mover;
import io.tally.jobs.LiveLoad.Watcher;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verify against a database that keeps changing (docs/live-systems.md). A shadow table kept in step by a trigger,
 * as pt-online-schema-change builds one, is compared with its original while a writer keeps moving rows from one key
 * partition to another: read in one shared snapshot both sides agree; read partition by partition at their own
 * moments they do not. A table another transaction holds locked makes verify fail within the lock timeout, and the
 * connections each side opens never exceed its max_connections.
 */
class LiveReadsTest {

    private static final int ROWS = 60_000;
    private static final long AWAY = 1_000_000;

    @TempDir
    Path dir;

    @BeforeAll
    static void seed() throws Exception {
        TestSpark.session();
        TestDatabases.postgres().exec("postgres", "DROP SCHEMA IF EXISTS live_src CASCADE",
                "DROP SCHEMA IF EXISTS live_dst CASCADE", "CREATE SCHEMA live_src", "CREATE SCHEMA live_dst",
                "CREATE TABLE live_src.items (id bigint PRIMARY KEY, v text NOT NULL, n int NOT NULL)",
                "CREATE TABLE live_dst.items (LIKE live_src.items INCLUDING ALL)",
                "INSERT INTO live_src.items SELECT g, 'v' || g, g % 97 FROM generate_series(1, " + ROWS + ") g",
                "INSERT INTO live_dst.items SELECT * FROM live_src.items",
                """
                CREATE FUNCTION live_src.mirror() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' THEN DELETE FROM live_dst.items WHERE id = OLD.id; RETURN OLD; END IF;
                  IF TG_OP = 'UPDATE' THEN
                    UPDATE live_dst.items SET id = NEW.id, v = NEW.v, n = NEW.n WHERE id = OLD.id; RETURN NEW;
                  END IF;
                  INSERT INTO live_dst.items VALUES (NEW.id, NEW.v, NEW.n); RETURN NEW;
                END $$""",
                "CREATE TRIGGER mirror AFTER INSERT OR UPDATE OR DELETE ON live_src.items FOR EACH ROW "
                        + "EXECUTE FUNCTION live_src.mirror()",
                "CREATE TABLE live_src.locked (id bigint PRIMARY KEY, v text)",
                "CREATE TABLE live_dst.locked (LIKE live_src.locked INCLUDING ALL)",
                "INSERT INTO live_src.locked SELECT g, 'l' || g FROM generate_series(1, 100) g",
                "INSERT INTO live_dst.locked SELECT * FROM live_src.locked",
                "CREATE TABLE live_src.trunc (id bigint PRIMARY KEY, v text)",
                "CREATE TABLE live_dst.trunc (LIKE live_src.trunc INCLUDING ALL)",
                "INSERT INTO live_src.trunc SELECT g, 't' || g FROM generate_series(1, 100) g",
                "INSERT INTO live_dst.trunc SELECT * FROM live_src.trunc",
                "DROP ROLE IF EXISTS tally_cap_s", "DROP ROLE IF EXISTS tally_cap_t",
                // the server refuses a fourth connection: the cap is enforced, not only sampled
                "CREATE ROLE tally_cap_s LOGIN PASSWORD 'cap-s-pw' CONNECTION LIMIT 3",
                "CREATE ROLE tally_cap_t LOGIN PASSWORD 'cap-t-pw' CONNECTION LIMIT 3",
                "GRANT USAGE ON SCHEMA live_src, live_dst TO tally_cap_s, tally_cap_t",
                "GRANT SELECT ON ALL TABLES IN SCHEMA live_src, live_dst TO tally_cap_s, tally_cap_t");
    }

    private Path job(String name, String options, String sourceUser, String targetUser, String table,
                     String extra) throws Exception {
        var pg = TestDatabases.postgres();
        Files.writeString(dir.resolve("s.pw"), sourceUser.equals(pg.user()) ? pg.password() : "cap-s-pw");
        Files.writeString(dir.resolve("t.pw"), targetUser.equals(pg.user()) ? pg.password() : "cap-t-pw");
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, "job: " + name + "\n"
                + "source: {url: '" + pg.url("postgres") + "', user: " + sourceUser + ", password_file: '"
                + dir.resolve("s.pw") + "'" + extra + "}\n"
                + "target: {url: '" + pg.url("postgres") + "', user: " + targetUser + ", password_file: '"
                + dir.resolve("t.pw") + "'" + extra + "}\n"
                + "options: {" + options + "}\n"
                + "tables: [{name: " + table + ", source: live_src." + table + ", target: live_dst." + table
                + ", partitions: 4}]\n");
        return config;
    }

    private RepairScenariosTest.Run verify(Path config, String out) {
        return RepairScenariosTest.cli("verify", "--config", config.toString(), "--out", dir.resolve(out).toString());
    }

    private TableReport table(String out) throws Exception {
        return new ReportWriter().read(dir.resolve(out).resolve("report.json")).tables().get(0);
    }

    @Test
    void oneSnapshotKeepsAMovingTableComparableAndPartitionReadsAtTheirOwnMomentsDoNot() throws Exception {
        String user = TestDatabases.postgres().user();
        try (Mover mover = new Mover(ROWS, AWAY)) {
            while (mover.moved() < 500) {
                Thread.sleep(20);
            }
            for (String mode : new String[]{"full", "pushdown"}) {
                long before = mover.moved();
                var run = verify(job("snap_" + mode, "mode: " + mode, user, user, "items", ""), "snap_" + mode);
                assertTrue(mover.moved() - before > 200, "the writer moved rows while " + mode + " read: "
                        + (mover.moved() - before));
                assertEquals(TallyCli.CONSISTENT, run.code(), run.out() + run.err());
                TableReport t = table("snap_" + mode);
                assertEquals(mode, t.mode().used(), t.mode().reason());
                ReadSnapshot s = t.reads().source().snapshot();
                ReadSnapshot g = t.reads().target().snapshot();
                assertEquals(ReadSnapshot.EXPORTED, s.kind());
                assertEquals(s.id(), g.id(), "one database: the target imports the source's snapshot");
                assertTrue(g.guarantee().contains("shared by both sides"), g.guarantee());
                assertTrue(s.position() != null && s.snapshot() != null, s.toString());
                assertTrue(run.out().contains("snapshot source exported " + s.id()), run.out());
                if (mode.equals("full")) {
                    assertEquals(t.source().partitions(), s.connections(), "every partition reported its snapshot");
                    assertEquals(t.target().partitions(), g.connections());
                    assertTrue(s.connections() >= 4, t.source().partitioning());
                }
            }
            long before = mover.moved();
            var off = verify(job("snap_off", "mode: full, snapshot: 'off'", user, user, "items", ""), "snap_off");
            assertTrue(mover.moved() - before > 200, "the writer moved rows while the unsnapshotted read ran");
            assertEquals(TallyCli.DRIFT, off.code(), "partitions read at their own moments while rows moved between "
                    + "them must disagree: " + off.out());
            TableReport t = table("snap_off");
            assertEquals(ReadSnapshot.NONE, t.reads().source().snapshot().kind());
            assertTrue(t.missing() + t.extra() + t.duplicates().sourceKeys() + t.duplicates().targetKeys() > 0,
                    t.toString());
            assertTrue(t.warnings().stream().anyMatch(w -> w.contains("the source (each partition at its own moment)")
                    && w.contains("recheck")), "the report says the differences may be writes: " + t.warnings());
        }
        Hardening.checked("a table whose rows moved between partitions during verify compared CONSISTENT in one "
                + "snapshot (full and pushdown) and DRIFT without");
    }

    @Test
    void aLockedTableFailsWithinTheLockTimeoutAndTheHolderIsUntouched() throws Exception {
        String user = TestDatabases.postgres().user();
        Map<String, Double> longestWait = new ConcurrentHashMap<>();
        try (Connection holder = TestDatabases.postgres().connect("postgres");
             Statement h = holder.createStatement();
             Watcher watcher = new Watcher("SELECT coalesce(max(extract(epoch FROM now() - query_start)), 0) FROM "
                     + "pg_stat_activity WHERE application_name = 'tally' AND wait_event_type = 'Lock'",
                     longestWait)) {
            holder.setAutoCommit(false);
            h.execute("LOCK TABLE live_src.locked IN ACCESS EXCLUSIVE MODE");
            long t0 = System.nanoTime();
            var run = verify(job("locked", "lock_timeout: 1s", user, user, "locked", ""), "locked");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(TallyCli.ERROR, run.code(), run.out() + run.err());
            String err = run.err().strip();
            System.out.println("locked table: " + err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("lock timeout") && err.contains("options.lock_timeout"), err);
            assertFalse(Files.exists(dir.resolve("locked/report.json")), "no report for a failed read");
            assertTrue(seconds < 60, "verify gave up after " + seconds + " s");
            h.execute("SELECT count(*) FROM live_src.locked"); // the holder's transaction is alive and still ours
            holder.commit();
        }
        assertTrue(longestWait.getOrDefault("max", 0d) < 2.5, "a tally connection waited " + longestWait
                + " s for the lock, beyond lock_timeout 1s");
        Hardening.checked("verify gave up on a locked table within lock_timeout and left the lock holder alone");
    }

    @Test
    void aMySqlTableLockedByAnotherSessionFailsWithinTheLockTimeout() throws Exception {
        var my = TestDatabases.mysql();
        var pg = TestDatabases.postgres();
        my.exec("mysql", "DROP DATABASE IF EXISTS live", "CREATE DATABASE live",
                "CREATE TABLE live.locked (id BIGINT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO live.locked VALUES (1, 'l1'), (2, 'l2')");
        Files.writeString(dir.resolve("my.pw"), my.password());
        Files.writeString(dir.resolve("pg.pw"), pg.password());
        Path config = dir.resolve("mylock.yaml");
        Files.writeString(config, "job: mylock\n"
                + "source: {url: '" + my.url("live") + "', user: " + my.user() + ", password_file: '" + dir.resolve("my.pw") + "'}\n"
                + "target: {url: '" + pg.url("postgres") + "', user: " + pg.user() + ", password_file: '" + dir.resolve("pg.pw") + "'}\n"
                + "options: {lock_timeout: 1s}\n"
                + "tables: [{name: locked, source: live.locked, target: live_dst.locked, partitions: 1}]\n");
        try (Connection holder = my.connect("live"); Statement h = holder.createStatement()) {
            h.execute("LOCK TABLES live.locked WRITE"); // other sessions' reads wait for its metadata lock
            long t0 = System.nanoTime();
            var run = verify(config, "mylock");
            double seconds = (System.nanoTime() - t0) / 1e9;
            String err = run.err().strip();
            System.out.println("locked MySQL table: " + err);
            assertEquals(TallyCli.ERROR, run.code(), run.out() + err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("options.lock_timeout"), err);
            assertTrue(seconds < 60, "verify gave up after " + seconds + " s");
            h.execute("UNLOCK TABLES");
        }
        Hardening.checked("verify gave up on a MySQL table another session locked, within lock_timeout");
    }

    @Test
    void aBusyServerHoldsTheReadsBackUntilItQuietensOrMaxWaitPasses() throws Exception {
        String user = TestDatabases.postgres().user();
        String throttle = ", throttle: {max_running: 0, max_wait: %s}";
        try (Busy ignored = new Busy(120)) {
            var gaveUp = verify(job("busy_short", "", user, user, "locked", throttle.formatted("1s")), "busy_short");
            assertEquals(TallyCli.ERROR, gaveUp.code(), gaveUp.out() + gaveUp.err());
            assertTrue(gaveUp.err().contains("throttle.max_wait 1s") && gaveUp.err().contains("statement(s) running"),
                    gaveUp.err());
        }
        RepairScenariosTest.Run[] waited = new RepairScenariosTest.Run[1];
        long t0 = System.nanoTime();
        try (Busy busy = new Busy(120)) {
            Path config = job("busy", "mode: full", user, user, "locked", throttle.formatted("1m"));
            Thread verify = new Thread(() -> waited[0] = verify(config, "busy"), "verify");
            verify.start();
            boolean seen = false;
            try (Connection c = TestDatabases.postgres().connect("postgres"); Statement s = c.createStatement()) {
                for (int i = 0; i < 800 && !(seen = throttled(s)); i++) { // up to 40 s on a slow machine
                    Thread.sleep(50);
                }
            }
            System.out.println("busy: reads seen held by the throttle: " + seen);
            Thread.sleep(1500); // the reads stay held while the other statement runs
            busy.close();
            verify.join();
        }
        assertEquals(TallyCli.CONSISTENT, waited[0].code(), waited[0].out() + waited[0].err());
        TableReport.Reads reads = table("busy").reads(); // both sides throttle; whichever read while it ran waited
        assertTrue(reads.source().throttledMillis() + reads.target().throttledMillis() >= 1000
                && reads.source().partitionsThrottled() + reads.target().partitionsThrottled() >= 1, reads.toString());
        assertTrue(waited[0].out().contains("throttle held source reads"), waited[0].out());
        assertTrue((System.nanoTime() - t0) / 1e9 < 150);
        Hardening.checked("a throttle held verify's reads while another application's statement ran, and gave up "
                + "after max_wait");
    }

    @Test
    void chunkTimeSizesPartitionsFromTheMeasuredReadRate() throws Exception {
        var pg = TestDatabases.postgres();
        Files.writeString(dir.resolve("pg.pw"), pg.password());
        for (String chunk : new String[]{"1ms", "1m"}) {
            Path config = dir.resolve("chunk.yaml");
            Files.writeString(config, "job: chunk\n"
                    + "source: {url: '" + pg.url("postgres") + "', user: " + pg.user() + ", password_file: '" + dir.resolve("pg.pw") + "'}\n"
                    + "target: {url: '" + pg.url("postgres") + "', user: " + pg.user() + ", password_file: '" + dir.resolve("pg.pw") + "'}\n"
                    + "options: {mode: full, chunk_time: " + chunk + "}\n"
                    + "tables: [{name: items, source: live_src.items, target: live_dst.items}]\n");
            var run = verify(config, "chunk_" + chunk);
            assertEquals(TallyCli.CONSISTENT, run.code(), run.out() + run.err());
            var side = table("chunk_" + chunk).source();
            assertTrue(side.partitioning().contains("sized for chunk_time " + chunk), side.partitioning());
            assertTrue(chunk.equals("1m") ? side.partitions() == 1 : side.partitions() > 2,
                    side.partitions() + " partition(s): " + side.partitioning());
        }
    }

    @Test
    void aTableTruncatedAfterTheSnapshotWasTakenStopsTheRun() throws Exception {
        String user = TestDatabases.postgres().user();
        Path config = job("trunc", "mode: full", user, user, "trunc", ", throttle: {max_running: 0, max_wait: 1m}");
        RepairScenariosTest.Run[] run = new RepairScenariosTest.Run[1];
        try (Busy busy = new Busy(120)) { // holds the reads back after the snapshot was exported
            Thread verify = new Thread(() -> run[0] = verify(config, "trunc"), "verify");
            verify.start();
            try (Connection c = TestDatabases.postgres().connect("postgres"); Statement s = c.createStatement()) {
                for (int i = 0; i < 600 && !throttled(s); i++) {
                    Thread.sleep(50);
                }
                s.execute("TRUNCATE live_dst.trunc");
                s.execute("INSERT INTO live_dst.trunc SELECT * FROM live_src.trunc"); // the same rows, a new file
            }
            busy.close();
            verify.join();
        }
        assertEquals(TallyCli.ERROR, run[0].code(), run[0].out() + run[0].err());
        assertTrue(run[0].err().contains("truncated or rewritten") && run[0].err().contains("live_dst.trunc"),
                run[0].err());
        Hardening.checked("a table truncated after the snapshot was taken stopped the run instead of being compared");
    }

    /** Whether a Tally read is being held by its throttle: the holder idles and a load query has run. */
    private static boolean throttled(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE state = 'idle in transaction'), "
                + "count(*) FILTER (WHERE query LIKE '%pg_stat_activity WHERE state = ''active''%') "
                + "FROM pg_stat_activity WHERE application_name = 'tally'")) {
            rs.next();
            return rs.getLong(1) > 0 && rs.getLong(2) > 0;
        }
    }

    @Test
    void eachSideOpensNoMoreConnectionsThanItsCap() throws Exception {
        Map<String, Double> most = new ConcurrentHashMap<>();
        try (Watcher s = new Watcher("SELECT count(*) FROM pg_stat_activity WHERE usename = 'tally_cap_s'", most,
                "source");
             Watcher t = new Watcher("SELECT count(*) FROM pg_stat_activity WHERE usename = 'tally_cap_t'", most,
                     "target")) {
            var run = verify(job("cap", "mode: full", "tally_cap_s", "tally_cap_t", "items", ", max_connections: 3"),
                    "cap");
            assertTrue(run.code() == TallyCli.CONSISTENT || run.code() == TallyCli.DRIFT, run.out() + run.err());
            TableReport r = table("cap");
            assertEquals(1, r.source().partitions(), "max_connections 3: the catalog, the snapshot holder, one reader");
        }
        assertTrue(most.get("source") <= 3 && most.get("target") <= 3, "connections seen at once: " + most);
        assertTrue(most.get("source") >= 2, "the watcher saw the run: " + most);

        var two = verify(job("cap2", "mode: full", "tally_cap_s", "tally_cap_t", "items", ", max_connections: 2"),
                "cap2");
        assertEquals(TallyCli.ERROR, two.code(), two.out() + two.err());
        assertTrue(two.err().contains("max_connections is 2") && two.err().contains("snapshot: off"), two.err());
        Hardening.checked("each side stayed within max_connections while reading (catalog, snapshot holder, readers)");
        Hardening.badInput();
    }
}
