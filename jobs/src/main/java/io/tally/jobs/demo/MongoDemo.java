package io.tally.jobs.demo;

import io.tally.engine.config.ConfigLoader;
import io.tally.engine.config.JobConfig;
import io.tally.engine.report.Report;
import io.tally.engine.report.TableReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The document half of {@code tally demo}: the users -> users_v2 backfill of {@link MongoDemoScenario} on an
 * in-process MongoDB. {@link #check(Report)} compares a report's findings with the seeded ones.
 */
public final class MongoDemo {

    private MongoDemo() {
    }

    public static JobConfig job(String sourceUri, String targetUri, java.nio.file.Path file) throws java.io.IOException {
        java.nio.file.Files.writeString(file, MongoDemoScenario.config(sourceUri, targetUri, "paginate"));
        return new ConfigLoader().load(file);
    }

    /** The seeded findings the report must show, exactly; returns what differs. */
    public static List<String> check(Report report) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> e : MongoDemoScenario.FINDINGS.entrySet()) {
            TableReport t = report.tables().stream().filter(x -> x.name().equals(e.getKey())).findFirst().orElse(null);
            if (t == null) {
                problems.add(e.getKey() + ": missing from the report");
                continue;
            }
            for (Map.Entry<String, Long> f : e.getValue().entrySet()) {
                long found = t.findings().stream().filter(x -> x.kind().equals(f.getKey()))
                        .mapToLong(TableReport.Finding::count).sum();
                if (found != f.getValue()) {
                    problems.add(t.name() + " " + f.getKey() + ": expected " + f.getValue() + ", report says " + found);
                }
            }
        }
        return problems;
    }
}
