package io.tally.jobs;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A repair killed with SIGKILL at random points (a separate JVM, so nothing gets to clean up) while another writer
 * keeps the target busy, then run again, ends with the target identical to the source: no duplicate, no lost row.
 * Twenty kill points in all, over a MySQL, a PostgreSQL and a MongoDB target. The seed is printed so a failing
 * schedule can be replayed with -Dtally.killSeed=N.
 */
class RepairKillTest {

    private static final int ROWS = 12_000;
    private static final int BATCH = 20;
    private static final AtomicInteger KILLED = new AtomicInteger();

    @AfterAll
    static void tally() {
        Hardening.faults(KILLED.get(), "repair kill points");
    }

    @ParameterizedTest(name = "{0} -> {1}, {2} kills")
    @CsvSource({"postgresql, mysql, 8", "mysql, postgresql, 6", "postgresql, mongodb, 6"})
    void killedRepairsConvergeWhenRunAgain(String from, String to, int kills, @TempDir Path dir) throws Exception {
        KillTarget target = KillTarget.of(to);
        KillTarget source = KillTarget.of(from);
        source.createSource(ROWS);
        target.createPartialCopy(ROWS);
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "job: kill-" + from + "-" + to + "\n"
                + "source: " + source.endpoint(dir, "kill_src") + "\n"
                + "target: " + target.endpoint(dir, "kill_tgt") + "\n"
                + "tables:\n  - {name: big, source: kill_src.big, target: kill_tgt.big" + target.tableExtras() + "}\n");
        Path out = dir.resolve("run");
        var verify = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out", out.toString(), "--plan");
        assertEquals(1, verify.code(), verify.err());
        int upsertBatches = (ROWS - ROWS / 3 + ROWS / 30 + BATCH - 1) / BATCH;

        long seed = Long.getLong("tally.killSeed", System.nanoTime());
        System.out.println("kill schedule seed: " + seed + " (replay with -Dtally.killSeed=" + seed + ")");
        Random random = new Random(seed);
        List<Integer> recordedAfterKill = new ArrayList<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread load = new Thread(() -> target.keepWriting(loading), "kill-test-load");
        load.setDaemon(true);
        load.start();
        try {
            for (int k = 0; k < kills; k++) {
                long t0 = System.nanoTime();
                Process p = repair(out);
                waitFor(p.getInputStream(), "applying");
                System.out.printf("kill %d: repair applying after %.1f s%n", k, (System.nanoTime() - t0) / 1e9);
                if (k > 0) {
                    // Later kills wait until this run has committed a random number of batches, then land mid-batch.
                    int until = recordedAfterKill.get(k - 1) + 1 + random.nextInt(Math.max(1, upsertBatches / (2 * kills)));
                    long deadline = System.currentTimeMillis() + 120_000;
                    while (target.ledgerBatches() < until && p.isAlive() && System.currentTimeMillis() < deadline) {
                        Thread.sleep(10);
                    }
                }
                Thread.sleep(random.nextInt(k == 0 ? 400 : 50)); // the first kill may land before any batch
                boolean killedMidRun = p.isAlive(); // each kill must land in a running repair: twenty real kill points
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback from the client
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertTrue(killedMidRun, "repair " + k + " finished before it could be killed");
                KILLED.incrementAndGet();
                recordedAfterKill.add(target.ledgerBatches());
                assertEquals(0, target.duplicateKeys(), "a killed repair left a duplicate");
            }
        } finally {
            loading.set(false);
            load.join(10_000);
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
        assertEquals(ROWS, target.rows());
        Hardening.checked("no row lost or duplicated after " + kills + " kills of a repair into " + to);
    }

    /** Starts {@code tally repair} in its own JVM with the test's class path and Spark's JVM flags. */
    private static Process repair(Path out) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try (InputStream flags = RepairKillTest.class.getResourceAsStream("/tally-jvm.flags")) {
            String text = new String(flags.readAllBytes(), StandardCharsets.UTF_8).trim();
            cmd.addAll(Arrays.asList(text.split("\\s+")));
        }
        // C1 only: the repair JVM lives seconds and waits on the database; start-up is most of its time
        cmd.addAll(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), TallyCli.class.getName(),
                "repair", "--plan", out.toString(), "--batch-size", Integer.toString(BATCH)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static void waitFor(InputStream in, String marker) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        long t0 = System.nanoTime();
        while ((line = r.readLine()) != null) {
            if (System.getenv("TALLY_KILL_TRACE") != null) { // prints each repair line with its time
                System.out.printf("%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, line);
            }
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
}
