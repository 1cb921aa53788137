package io.tally.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration that died halfway, on any engine pair: a parent table (customers, serial key) and a child table
 * (orders, with a declared foreign key) with missing, extra and changed rows, where missing children reference
 * missing parents and an extra child references an extra parent; and a table whose target has no key and holds
 * duplicates (events). Source and target live in schemas (PostgreSQL) or databases (MySQL) of their own.
 */
final class RepairFixture {

    final TestDatabases.Server source;
    final TestDatabases.Server target;
    final String src;
    final String tgt;

    RepairFixture(TestDatabases.Server source, TestDatabases.Server target, String prefix) {
        this.source = source;
        this.target = target;
        this.src = prefix + "_src";
        this.tgt = prefix + "_tgt";
    }

    static boolean pg(TestDatabases.Server s) {
        return s.kind().equals("postgresql");
    }

    static String home(TestDatabases.Server s) {
        return pg(s) ? "postgres" : "mysql";
    }

    /** Creates both sides with {@code orders} rows in the source; the target gets the damaged copy. */
    void create(int orders) throws SQLException {
        List<String> s = schema(source, src, true);
        s.add(insert(src + ".customers (id, name, credit)", 1, 50, i -> i + ", 'c" + i + "', " + i + ".50"));
        s.add(insert(src + ".orders (id, customer_id, amount, status)", 1, orders, RepairFixture::order));
        s.add(insert(src + ".events (id, kind)", 1, 20, i -> i + ", 'k" + i + "'"));
        source.exec(home(source), s.toArray(String[]::new));
        List<String> t = schema(target, tgt, false);
        t.add(insert(tgt + ".customers (id, name, credit)", 1, 40, i -> i + ", 'c" + i + "', " + (i == 3 ? "999.00" : i + ".50")));
        t.add("INSERT INTO " + tgt + ".customers (id, name, credit) VALUES (99, 'ghost', 0)");
        // A retried copy wrote customer 45 under a new id: inserting 45 collides on the unique name until 98 goes.
        t.add("INSERT INTO " + tgt + ".customers (id, name, credit) VALUES (98, 'c45', 45.50)");
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= orders * 3 / 4; i++) {
            if (i % 50 + 1 <= 40) {
                rows.add("(" + (i == 5 || i == 6 ? order(i).replace("'new'", "'lost'").replace("'paid'", "'lost'")
                        : order(i)) + ")");
            }
        }
        t.add(ordersInsert() + " VALUES " + String.join(", ", rows));
        t.add(ordersInsert() + " VALUES (999, 99, 1.00, 'test')");
        t.add(insert(tgt + ".events (id, kind)", 1, 20, i -> i + ", 'k" + i + "'"));
        t.add(insert(tgt + ".events (id, kind)", 1, 5, i -> i + ", 'k" + i + "'")); // a retried batch
        target.exec(home(target), t.toArray(String[]::new));
    }

    /** The target's orders.id is GENERATED ALWAYS AS IDENTITY on PostgreSQL: explicit ids must override it. */
    String ordersInsert() {
        return "INSERT INTO " + tgt + ".orders (id, customer_id, amount, status)"
                + (pg(target) ? " OVERRIDING SYSTEM VALUE" : "");
    }

    private static String order(int i) {
        return i + ", " + (i % 50 + 1) + ", " + i + ".25, '" + (i % 3 == 0 ? "paid" : "new") + "'";
    }

    private static List<String> schema(TestDatabases.Server s, String name, boolean source) {
        List<String> sql = new ArrayList<>();
        if (pg(s)) {
            sql.add("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            sql.add("CREATE SCHEMA " + name);
            sql.add("CREATE TABLE " + name + ".customers (id serial PRIMARY KEY, name varchar(50) NOT NULL UNIQUE, "
                    + "credit numeric(10,2))");
            sql.add("CREATE TABLE " + name + ".orders (id integer " + (source ? "" : "GENERATED ALWAYS AS IDENTITY ")
                    + "PRIMARY KEY, customer_id integer NOT NULL REFERENCES " + name + ".customers (id), "
                    + "amount numeric(10,2), status varchar(20))");
            sql.add("CREATE TABLE " + name + ".events (id integer" + (source ? " PRIMARY KEY" : "") + ", kind varchar(10), "
                    + "kind_len integer GENERATED ALWAYS AS (length(kind)) STORED)");
        } else {
            sql.add("DROP DATABASE IF EXISTS " + name);
            sql.add("CREATE DATABASE " + name);
            sql.add("CREATE TABLE " + name + ".customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL "
                    + "UNIQUE, credit DECIMAL(10,2)) ENGINE=InnoDB");
            sql.add("CREATE TABLE " + name + ".orders (id INT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(10,2), "
                    + "status VARCHAR(20), FOREIGN KEY (customer_id) REFERENCES " + name + ".customers (id)) ENGINE=InnoDB");
            sql.add("CREATE TABLE " + name + ".events (id INT" + (source ? " PRIMARY KEY" : "") + ", kind VARCHAR(10), "
                    + "kind_len INT AS (CHAR_LENGTH(kind)) STORED)");
        }
        return sql;
    }

    private static String insert(String into, int from, int to, java.util.function.IntFunction<String> row) {
        List<String> rows = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            rows.add("(" + row.apply(i) + ")");
        }
        return "INSERT INTO " + into + " VALUES " + String.join(", ", rows);
    }

    /** Writes the job config (children listed before parents on purpose) and a password file. */
    Path config(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path sp = dir.resolve("source.pw");
        Path tp = dir.resolve("target.pw");
        Files.writeString(sp, source.password() == null ? "" : source.password());
        Files.writeString(tp, target.password() == null ? "" : target.password());
        String yaml = "job: repair-" + src + "\n"
                + "source: {url: '" + source.url(pg(source) ? "postgres" : src) + "', user: " + source.user()
                + ", password_file: '" + sp + "'}\n"
                + "target: {url: '" + target.url(pg(target) ? "postgres" : tgt) + "', user: " + target.user()
                + ", password_file: '" + tp + "'}\n"
                + "options: {rows_per_partition: 400}\n"
                + "tables:\n"
                + "  - {name: orders, source: " + src + ".orders, target: " + tgt + ".orders}\n"
                + "  - {name: customers, source: " + src + ".customers, target: " + tgt + ".customers}\n"
                + "  - {name: events, source: " + src + ".events, target: " + tgt + ".events, key: [id]}\n";
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Every target row of the three tables, in key order, as text: equal snapshots mean nothing changed. */
    String targetSnapshot() throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = target.connect(home(target)); Statement s = c.createStatement()) {
            for (String t : List.of("customers", "orders", "events")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + tgt + "." + t + " ORDER BY 1, 2")) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            sb.append(rs.getString(i)).append('|');
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    String targetValue(String sql) throws SQLException {
        try (Connection c = target.connect(home(target)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    void targetExec(String... sql) throws SQLException {
        target.exec(home(target), sql);
    }
}
