package io.tally.jobs.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's {@code orders} table (bigint key, bigint, varchar, numeric(12,2), text, two timestamps) with
 * {@code rows} rows on both sides, generated inside each database, and 0.25 % drift on the target: a third of it
 * missing rows, a third extra rows, a third changed rows; the benchmark counts what was injected from the target.
 */
record BenchData(long rows) {

    /** About one row in 1200 is missing, one in 1200 changed, and rows/1200 extra rows added: 0.25 % in all. */
    static final int EVERY = 1200;

    long extra() {
        return rows / EVERY;
    }

    void createPostgres(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS bench CASCADE");
            s.execute("CREATE SCHEMA bench");
            s.execute("CREATE TABLE bench.orders (id bigint PRIMARY KEY, customer_id bigint, status varchar(20), "
                    + "amount numeric(12,2), note text, created_at timestamp(6), updated_at timestamp(6))");
            s.execute("INSERT INTO bench.orders SELECT g, g % 50000, (ARRAY['new','paid','shipped','done'])[g % 4 + 1], "
                    + "(g % 100000) / 100.0, 'order note ' || g, timestamp '2024-01-01' + g * interval '1.000001 second', "
                    + "timestamp '2024-06-01' + g * interval '2 second' FROM generate_series(1, " + rows + ") g");
            s.execute("ANALYZE bench.orders");
        }
    }

    void createMysql(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS bench");
            s.execute("CREATE DATABASE bench");
            s.execute("CREATE TABLE bench.digits (d INT PRIMARY KEY)");
            s.execute("INSERT INTO bench.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
            s.execute("CREATE TABLE bench.orders (id BIGINT PRIMARY KEY, customer_id BIGINT, status VARCHAR(20), "
                    + "amount DECIMAL(12,2), note TEXT, created_at DATETIME(6), updated_at DATETIME(6))");
            StringBuilder n = new StringBuilder("1");
            StringBuilder from = new StringBuilder();
            long scale = 1;
            for (int i = 0; scale < rows; i++, scale *= 10) {
                n.append(" + ").append(scale).append(" * d").append(i).append(".d");
                from.append(i == 0 ? "" : ", ").append("bench.digits d").append(i);
            }
            s.execute("INSERT INTO bench.orders SELECT n, n % 50000, ELT(n % 4 + 1, 'new', 'paid', 'shipped', 'done'), "
                    + "(n % 100000) / 100.0, CONCAT('order note ', n), "
                    + "TIMESTAMPADD(MICROSECOND, n * 1000001, '2024-01-01'), TIMESTAMPADD(SECOND, n * 2, '2024-06-01') "
                    + "FROM (SELECT " + n + " AS n FROM " + from + ") g WHERE n <= " + rows);
            s.execute("DELETE FROM bench.orders WHERE id % " + EVERY + " = 7");
            s.execute("UPDATE bench.orders SET status = 'changed' WHERE id % " + EVERY + " = 601");
            s.execute("INSERT INTO bench.orders SELECT id + " + rows + ", customer_id, status, amount, note, created_at, "
                    + "updated_at FROM bench.orders WHERE id <= " + extra() * 2 + " LIMIT " + extra());
            s.execute("ANALYZE TABLE bench.orders");
        }
    }
}
