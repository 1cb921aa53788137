package io.tally.engine.config;

import io.tally.engine.TallyError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rule files are merged after inline rules; the shipped library loads; broken files get one clear line. */
class RuleLoaderTest {

    private static final String JOB = "source: {url: 'jdbc:postgresql://h/db'}\ntarget: {url: 'jdbc:mysql://h/db'}\n"
            + "tables: [{name: orders, source: orders}, {name: entries, source: entries}]\n";

    @Test
    void theShippedLibraryLoadsAfterInlineRules(@TempDir Path dir) throws Exception {
        Path library = Path.of("../conf/rules/shop.yaml").toAbsolutePath().normalize();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JOB + "rule_files: ['" + library + "']\n"
                + "rules: [{name: inline, table: orders, kind: count}]\n");
        JobConfig c = new ConfigLoader().load(job);
        assertEquals("inline", c.rules().get(0).name());
        assertEquals(List.of("row", "row", "aggregate", "count", "transition", "balance"),
                c.rules().subList(1, c.rules().size()).stream().map(RuleConfig::kind).toList());
        assertEquals(List.of("paid", "cancelled"), c.rules().get(5).allowed().get("new"));
    }

    @Test
    void brokenRuleFilesNameTheFileAndTheFix(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JOB + "rule_files: [rules/missing.yaml]\n");
        assertTrue(assertThrows(TallyError.class, () -> new ConfigLoader().load(job)).getMessage()
                .contains("rules/missing.yaml does not exist; paths are relative to the job file"));
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/missing.yaml"), "- {name: a, table: orders, kind: count, colour: red}\n");
        assertTrue(assertThrows(TallyError.class, () -> new ConfigLoader().load(job)).getMessage()
                .contains("unknown rule key 'colour'"));
        Files.writeString(dir.resolve("rules/missing.yaml"), "- {name: a, table: orders, kind: count}\n-\n");
        assertTrue(assertThrows(TallyError.class, () -> new ConfigLoader().load(job)).getMessage()
                .contains("an empty rule (a bare '-')"));
        Files.writeString(dir.resolve("rules/missing.yaml"), "- {name: a, table: orders, kind: count}\n"
                + "- {name: a, table: entries, kind: count}\n");
        assertTrue(assertThrows(TallyError.class, () -> new ConfigLoader().load(job)).getMessage()
                .contains("rule name 'a' appears twice"));
    }
}
