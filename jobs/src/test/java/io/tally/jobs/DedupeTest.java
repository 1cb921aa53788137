package io.tally.jobs;

import io.tally.engine.report.IntegrityFinding;
import io.tally.engine.report.Report;
import io.tally.engine.report.TableReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source whose application let one customer in twice, migrated faithfully, and a target that also caught a
 * retry's duplicate: with a dedupe rule the plan keeps one row per e-mail (the latest, or the highest id) and
 * deletes the rest from the target; repair's re-verification accepts the set-aside rows as absent, and a new
 * verify is consistent. PostgreSQL source, MySQL target.
 */
class DedupeTest {

    private static final String CUSTOMERS = "(id INT PRIMARY KEY, email VARCHAR(40), name VARCHAR(20), "
            + "updated_at %s)";
    private static final String ROWS = "(1, 'a@x', 'Ann', '2024-01-01 10:00:00'), "
            + "(2, 'b@x', 'Bob', '2024-03-01 10:00:00'), (3, 'c@x', 'Cy', '2024-01-01 10:00:00'), "
            + "(4, 'a@x', 'Ann B.', '2024-02-01 10:00:00'), (5, 'b@x', 'Bob', '2024-01-15 10:00:00'), "
            + "(6, NULL, 'no mail', '2024-01-01 10:00:00'), (7, NULL, 'no mail', '2024-01-01 10:00:00'), "
            + "(8, 'd@x', 'tie', '2024-05-01 10:00:00'), (9, 'd@x', 'tie', '2024-05-01 10:00:00')";

    @Test
    void dedupePlanKeepsOneRowPerNaturalKeyAndRepairDeletesTheRest(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        TestDatabases.Server my = TestDatabases.mysql();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS dd CASCADE", "CREATE SCHEMA dd",
                "CREATE TABLE dd.customers " + String.format(CUSTOMERS, "TIMESTAMP"),
                "INSERT INTO dd.customers VALUES " + ROWS);
        // the target holds every source row, plus a retry that wrote Cy again under a new id
        my.exec("mysql", "DROP DATABASE IF EXISTS dd", "CREATE DATABASE dd",
                "CREATE TABLE dd.customers " + String.format(CUSTOMERS, "DATETIME"),
                "INSERT INTO dd.customers VALUES " + ROWS + ", (103, 'c@x', 'Cy', '2024-06-01 10:00:00')");
        String job = "job: dd\nsource: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "target: {url: '" + my.url("dd") + "', user: " + my.user() + "}\n"
                + "checks: {stats: false, schema: false}\n"
                + "tables:\n  - {name: customers, source: dd.customers, target: dd.customers,\n"
                + "     dedupe: {key: [EMAIL], keep: latest, by: updated_at}}\n";
        Report r = IntegrityTest.verify(dir, "plan", job, "--plan");
        TableReport t = r.tables().get(0);
        assertEquals("full", t.mode().used(), "a dedupe rule needs every source row");
        TableReport.Dedupe d = t.dedupe();
        assertEquals(3, d.values(), "a@x, b@x and d@x are held twice; NULL e-mails are not duplicates");
        assertEquals(3, d.rowsSetAside());
        assertEquals(List.of(
                        Map.of("EMAIL", "a@x", "kept", "4", "set aside", "1", "updated_at (set aside)", "2024-01-01T10:00:00Z"),
                        Map.of("EMAIL", "b@x", "kept", "2", "set aside", "5", "updated_at (set aside)", "2024-01-15T10:00:00Z"),
                        Map.of("EMAIL", "d@x", "kept", "9", "set aside", "8", "updated_at (set aside)", "2024-05-01T10:00:00Z")),
                d.samples(), "the latest row wins; a tie goes to the greatest key");
        assertEquals(9, t.source().rows(), "every source row is read and counted");
        assertEquals(4, t.extra(), "the target copies of 1, 5 and 8, and the retry's 103");
        assertEquals(0, t.missing() + t.changed());
        assertTrue(t.warnings().stream().anyMatch(w -> w.startsWith("3 source row(s) sharing 3 value(s) of (EMAIL)")),
                t.warnings().toString());
        IntegrityFinding targetDups = duplicates(r, "target");
        assertEquals(4, targetDups.count(), "a@x, b@x, c@x and d@x in the target");
        assertTrue(targetDups.planned() && targetDups.fix().startsWith("planned by the dedupe rule"), targetDups.fix());
        assertEquals(3, duplicates(r, "source").count());

        RepairScenariosTest.Run repair = RepairScenariosTest.cli("repair", "--plan", dir.resolve("plan/plan").toString());
        assertEquals(TallyCli.CONSISTENT, repair.code(), repair.out() + repair.err());
        assertEquals(List.of(2, 3, 4, 6, 7, 9), ids(my));

        Report after = IntegrityTest.verify(dir, "after", job);
        assertEquals(Report.CONSISTENT, after.status(), after.tables().get(0).warnings().toString());
        assertFalse(after.integrity().findings().stream().anyMatch(f -> f.side().equals("target")),
                after.integrity().findings().toString());
        assertEquals(IntegrityFinding.WARNING, duplicates(after, "source").severity(), "the source still holds them");

        // keep the lowest id instead: the same rule on every run, and the plan deletes the later copies
        Report lowest = IntegrityTest.verify(dir, "lowest", job.replace("keep: latest, by: updated_at", "keep: lowest, by: id"),
                "--plan");
        assertEquals(List.of("1", "2", "8"), lowest.tables().get(0).dedupe().samples().stream()
                .map(s -> s.get("kept")).toList());
        assertEquals(2, lowest.tables().get(0).extra(), "the repaired target keeps 4 and 9, which now go");
        assertEquals(2, lowest.tables().get(0).missing(), "and 1 and 8 come back");

        // a rule that cannot rank: one line, exit 2, nothing read or written
        for (String[] bad : new String[][]{{"by: updated_at}", "by: name}", "dedupe.by: column name is compared as string"},
                {"keep: latest,", "keep: newest,", "dedupe.keep is 'newest'; use latest, highest, earliest or lowest"},
                {"key: [EMAIL]", "key: [mail]", "dedupe.key: column mail not in source table"},
                {"key: [EMAIL]", "key: [email, id]", "dedupe.key contains the compared key"}}) {
            Path config = dir.resolve("bad.yaml");
            Files.writeString(config, job.replace(bad[0], bad[1]));
            RepairScenariosTest.Run run = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                    dir.resolve("bad").toString(), "--plan");
            assertEquals(2, run.code(), run.out() + run.err());
            assertTrue(run.err().contains(bad[2]), run.err());
            assertFalse(Files.exists(dir.resolve("bad/report.json")));
        }
    }

    private static List<Integer> ids(TestDatabases.Server my) throws Exception {
        try (var c = my.connect("dd");
             var rs = c.createStatement().executeQuery("SELECT id FROM customers ORDER BY id")) {
            List<Integer> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
            return out;
        }
    }

    private static IntegrityFinding duplicates(Report r, String side) {
        List<IntegrityFinding> found = r.integrity().findings().stream()
                .filter(f -> f.check().equals("duplicates") && f.side().equals(side)).toList();
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }
}
