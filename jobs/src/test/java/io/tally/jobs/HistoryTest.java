package io.tally.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Five verifications of one job while its target gets worse, better and worse again: each appends to the Parquet
 * history beside the job file, and {@code tally history}, run in a new JVM, shows the five runs in order with the
 * differences per table, flags both regressions, and exits 1 because the newest run regressed.
 */
class HistoryTest {

    @Test
    void historySurvivesTheProcessAndFlagsRegressions(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS hs_src CASCADE", "DROP SCHEMA IF EXISTS hs_tgt CASCADE",
                "CREATE SCHEMA hs_src", "CREATE SCHEMA hs_tgt",
                "CREATE TABLE hs_src.items (id INT PRIMARY KEY, name TEXT)",
                "INSERT INTO hs_src.items SELECT g, 'item ' || g FROM generate_series(1, 100) g",
                "CREATE TABLE hs_tgt.items AS SELECT * FROM hs_src.items", "ALTER TABLE hs_tgt.items ADD PRIMARY KEY (id)");
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "job: hs\nsource: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "target: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "checks: {stats: false}\ntables: [{name: items, source: hs_src.items, target: hs_tgt.items}]\n");
        List<String> changes = List.of("SELECT 1", "DELETE FROM hs_tgt.items WHERE id <= 3", "SELECT 1",
                "INSERT INTO hs_tgt.items SELECT * FROM hs_src.items WHERE id <= 3",
                "UPDATE hs_tgt.items SET name = 'x' WHERE id BETWEEN 10 AND 14");
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            pg.exec("postgres", changes.get(i));
            RepairScenariosTest.Run run = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                    dir.resolve("run" + i).toString());
            codes.add(run.code());
        }
        assertEquals(List.of(0, 1, 1, 0, 1), codes);
        assertTrue(Files.isDirectory(dir.resolve("tally-history")), "beside the job file");
        try (var files = Files.list(dir.resolve("tally-history"))) {
            assertEquals(5, files.filter(f -> f.getFileName().toString().matches("tally-history-.*\\.parquet")).count(),
                    "one file per run, moved in whole");
        }
        Files.writeString(dir.resolve("tally-history/notes.txt"), "an operator's note: not history, not read");

        // a new process reads what the earlier ones wrote
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        try (var flags = HistoryTest.class.getResourceAsStream("/tally-jvm.flags")) {
            cmd.addAll(List.of(new String(flags.readAllBytes()).trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tally.jobs.TallyCli", "history",
                "--config", config.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(1, p.waitFor(), "the newest run regressed: " + out);
        List<String> rows = out.lines().filter(l -> l.matches("^\\d{4}-.*")).toList();
        assertEquals(5, rows.size(), out);
        assertEquals(List.of("0", "3 !", "3", "0", "5 !"), rows.stream()
                .map(l -> { String[] cells = l.trim().split("\\s{2,}"); return cells[cells.length - 1]; }).toList(), out);
        assertTrue(out.contains("REGRESSION items at") && out.contains("differences 0 -> 3")
                && out.contains("differences 0 -> 5"), out);
    }
}
