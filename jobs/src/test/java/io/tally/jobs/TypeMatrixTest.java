package io.tally.jobs;

import io.tally.engine.config.ConfigLoader;
import io.tally.engine.config.JobConfig;
import io.tally.engine.report.Report;
import io.tally.engine.report.TableReport;
import io.tally.engine.verify.Verifier;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The type matrix: for every logical type and each direction between PostgreSQL and MySQL 8 (and MariaDB),
 * equal values hash equal (the table is CONSISTENT) and every single-value change is detected (a copy with
 * each row's value changed has every row CHANGED, in column v). Edge values come from the pitfalls brief.
 */
class TypeMatrixTest {

    /** One value as PostgreSQL and MySQL literals, and a minimal change of it on each. */
    record Value(String pg, String my, String pgChanged, String myChanged) {
    }

    record Case(String name, String pgType, String myType, List<Value> values) {
    }

    private static Value same(String literal, String changed) {
        return new Value(literal, literal, changed, changed);
    }

    private static Case c(String name, String pgType, String myType, Value... values) {
        return new Case(name, pgType, myType, List.of(values));
    }

    private static String up(double d) {
        return Double.toString(Math.nextUp(d));
    }

    private static String upf(float f) {
        return Float.toString(Math.nextUp(f));
    }

    private static final String UUID = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    private static final String UUID2 = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12";

    static final List<Case> CASES = List.of(
            c("int", "bigint", "BIGINT", same("0", "1"), same("-1", "-2"),
                    same("9223372036854775807", "9223372036854775806"), same("123456789012", "123456789013"),
                    same("NULL", "0")),
            c("int_decimal", "integer", "DECIMAL(12,2)", same("5", "6"), same("-7", "-8")),
            c("decimal", "numeric(30,6)", "DECIMAL(30,6)", same("0.71", "0.710001"), same(".71", ".72"),
                    same("100", "100.000001"),
                    same("123456789012345678901234.000001", "123456789012345678901234.000002"),
                    same("-0.000001", "0.000001"), same("NULL", "0")),
            c("decimal_scales", "numeric(12,2)", "DECIMAL(12,4)", same("100.00", "100.01"), same("0.5", "0.51")),
            c("double", "double precision", "DOUBLE", same("0.1", up(0.1)), same("-2.5", up(-2.5)),
                    same("1e300", up(1e300)), same("123456789.12345679", up(123456789.12345679)),
                    same("-0", "1e-300"), same("NULL", "0")),
            c("float", "real", "FLOAT", same("1.234567", upf(1.234567f)), same("-0.5", upf(-0.5f)),
                    same("3.4e38", upf(3.4e38f)), same("0.1", upf(0.1f))),
            c("float_double", "real", "DOUBLE", same("1.1", "1.2"), same("0.3", "0.31")),
            c("boolean", "boolean", "TINYINT(1)", new Value("true", "1", "false", "0"),
                    new Value("false", "0", "true", "1"), new Value("NULL", "NULL", "true", "1")),
            c("varchar", "varchar(100)", "VARCHAR(100)", same("'a '", "'a'"), same("'ab'", "'aB'"),
                    same("'\u00e9'", "'e\u0301'"), same("''", "NULL"), same("'Customer N\u00ba \uD83D\uDE00'",
                            "'Customer N\u00ba \uD83D\uDE01'"), same("'x''y'", "'x''z'"), same("' lead'", "'lead'")),
            c("char", "char(5)", "CHAR(5)", same("'ab'", "'abc'"), same("'ab  '", "' ab'")),
            c("text", "text", "LONGTEXT", new Value("repeat('x', 100000)", "REPEAT('x', 100000)",
                    "repeat('x', 99999) || 'y'", "CONCAT(REPEAT('x', 99999), 'y')")),
            c("enum", "varchar(10)", "ENUM('new','paid')", same("'new'", "'paid'")),
            c("binary", "bytea", "VARBINARY(64)", new Value("'\\x00ff10'::bytea", "X'00FF10'",
                    "'\\x00ff11'::bytea", "X'00FF11'"), new Value("''::bytea", "X''", "NULL", "NULL"),
                    new Value("'\\x0000'::bytea", "X'0000'", "'\\x00'::bytea", "X'00'")),
            c("uuid_text", "uuid", "CHAR(36)", new Value("'" + UUID + "'", "'" + UUID.toUpperCase() + "'",
                    "'" + UUID2 + "'", "'" + UUID2 + "'")),
            c("uuid_binary", "uuid", "BINARY(16)", new Value("'" + UUID + "'", "UNHEX('" + UUID.replace("-", "") + "')",
                    "'" + UUID2 + "'", "UNHEX('" + UUID2.replace("-", "") + "')")),
            c("json", "jsonb", "JSON", new Value("'{\"b\":1,\"a\":[1.0,2]}'", "'{\"a\":[1,2],\"b\":1}'",
                    "'{\"a\":[1,2],\"b\":2}'", "'{\"a\":[1,2],\"b\":2}'"),
                    same("'{\"a\":null}'", "'{}'"), same("'[1,2]'", "'[2,1]'"), same("'{\"a\":\"1\"}'", "'{\"a\":1}'")),
            c("json_text", "json", "JSON", new Value("'{\"b\": 1,  \"a\": 2}'", "'{\"a\": 2, \"b\": 1}'",
                    "'{\"b\": 1, \"a\": 3}'", "'{\"b\": 1, \"a\": 3}'")),
            c("timestamp", "timestamp(6)", "DATETIME(6)",
                    same("'2024-01-01 12:00:00.123456'", "'2024-01-01 12:00:00.123457'"),
                    same("'1969-12-31 23:59:59.999999'", "'1970-01-01 00:00:00'"),
                    same("'9999-12-31 23:59:59.999999'", "'9999-12-31 23:59:59.999998'"),
                    same("'1000-01-01 00:00:00'", "'1000-01-01 00:00:01'")),
            c("timestamp_seconds", "timestamp(6)", "DATETIME",
                    same("'2024-03-31 23:59:59.6'", "'2024-03-31 23:59:58.6'"),
                    same("'2024-01-01 00:00:00.4'", "'2024-01-01 00:00:01.4'")),
            c("timestamptz", "timestamptz(6)", "TIMESTAMP(6) NULL",
                    new Value("'2024-01-01 12:00:00.5+02'", "'2024-01-01 10:00:00.5'",
                            "'2024-01-01 12:00:00.500001+02'", "'2024-01-01 10:00:00.500001'")),
            c("date", "date", "DATE", same("'2024-02-29'", "'2024-03-01'"), same("'1000-01-01'", "'1000-01-02'")),
            c("date_datetime", "date", "DATETIME", same("'2024-02-29'", "'2024-03-01'")),
            c("time", "time(6)", "TIME(6)", same("'23:59:59.999999'", "'23:59:59.999998'"),
                    same("'00:00:00'", "'00:00:01'")));

    static void create(TestDatabases.Server server, String db, boolean pg) throws SQLException {
        List<String> sql = new ArrayList<>();
        if (pg) {
            sql.add("DROP SCHEMA IF EXISTS " + db + " CASCADE");
            sql.add("CREATE SCHEMA " + db);
        } else {
            sql.add("DROP DATABASE IF EXISTS " + db);
            sql.add("CREATE DATABASE " + db);
            sql.add("SET time_zone = '+00:00'");
        }
        for (Case k : CASES) {
            for (boolean changed : new boolean[]{false, true}) {
                String table = db + ".m_" + k.name() + (changed ? "_changed" : "");
                sql.add("CREATE TABLE " + table + " (id int PRIMARY KEY, v " + (pg ? k.pgType() : k.myType()) + ")");
                for (int i = 0; i < k.values().size(); i++) {
                    Value v = k.values().get(i);
                    String literal = pg ? (changed ? v.pgChanged() : v.pg()) : (changed ? v.myChanged() : v.my());
                    sql.add("INSERT INTO " + table + " VALUES (" + i + ", " + literal + ")");
                }
            }
        }
        server.exec(pg ? "postgres" : "mysql", sql.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"postgresql, mysql", "mysql, postgresql", "postgresql, mariadb", "mariadb, postgresql"})
    void equalValuesHashEqualAndEveryChangeIsDetected(String from, String to) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        TestDatabases.Server other = from.equals("postgresql") ? server(to) : server(from);
        String myDb = "tm_" + (from.equals("postgresql") ? to : from);
        create(pg, "tm_pg", true);
        create(other, myDb, false);
        boolean pgSource = from.equals("postgresql");
        TestDatabases.Server src = pgSource ? pg : other;
        TestDatabases.Server tgt = pgSource ? other : pg;
        String srcSchema = pgSource ? "tm_pg" : myDb;
        String tgtSchema = pgSource ? myDb : "tm_pg";
        StringBuilder yaml = new StringBuilder("job: matrix\nsource: {url: '" + src.url(pgSource ? "postgres" : myDb)
                + "', user: " + src.user() + "}\ntarget: {url: '" + tgt.url(pgSource ? myDb : "postgres")
                + "', user: " + tgt.user() + "}\ntables:\n");
        for (Case k : CASES) {
            for (String suffix : new String[]{"", "_changed"}) {
                yaml.append("  - {name: ").append(k.name()).append(suffix).append(", source: ").append(srcSchema)
                        .append(".m_").append(k.name()).append(", target: ").append(tgtSchema).append(".m_")
                        .append(k.name()).append(suffix).append("}\n");
            }
        }
        JobConfig job = new ConfigLoader().parse(yaml.toString(), "matrix.yaml");
        Report report = new Verifier(TestSpark.session(), msg -> { }).verify(job);
        Map<String, TableReport> byName = report.tables().stream()
                .collect(Collectors.toMap(TableReport::name, Function.identity()));
        List<Executable> checks = new ArrayList<>();
        for (Case k : CASES) {
            int rows = k.values().size();
            TableReport equal = byName.get(k.name());
            TableReport changed = byName.get(k.name() + "_changed");
            checks.add(() -> assertEquals("CONSISTENT", equal.status(), () -> k.name() + " equal values: "
                    + equal.samples().changed() + " " + equal.alignment()));
            checks.add(() -> assertEquals(rows, changed.changed(), () -> k.name() + " changed values: "
                    + changed.samples().changed()));
            checks.add(() -> assertEquals(rows, changed.columns().get(1).differences(), k.name() + " column v"));
            checks.add(() -> assertEquals(0, changed.missing() + changed.extra(), k.name() + " missing/extra"));
        }
        assertAll(from + " -> " + to, checks);
        repairChangedTables(yaml.toString(), from + " -> " + to);
    }

    /**
     * The inverse of the canonical form, per type and direction: plan the copies whose every value was changed,
     * repair them (the guard must recognize each target row by the hash verify saw, read back over plain JDBC),
     * and verify again: every table must now be CONSISTENT.
     */
    private static void repairChangedTables(String yaml, String direction) throws java.io.IOException {
        StringBuilder changedOnly = new StringBuilder();
        for (String line : yaml.split("\n")) {
            if (!line.startsWith("  - ") || line.contains("_changed,")) {
                changedOnly.append(line).append('\n');
            }
        }
        JobConfig job = new ConfigLoader().parse(changedOnly.toString(), "matrix-repair.yaml");
        java.nio.file.Path out = java.nio.file.Files.createTempDirectory("tally-matrix-plan");
        io.tally.engine.plan.PlanWriter planWriter = new io.tally.engine.plan.PlanWriter(TestSpark.session(), out);
        new Verifier(TestSpark.session(), msg -> { }).verify(job, planWriter);
        var repair = new io.tally.engine.repair.Repairer(TestSpark.session(), msg -> { }).repair(
                io.tally.engine.plan.PlanFiles.load(out),
                new io.tally.engine.repair.Repairer.Options(50, 2, false, false, null, 10));
        List<Executable> checks = new ArrayList<>();
        for (var t : repair.tables()) {
            checks.add(() -> assertEquals(0, t.upserts().conflicts(), () -> t.name() + " conflicts (the guard "
                    + "disagrees with verify's hash): " + t.conflictSamples()));
            checks.add(() -> assertEquals(true, t.verification().matches(), () -> t.name() + " after repair: "
                    + t.verification().mismatchSamples()));
        }
        Report after = new Verifier(TestSpark.session(), msg -> { }).verify(job);
        for (TableReport t : after.tables()) {
            checks.add(() -> assertEquals("CONSISTENT", t.status(), () -> t.name() + " after repair: "
                    + t.samples().changed()));
        }
        assertAll(direction + " repair", checks);
    }

    private static TestDatabases.Server server(String name) {
        return name.equals("mariadb") ? TestDatabases.mariadb() : TestDatabases.mysql();
    }
}
