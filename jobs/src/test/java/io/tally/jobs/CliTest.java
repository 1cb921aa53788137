package io.tally.jobs;

import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI as a user runs it: exit codes, one-line errors, no secrets in output, nothing written on error. */
class CliTest {

    private static final String PASSWORD = "S3cret-pw!";
    private static TestDatabases.Server pg;
    private static TestDatabases.Server my;

    @TempDir
    Path dir;

    @BeforeAll
    static void seed() throws Exception {
        TestSpark.session();
        pg = TestDatabases.postgres();
        my = TestDatabases.mysql();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS cli CASCADE", "CREATE SCHEMA cli",
                "CREATE TABLE cli.items (id bigint PRIMARY KEY, name text, price numeric(10,2))",
                "INSERT INTO cli.items SELECT g, 'item ' || g, g * 1.25 FROM generate_series(1, 1000) g",
                "CREATE TABLE cli.drifted (id bigint PRIMARY KEY, name text)",
                "INSERT INTO cli.drifted SELECT g, 'n' || g FROM generate_series(1, 10) g");
        my.exec("mysql", "DROP DATABASE IF EXISTS cli", "CREATE DATABASE cli",
                "CREATE TABLE cli.items (id BIGINT PRIMARY KEY, name TEXT, price DECIMAL(10,2))",
                "INSERT INTO cli.items WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 1000)"
                        + " SELECT n, CONCAT('item ', n), n * 1.25 FROM g",
                "CREATE TABLE cli.drifted (id BIGINT PRIMARY KEY, name TEXT)",
                "INSERT INTO cli.drifted VALUES (1, 'n1'), (2, 'changed'), (11, 'n11')",
                "DROP USER IF EXISTS 'tally_ro'@'%'",
                "CREATE USER 'tally_ro'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT ON cli.* TO 'tally_ro'@'%'");
    }

    private record Run(int code, String err, Path out) {
    }

    private Run verify(String targetUser, String password, String table, String extra) throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, password + "\n");
        String yaml = "job: cli\nsource: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "target: {url: '" + my.url("cli") + "', user: " + targetUser + ", password_file: '" + pw + "'}\n"
                + "tables:\n  - {source: cli." + table + ", target: cli." + table + extra + "}\n";
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, yaml);
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        int code = TallyCli.execute(new PrintWriter(err, true), "verify", "--config", config.toString(),
                "--out", out.toString());
        return new Run(code, err.toString(), out);
    }

    @Test
    void consistentTableExitsZeroWithAReadOnlyUser() throws Exception {
        Run r = verify("tally_ro", PASSWORD, "items", "");
        assertEquals(0, r.code(), r.err());
        Report report = new ReportWriter().read(r.out().resolve("report.json"));
        assertEquals("CONSISTENT", report.status());
        assertEquals(1000, report.tables().get(0).target().rows());
        assertFalse(Files.readString(r.out().resolve("report.json")).contains(PASSWORD));
    }

    @Test
    void driftExitsOne() throws Exception {
        Run r = verify("tally_ro", PASSWORD, "drifted", "");
        assertEquals(1, r.code(), r.err());
        Report report = new ReportWriter().read(r.out().resolve("report.json"));
        var t = report.tables().get(0);
        assertEquals(8, t.missing());
        assertEquals(1, t.extra());
        assertEquals(1, t.changed());
        assertEquals("changed", t.samples().changed().get(0).columns().get("name").target());
    }

    @Test
    void wrongPasswordIsOneLineExitTwoAndNothingWritten() throws Exception {
        Run r = verify("tally_ro", "wrong-" + PASSWORD, "items", "");
        assertOneLineError(r, "cannot connect to the target");
        assertFalse(r.err().contains("wrong-" + PASSWORD));
    }

    @Test
    void missingTableAndUnknownKeyAreOneLineErrors() throws Exception {
        assertOneLineError(verify("tally_ro", PASSWORD, "nope", ""), "table cli.nope not found");
        assertOneLineError(verify("tally_ro", PASSWORD, "items", ", key: [sku]"), "names column 'sku'");
    }

    @Test
    void unreachableServerAndMalformedConfig() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "job: x\nsource: {url: 'jdbc:postgresql://127.0.0.1:1/x'}\n"
                + "target: {url: 'jdbc:mysql://127.0.0.1:1/x'}\ntables: [{source: t}]\n");
        StringWriter err = new StringWriter();
        int code = TallyCli.execute(new PrintWriter(err, true), "verify", "--config", config.toString(), "--out",
                dir.resolve("o1").toString());
        assertOneLineError(new Run(code, err.toString(), dir.resolve("o1")), "cannot connect to the source");
        Files.writeString(config, "tables: [ {source: ");
        err = new StringWriter();
        code = TallyCli.execute(new PrintWriter(err, true), "verify", "--config", config.toString(), "--out",
                dir.resolve("o2").toString());
        assertOneLineError(new Run(code, err.toString(), dir.resolve("o2")), "malformed YAML");
    }

    @Test
    void versionHelpAndUsage() {
        StringWriter err = new StringWriter();
        assertEquals(0, TallyCli.execute(new PrintWriter(err, true), "--version"));
        assertEquals(2, TallyCli.execute(new PrintWriter(err, true), "verify"));
        assertTrue(err.toString().contains("--config"), err.toString());
    }

    private static void assertOneLineError(Run r, String expected) {
        assertEquals(2, r.code(), r.err());
        String e = r.err().strip();
        assertTrue(e.startsWith("tally: error: "), e);
        assertTrue(e.contains(expected), e);
        assertFalse(e.contains("\n"), "more than one line: " + e);
        assertFalse(e.contains(PASSWORD), "password leaked: " + e);
        assertFalse(Files.exists(r.out().resolve("report.json")), "a report was written on error");
    }
}
