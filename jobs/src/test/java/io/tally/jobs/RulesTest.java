package io.tally.jobs;

import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.RuleResult;
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
 * Each rule kind on real PostgreSQL (source) and MySQL (target) through the CLI: a row predicate, grouped sums
 * compared with a decimal tolerance, counts per batch, a balance per account, a status-transition graph; error
 * rules make the verdict DRIFT, warn rules only report; bad rules stop the job before anything is read.
 */
class RulesTest {

    private static final String ORDERS = "(id INT PRIMARY KEY, customer_id INT, amount DECIMAL(10,2), "
            + "status VARCHAR(10), batch_id INT)";

    @Test
    void everyRuleKindAcrossPostgresAndMysql(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        TestDatabases.Server my = TestDatabases.mysql();
        String source = "(1, 1, 10.00, 'new', 1), (2, 1, 20.00, 'paid', 1), (3, 2, 5.00, 'new', 1), "
                + "(4, 2, 7.00, 'new', 2), (5, 3, 9.00, 'paid', 2), (6, 3, 1.00, 'shipped', 2), (7, 3, 2.00, 'new', 2)";
        // target: 1 is a cent off (within tolerance), 3 turned negative, 4 moved new -> shipped (allowed through
        // paid), 5 went back paid -> new (not allowed), 7 never arrived
        String target = "(1, 1, 10.01, 'new', 1), (2, 1, 20.00, 'paid', 1), (3, 2, -5.00, 'new', 1), "
                + "(4, 2, 7.00, 'shipped', 2), (5, 3, 9.00, 'new', 2), (6, 3, 1.00, 'shipped', 2)";
        String entries = "(1, 1, 100.00, 0.00), (2, 1, 0.00, 100.00), (3, 2, 50.00, 0.00), (4, 2, 0.00, 40.00)";
        pg.exec("postgres", "DROP SCHEMA IF EXISTS ru CASCADE", "CREATE SCHEMA ru",
                "CREATE TABLE ru.orders " + ORDERS, "INSERT INTO ru.orders VALUES " + source,
                "CREATE TABLE ru.entries (id INT PRIMARY KEY, account_id INT, debit NUMERIC(12,2), credit NUMERIC(12,2))",
                "INSERT INTO ru.entries VALUES " + entries,
                "CREATE TABLE ru.customers (id INT PRIMARY KEY, name TEXT)",
                "INSERT INTO ru.customers VALUES (1, 'Al'), (2, 'Bea'), (3, 'Cy')");
        my.exec("mysql", "DROP DATABASE IF EXISTS ru", "CREATE DATABASE ru",
                // batch_id became DECIMAL(10,0): groups must still meet the source's integer ones
                "CREATE TABLE ru.orders " + ORDERS.replace("batch_id INT", "batch_id DECIMAL(10,0)"),
                "INSERT INTO ru.orders VALUES " + target,
                "CREATE TABLE ru.entries (id INT PRIMARY KEY, account_id INT, debit DECIMAL(12,2), credit DECIMAL(12,2))",
                "INSERT INTO ru.entries VALUES " + entries,
                "CREATE TABLE ru.customers (id INT PRIMARY KEY, name TEXT)",
                "INSERT INTO ru.customers VALUES (1, 'Al'), (2, 'Bea'), (3, 'Cy')");
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/ledger.yaml"), """
                - {name: balanced, table: entries, kind: balance, expr: "sum(debit) - sum(credit)", by: [account_id]}
                - {name: short_names, table: customers, kind: row, side: both, check: "length(name) < 3", severity: warn}
                """);
        String job = "job: ru\nsource: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "target: {url: '" + my.url("ru") + "', user: " + my.user() + "}\n"
                + "checks: {stats: false, schema: false}\n"
                + "tables:\n  - {name: orders, source: ru.orders, target: ru.orders}\n"
                + "  - {name: entries, source: ru.entries, target: ru.entries}\n"
                + "  - {name: customers, source: ru.customers, target: ru.customers}\n"
                + "rule_files: [rules/ledger.yaml]\n"
                + "rules:\n"
                + "  - {name: positive, table: orders, kind: row, check: 'amount >= 0'}\n"
                + "  - {name: per_customer, table: orders, kind: aggregate, expr: 'sum(amount)', by: [customer_id],"
                + " tolerance: 0.01}\n"
                + "  - {name: per_batch, table: orders, kind: count, by: [batch_id]}\n"
                + "  - {name: flow, table: orders, kind: transition, column: status,"
                + " allowed: {new: [paid, cancelled], paid: [shipped]}}\n";
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, job);
        RepairScenariosTest.Run run = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                dir.resolve("run").toString());
        assertEquals(TallyCli.DRIFT, run.code(), run.out() + run.err());
        Report r = new ReportWriter().read(dir.resolve("run/report.json"));

        RuleResult positive = rule(r, "orders", "positive");
        assertEquals(List.of(6L, 1L, "target"), List.of(positive.checked(), positive.violations(), positive.side()));
        assertEquals(List.of(Map.of("key", "3", "amount", "-5")), positive.samples());

        RuleResult perCustomer = rule(r, "orders", "per_customer");
        assertEquals(3, perCustomer.checked());
        assertEquals(List.of(Map.of("customer_id", "2", "source", "12", "target", "2"),
                        Map.of("customer_id", "3", "source", "12", "target", "10")), perCustomer.samples(),
                "customer 1 is a cent off, within the tolerance");

        RuleResult perBatch = rule(r, "orders", "per_batch");
        assertEquals(List.of(Map.of("batch_id", "2", "source", "4", "target", "3")), perBatch.samples());

        RuleResult flow = rule(r, "orders", "flow");
        assertEquals(6, flow.checked(), "rows on both sides");
        assertEquals(List.of(Map.of("key", "5", "source", "paid", "target", "new")), flow.samples(),
                "new -> shipped is allowed through paid; paid -> new is not");

        RuleResult balanced = rule(r, "entries", "balanced");
        assertEquals(List.of(Map.of("account_id", "2", "value", "10")), balanced.samples());
        TableReport ledger = table(r, "entries");
        assertEquals(0, ledger.missing() + ledger.extra() + ledger.changed(), "the rows match");
        assertEquals(Report.DRIFT, ledger.status(), "an error rule's violation is drift");

        List<RuleResult> shortNames = table(r, "customers").rules();
        assertEquals(List.of("source:1", "target:1"), shortNames.stream().map(x -> x.side() + ":" + x.violations())
                .toList(), "Bea is three letters long, on each side");
        assertEquals(Report.CONSISTENT, table(r, "customers").status(), "a warn rule only reports");
        assertTrue(run.out().contains("rule positive 1"), run.out());
    }

    @Test
    void badRulesStopBeforeAnythingIsRead(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS rb CASCADE", "CREATE SCHEMA rb", "CREATE TABLE rb.orders " + ORDERS);
        String head = "job: rb\nsource: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "target: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "tables: [{name: orders, source: rb.orders}]\nrules:\n";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("- {name: p, table: orders, kind: row, check: 'amount >= '}", "rule p check: syntax error at line 1, position 10 in 'amount >= ': [PARSE_SYNTAX_ERROR]");
        cases.put("- {name: p, table: orders, kind: row, check: 'amout >= 0'}", "rule p: [UNRESOLVED_COLUMN");
        cases.put("- {name: p, table: orders, kind: row, check: 'amount + 1'}", "rule p: check 'amount + 1' is decimal");
        cases.put("- {name: p, table: orders, kind: aggregate, expr: 'max(status)'}", "is string, not a number");
        cases.put("- {name: p, table: orders, kind: row, check: 'sum(amount) > 0'}", "rule p: [NESTED_AGGREGATE_FUNCTION]");
        cases.put("- ", "rules[0] is empty");
        cases.put("- {name: p, table: orders, kind: row, check: 'amount > 0', severity: fatal}", "rules[0] (p).severity is 'fatal'; use error or warn");
        cases.put("- {name: p, table: orders, kind: total, expr: 'sum(amount)'}", "rules[0] (p).kind is 'total'");
        cases.put("- {name: p, table: order, kind: count}", "rules[0] (p).table is 'order'; name a table of this job (orders)");
        cases.put("- {name: p, table: orders, kind: transition, column: status}", "a transition rule needs column and allowed");
        int i = 0;
        for (var c : cases.entrySet()) {
            Path config = dir.resolve("bad" + i + ".yaml");
            Files.writeString(config, head + "  " + c.getKey() + "\n");
            Path out = dir.resolve("out" + i++);
            RepairScenariosTest.Run run = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                    out.toString());
            assertEquals(2, run.code(), c.getKey() + ": " + run.out() + run.err());
            assertTrue(run.err().contains(c.getValue()), c.getKey() + " -> " + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertFalse(Files.exists(out.resolve("report.json")));
        }
    }

    private static TableReport table(Report r, String name) {
        return r.tables().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static RuleResult rule(Report r, String table, String name) {
        return table(r, table).rules().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }
}
