package io.tally.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A repair killed with SIGKILL at random points (a separate JVM, so nothing gets to clean up), then run again,
 * ends with the target identical to the source: no duplicate, no lost row. The seed is printed so a failing
 * schedule can be replayed with -Dtally.killSeed=N.
 */
class RepairKillTest {

    private static final int ROWS = 12_000;
    private static final int BATCH = 20;
    private static final int KILLS = 3;

    @Test
    void killedRepairsConvergeWhenRunAgain(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        TestDatabases.Server my = TestDatabases.mysql();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS kill_src CASCADE", "CREATE SCHEMA kill_src",
                "CREATE TABLE kill_src.big (id integer PRIMARY KEY, v varchar(40), n numeric(12,2))",
                "INSERT INTO kill_src.big SELECT i, 'value ' || i, i * 1.25 FROM generate_series(1, " + ROWS + ") i");
        my.exec("mysql", "DROP DATABASE IF EXISTS kill_tgt", "CREATE DATABASE kill_tgt",
                "CREATE TABLE kill_tgt.big (id INT PRIMARY KEY, v VARCHAR(40), n DECIMAL(12,2))");
        // The copy died a third of the way in; some copied rows were since edited, and junk was written.
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= ROWS / 3; i++) {
            rows.append(rows.isEmpty() ? "" : ", ").append("(").append(i).append(", 'value ")
                    .append(i % 10 == 0 ? "edited" : i).append("', ").append(i * 1.25).append(")");
        }
        my.exec("kill_tgt", "INSERT INTO big VALUES " + rows,
                "INSERT INTO big SELECT id + 100000, v, n FROM big WHERE id <= 300");
        Path pw = dir.resolve("pw");
        Files.writeString(pw, my.password() == null ? "" : my.password());
        Path pgPw = dir.resolve("pgpw");
        Files.writeString(pgPw, pg.password() == null ? "" : pg.password());
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "job: kill\n"
                + "source: {url: '" + pg.url("postgres") + "', user: " + pg.user() + ", password_file: '" + pgPw + "'}\n"
                + "target: {url: '" + my.url("kill_tgt") + "', user: " + my.user() + ", password_file: '" + pw + "'}\n"
                + "tables:\n  - {name: big, source: kill_src.big, target: kill_tgt.big}\n");
        Path out = dir.resolve("run");
        var verify = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out", out.toString(), "--plan");
        assertEquals(1, verify.code(), verify.err());
        int upsertBatches = (ROWS - ROWS / 3 + ROWS / 30 + BATCH - 1) / BATCH;

        long seed = Long.getLong("tally.killSeed", System.nanoTime());
        System.out.println("kill schedule seed: " + seed + " (replay with -Dtally.killSeed=" + seed + ")");
        Random random = new Random(seed);
        List<Integer> recordedAfterKill = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            Process p = repair(out);
            waitFor(p.getInputStream(), "applying");
            if (k > 0) {
                // Later kills wait until this run has committed a random number of batches, then land mid-batch.
                int until = recordedAfterKill.get(k - 1) + 1 + random.nextInt(upsertBatches / (2 * KILLS));
                long deadline = System.currentTimeMillis() + 120_000;
                while (ledgerBatches(my) < until && p.isAlive() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
            }
            Thread.sleep(random.nextInt(k == 0 ? 400 : 50)); // the first kill may land before any batch
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback from the client
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            recordedAfterKill.add(ledgerBatches(my));
            assertEquals("0", count(my, "SELECT COUNT(*) FROM (SELECT id FROM kill_tgt.big GROUP BY id "
                    + "HAVING COUNT(*) > 1) d"), "a killed repair left a duplicate");
        }
        System.out.println("ledger batches after each kill: " + recordedAfterKill + " of " + upsertBatches + " upserts");
        assertTrue(recordedAfterKill.stream().anyMatch(n -> n > 0 && n < upsertBatches),
                "no kill landed in the middle of the upserts: " + recordedAfterKill);

        Process last = repair(out);
        String output = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(last.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, last.exitValue(), output);
        assertTrue(output.contains("done by an earlier run"), output);

        var after = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out", dir.resolve("after").toString());
        assertEquals(0, after.code(), after.out());
        assertEquals(Integer.toString(ROWS), count(my, "SELECT COUNT(*) FROM kill_tgt.big"));
    }

    /** Starts {@code tally repair} in its own JVM with the test's class path and Spark's JVM flags. */
    private static Process repair(Path out) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try (InputStream flags = RepairKillTest.class.getResourceAsStream("/tally-jvm.flags")) {
            String text = new String(flags.readAllBytes(), StandardCharsets.UTF_8).trim();
            cmd.addAll(Arrays.asList(text.split("\\s+")));
        }
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), TallyCli.class.getName(),
                "repair", "--plan", out.toString(), "--batch-size", Integer.toString(BATCH)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static void waitFor(InputStream in, String marker) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.contains(marker)) {
                Thread drain = new Thread(() -> {
                    try {
                        r.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the process was killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IllegalStateException("repair ended before it printed '" + marker + "'");
    }

    private static int ledgerBatches(TestDatabases.Server my) {
        try {
            return Integer.parseInt(count(my, "SELECT COUNT(*) FROM kill_tgt.tally_repair_ledger"));
        } catch (Exception notCreatedYet) {
            return 0;
        }
    }

    private static String count(TestDatabases.Server s, String sql) throws Exception {
        try (var c = s.connect("mysql"); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
