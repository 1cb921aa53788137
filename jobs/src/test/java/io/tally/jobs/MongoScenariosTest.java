package io.tally.jobs;

import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.TableReport;
import io.tally.jobs.demo.MongoDemoScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MongoDB to MongoDB through the CLI on a real wire-protocol server: the demo's failed users -> users_v2 backfill
 * is verified (exact drift, the three seed patterns found), planned, repaired, repaired again (nothing left to do)
 * and verified CONSISTENT.
 */
class MongoScenariosTest {

    @Test
    void halfDoneBackfillIsFoundPlannedAndRepaired(@TempDir Path dir) throws Exception {
        MongoDemoScenario.seed(TestMongo.uri(""));
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, MongoDemoScenario.config(TestMongo.uri("legacy"), TestMongo.uri("app"),
                TestMongo.partitioner()));
        Path out = dir.resolve("run");
        RepairScenariosTest.Run verify = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                out.toString(), "--plan");
        assertEquals(TallyCli.DRIFT, verify.code(), verify.err());
        Report report = new ReportWriter().read(out.resolve("report.json"));
        assertEquals(List.of(), DemoCommand.check(report, MongoDemoScenario.EXPECTED));
        for (var e : MongoDemoScenario.FINDINGS.entrySet()) {
            TableReport t = report.tables().stream().filter(x -> x.name().equals(e.getKey())).findFirst().orElseThrow();
            for (var f : e.getValue().entrySet()) {
                long found = t.findings().stream().filter(x -> x.kind().equals(f.getKey())).mapToLong(TableReport.Finding::count)
                        .sum();
                assertEquals(f.getValue(), found, e.getKey() + " " + f.getKey());
            }
        }
        RepairScenariosTest.Run repair = RepairScenariosTest.cli("repair", "--plan", out.toString());
        assertEquals(TallyCli.CONSISTENT, repair.code(), repair.out() + repair.err());
        RepairScenariosTest.Run again = RepairScenariosTest.cli("repair", "--plan", out.toString());
        assertEquals(TallyCli.CONSISTENT, again.code(), again.err());
        assertTrue(again.out().contains("applied 0"), again.out());
        RepairScenariosTest.Run after = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                dir.resolve("after").toString());
        assertEquals(TallyCli.CONSISTENT, after.code(), after.out());
        Report fixed = new ReportWriter().read(dir.resolve("after").resolve("report.json"));
        assertTrue(fixed.tables().stream().flatMap(t -> t.findings().stream()).allMatch(f -> f.count() == 0),
                fixed.tables().toString());
    }
}
