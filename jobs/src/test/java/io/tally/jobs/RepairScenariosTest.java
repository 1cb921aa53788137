package io.tally.jobs;

import io.tally.engine.report.ReportWriter;
import io.tally.engine.repair.RepairReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plan and repair through the CLI on real servers, each engine pair: verify --plan, a write landing between
 * verify and repair, dry run, repair (conflict kept), re-run, --force, re-verify, a finished plan run again,
 * sequences, generated columns and a PostgreSQL GENERATED ALWAYS identity, and tampered plans refused.
 */
class RepairScenariosTest {

    /** One CLI run: exit code, what it printed, its error stream. */
    record Run(int code, String out, String err) {
    }

    static synchronized Run cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        try (PrintStream tee = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            code = TallyCli.execute(new PrintWriter(err, true), args);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.print(out);
        return new Run(code, out, err.toString());
    }

    private static TestDatabases.Server server(String name) {
        return name.equals("postgresql") ? TestDatabases.postgres() : TestDatabases.mysql();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"postgresql, mysql, rp_pm", "mysql, postgresql, rp_mp", "postgresql, postgresql, rp_pp",
            "mysql, mysql, rp_mm"})
    void planRepairReverify(String from, String to, String prefix, @TempDir Path dir) throws Exception {
        RepairFixture f = new RepairFixture(server(from), server(to), prefix);
        f.create(200);
        Path config = f.config(dir);
        Path out = dir.resolve("run");
        Run verify = cli("verify", "--config", config.toString(), "--out", out.toString(), "--plan");
        assertEquals(1, verify.code(), verify.err());
        assertTrue(verify.out().contains("upserts run in order [customers, orders, events]"), verify.out());

        // A write lands between verify and repair: order 5 was planned as changed, order 200 as missing.
        f.targetExec("UPDATE " + f.tgt + ".orders SET status = 'late-write' WHERE id = 5",
                f.ordersInsert() + " VALUES (200, 1, 7.00, 'late')");

        String before = f.targetSnapshot();
        Run dry = cli("repair", "--plan", out.toString(), "--dry-run", "--config", config.toString());
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("would run: INSERT INTO"), dry.out());
        assertEquals(before, f.targetSnapshot(), "a dry run changed the target");

        Run repair = cli("repair", "--plan", out.toString(), "--batch-size", "7");
        assertEquals(1, repair.code(), "conflicts keep the target from matching: " + repair.err());
        RepairReport report = ReportWriter.JSON.readValue(out.resolve("repair-report.json").toFile(), RepairReport.class);
        RepairReport.TableResult orders = report.tables().stream().filter(t -> t.name().equals("orders")).findFirst()
                .orElseThrow();
        assertEquals(2, orders.upserts().conflicts(), () -> String.valueOf(orders.conflictSamples()));
        assertEquals("late-write", f.targetValue("SELECT status FROM " + f.tgt + ".orders WHERE id = 5"));
        assertEquals("late", f.targetValue("SELECT status FROM " + f.tgt + ".orders WHERE id = 200"));
        assertEquals(null, f.targetValue("SELECT id FROM " + f.tgt + ".orders WHERE id = 999"), "extra child deleted");
        assertEquals(null, f.targetValue("SELECT id FROM " + f.tgt + ".customers WHERE id = 99"), "extra parent deleted");
        assertEquals("c45", f.targetValue("SELECT name FROM " + f.tgt + ".customers WHERE id = 45"),
                "the insert that collided on the unique name was retried after the delete");
        assertTrue(repair.out().contains("deferred by a constraint"), repair.out());
        assertEquals("20", f.targetValue("SELECT COUNT(*) FROM " + f.tgt + ".events"), "duplicates replaced");

        String afterFirst = f.targetSnapshot();
        Run again = cli("repair", "--plan", out.toString(), "--batch-size", "7");
        assertEquals(1, again.code(), again.err());
        assertEquals(afterFirst, f.targetSnapshot(), "a re-run changed rows other than the conflicts");
        assertTrue(again.out().contains("batch(es) done by an earlier run"), again.out());

        Run wrongSize = cli("repair", "--plan", out.toString(), "--batch-size", "9");
        assertEquals(2, wrongSize.code());
        assertTrue(wrongSize.err().contains("resume it with the same --batch-size"), wrongSize.err());

        Run forced = cli("repair", "--plan", out.toString(), "--batch-size", "7", "--force");
        assertEquals(0, forced.code(), forced.out() + forced.err());
        Run verified = cli("verify", "--config", config.toString(), "--out", dir.resolve("after").toString());
        assertEquals(0, verified.code(), verified.out());

        Run noop = cli("repair", "--plan", out.toString(), "--batch-size", "7");
        assertEquals(0, noop.code(), noop.err());
        assertTrue(noop.out().contains("nothing to change"), noop.out());
        assertEquals(f.targetSnapshot(), f.targetSnapshot());

        // Sequences were moved past the largest key: a new row takes a fresh id instead of colliding.
        f.targetExec("INSERT INTO " + f.tgt + ".customers (name, credit) VALUES ('new', 1)");
        int fresh = Integer.parseInt(f.targetValue("SELECT id FROM " + f.tgt + ".customers WHERE name = 'new'"));
        assertTrue(fresh > 50, "new id " + fresh);
    }

    private static String planId(Path out) throws java.io.IOException {
        return ReportWriter.JSON.readTree(out.resolve("plan/manifest.json").toFile()).get("plan_id").asText();
    }

    @Test
    void tamperedPlansAreRefused(@TempDir Path dir) throws Exception {
        RepairFixture f = new RepairFixture(TestDatabases.postgres(), TestDatabases.mysql(), "rp_tamper");
        f.create(60);
        Path config = f.config(dir);
        Path out = dir.resolve("run");
        assertEquals(1, cli("verify", "--config", config.toString(), "--out", out.toString(), "--plan").code());
        Run show = cli("plan", "show", out.toString());
        assertEquals(0, show.code());
        assertTrue(show.out().matches("(?s).*orders\\s+\\d+\\s+2\\s+0\\s+1\\s+0.*"), show.out());
        String before = f.targetSnapshot();

        Run noPlan = cli("repair", "--plan", dir.resolve("nowhere").toString());
        assertEquals(2, noPlan.code());
        assertTrue(noPlan.err().contains("no plan at"), noPlan.err());
        Run badSize = cli("repair", "--plan", out.toString(), "--batch-size", "0");
        assertEquals(2, badSize.code());
        assertTrue(badSize.err().contains("--batch-size 0 is out of range"), badSize.err());

        // The same inputs give the same plan id.
        Path again = dir.resolve("again");
        assertEquals(1, cli("verify", "--config", config.toString(), "--out", again.toString(), "--plan").code());
        assertEquals(planId(out), planId(again));

        // A config naming another server is refused before anything is written.
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, Files.readString(config).replace("/" + f.tgt + "'", "/mysql'"));
        Run wrongServer = cli("repair", "--plan", out.toString(), "--config", other.toString());
        assertEquals(2, wrongServer.code());
        assertTrue(wrongServer.err().contains("is not the server the plan was made for"), wrongServer.err());

        Path manifest = out.resolve("plan/manifest.json");
        String original = Files.readString(manifest);
        Files.writeString(manifest, original.replaceFirst("\"inserts\" : (\\d+)", "\"inserts\" : 12345"));
        Run edited = cli("repair", "--plan", out.toString());
        assertEquals(2, edited.code());
        assertTrue(edited.err().contains("was edited after it was written"), edited.err());
        Files.writeString(manifest, original);

        Path parquet;
        try (Stream<Path> files = Files.walk(out.resolve("plan"))) {
            parquet = files.filter(p -> p.toString().endsWith(".parquet") && p.toString().contains("upsert"))
                    .findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(parquet);
        bytes[bytes.length / 2] ^= 1;
        Files.write(parquet, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        Run tampered = cli("repair", "--plan", out.toString());
        assertEquals(2, tampered.code());
        assertTrue(tampered.err().contains("do not match the manifest"), tampered.err());
        assertEquals(2, cli("plan", "show", out.toString()).code());
        assertEquals(before, f.targetSnapshot(), "a refused plan touched the target");
        assertFalse(tampered.err().contains("Exception"), tampered.err());
    }
}
