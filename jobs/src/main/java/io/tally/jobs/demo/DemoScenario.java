package io.tally.jobs.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * The demo's migration that failed mid-process: a shop moving from PostgreSQL to MySQL. Rows are generated
 * deterministically and written to both sides, with the failures a real migration leaves behind injected on
 * the target. {@link #EXPECTED} is the drift the report must show, exactly.
 */
public final class DemoScenario {

    public static final int CUSTOMERS = 500;
    public static final int BATCHES = 8;
    public static final int BATCH_SIZE = 250;
    /** The migration died in batch 8 after this many rows. */
    public static final int PARTIAL_ROWS = 150;
    /** The first rows of batch 5 were inserted a second time by a non-idempotent retry. */
    public static final int RETRIED_ROWS = 40;

    /** What the report must show per table: missing, extra, changed, duplicate target keys, differing columns. */
    public record Expected(long missing, long extra, long changed, long targetDuplicateKeys,
                           Map<String, Long> columnDifferences) {
    }

    /** Ledger transfers: each is a debit and a credit of the same amount. */
    public static final int TRANSFERS = 100;
    /** The transfer whose credit leg the ledger copy lost. */
    public static final int LOST_CREDIT = 42;

    public static final Map<String, Expected> EXPECTED = Map.of(
            "customers", new Expected(0, 0, 12, 0, Map.of("balance", 12L)),
            "orders", new Expected(BATCH_SIZE - PARTIAL_ROWS, 1, 6, RETRIED_ROWS,
                    Map.of("status", 3L, "amount", 2L, "note", 1L)),
            "ledger", new Expected(1, 0, 0, 0, Map.of()));

    /**
     * The business rules' violations the report must show, exactly: transfer 42 out of balance, and two orders
     * cancelled after shipping or delivery (a paid order may be cancelled).
     */
    public static final Map<String, Long> EXPECTED_RULES = Map.of("transfers_balance", 1L, "status_moves_forward", 2L);

    /** The story, as printed before the verification runs. */
    public static final List<String> STORY = List.of(
            "A shop migrates from PostgreSQL (source) to MySQL 8 (target). The copy job died mid-process:",
            "  - orders: batch 8 stopped after " + PARTIAL_ROWS + " of " + BATCH_SIZE + " rows (a partial batch);",
            "  - orders: batch 5's first " + RETRIED_ROWS + " rows were inserted twice by a retry (the target has a",
            "    surrogate row_id, so nothing stopped the duplicates);",
            "  - orders: 3 statuses, 2 amounts and 1 note were changed on the target, and one test order was",
            "    written straight into it;",
            "  - customers: balance was created as DECIMAL(12,1), dropping a digit: 12 balances lost a cent;",
            "  - customers.created_at is DATETIME (seconds) in the target, timestamp(6) in the source: MySQL",
            "    rounded on insert, which Tally must not report as drift;",
            "  - the copy ran with foreign_key_checks = 0, so the test order references a customer that does",
            "    not exist (an orphan the row diff alone would call just an extra row);",
            "  - a gh-ost run adding an index to orders was aborted and left its ghost and changelog tables;",
            "  - ledger: the copy lost the credit leg of transfer " + LOST_CREDIT + ", so it no longer balances (a",
            "    business rule, not only a missing row); and orders 302 and 303 were 'cancelled' on the target",
            "    after being shipped and delivered, which the status rule forbids.");

    /** The integrity errors the report must show, as check:object; nothing else may be an error. */
    public static final List<String> EXPECTED_INTEGRITY = List.of("orphans:orders_ibfk_1", "leftover:_orders_ghc",
            "leftover:_orders_gho", "schema:balance");

    /** The operator's clean-up of the aborted gh-ost run, before repairing. */
    public static final String DROP_LEFTOVERS = "DROP TABLE shop._orders_gho, shop._orders_ghc";

    private DemoScenario() {
    }

    public static void createSource(Connection pg) throws SQLException {
        try (Statement s = pg.createStatement()) {
            s.execute("CREATE SCHEMA shop");
            s.execute("""
                    CREATE TABLE shop.customers (id bigint PRIMARY KEY, email varchar(200) NOT NULL,
                      full_name varchar(200), country char(2), balance numeric(12,2), created_at timestamp(6),
                      active boolean, profile jsonb)""");
            s.execute("""
                    CREATE TABLE shop.orders (order_id bigint PRIMARY KEY, customer_id bigint NOT NULL,
                      amount numeric(12,2), status varchar(20), batch_id int, created_at timestamptz, note text)""");
            s.execute(LEDGER);
        }
    }

    private static final String LEDGER = "CREATE TABLE shop.ledger (entry_id bigint PRIMARY KEY, transfer_id int NOT NULL, "
            + "account_id int NOT NULL, debit decimal(12,2) NOT NULL, credit decimal(12,2) NOT NULL)";

    public static void createTarget(Connection mysql) throws SQLException {
        try (Statement s = mysql.createStatement()) {
            s.execute("CREATE DATABASE shop");
            s.execute("""
                    CREATE TABLE shop.customers (id BIGINT PRIMARY KEY, email VARCHAR(200) NOT NULL,
                      full_name VARCHAR(200), country CHAR(2), balance DECIMAL(12,1), created_at DATETIME,
                      active TINYINT(1), profile JSON)""");
            s.execute("""
                    CREATE TABLE shop.orders (row_id BIGINT AUTO_INCREMENT PRIMARY KEY, order_id BIGINT NOT NULL,
                      customer_id BIGINT NOT NULL, amount DECIMAL(12,2), status VARCHAR(20), batch_id INT,
                      created_at TIMESTAMP(6) NULL, note TEXT,
                      FOREIGN KEY (customer_id) REFERENCES shop.customers (id))""");
            s.execute(LEDGER);
            s.execute("CREATE TABLE shop._orders_gho LIKE shop.orders");
            s.execute("CREATE TABLE shop._orders_ghc (id BIGINT AUTO_INCREMENT PRIMARY KEY, hint VARCHAR(64), value TEXT)");
        }
    }

    public static void seed(Connection pg, Connection mysql) throws SQLException {
        seedLedger(pg, mysql);
        String cust = "INSERT INTO shop.customers (id, email, full_name, country, balance, created_at, active, profile)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement src = pg.prepareStatement(cust.replace("profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                "profile) VALUES (?, ?, ?, ?, ?, CAST(? AS timestamp), ?, CAST(? AS jsonb))"));
             PreparedStatement tgt = mysql.prepareStatement(cust)) {
            for (int i = 1; i <= CUSTOMERS; i++) {
                Object[] row = customer(i);
                bind(src, row);
                src.addBatch();
                Object[] copy = row.clone();
                copy[7] = "{\"tier\": " + (i % 3) + ", \"tags\": [\"a\", \"b\"], \"since\": 2020}"; // keys reordered
                bind(tgt, copy);
                tgt.addBatch();
            }
            src.executeBatch();
            tgt.executeBatch();
        }
        String ord = "INSERT INTO shop.orders (order_id, customer_id, amount, status, batch_id, created_at, note)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement src = pg.prepareStatement(ord.replace("VALUES (?, ?, ?, ?, ?, ?, ?)",
                "VALUES (?, ?, ?, ?, ?, CAST(? AS timestamptz), ?)"));
             PreparedStatement tgt = mysql.prepareStatement(ord)) {
            for (int batch = 1; batch <= BATCHES; batch++) {
                for (int j = 0; j < BATCH_SIZE; j++) {
                    long id = (long) (batch - 1) * BATCH_SIZE + j + 1;
                    Object[] row = order(id, batch);
                    bind(src, row);
                    src.addBatch();
                    if (batch == BATCHES && j >= PARTIAL_ROWS) {
                        continue; // the copy died here
                    }
                    bind(tgt, drifted(row));
                    tgt.addBatch();
                }
                if (batch == 5) {
                    for (int j = 0; j < RETRIED_ROWS; j++) {
                        bind(tgt, order((long) 4 * BATCH_SIZE + j + 1, 5));
                        tgt.addBatch();
                    }
                }
            }
            bind(tgt, new Object[]{999_999L, 0L, new BigDecimal("1.00"), "test", 9, "2024-06-01 12:00:00", "smoke test"});
            tgt.addBatch();
            src.executeBatch();
            try (Statement off = mysql.createStatement()) {
                off.execute("SET foreign_key_checks = 0"); // as the copy job ran
                tgt.executeBatch();
                off.execute("SET foreign_key_checks = 1");
            }
        }
    }

    /** Each transfer debits one account and credits another; the target lost one credit leg. */
    private static void seedLedger(Connection pg, Connection mysql) throws SQLException {
        String sql = "INSERT INTO shop.ledger VALUES (?, ?, ?, ?, ?)";
        try (PreparedStatement src = pg.prepareStatement(sql); PreparedStatement tgt = mysql.prepareStatement(sql)) {
            for (int t = 1; t <= TRANSFERS; t++) {
                BigDecimal amount = new BigDecimal(t * 13 % 500 + ".25");
                Object[][] legs = {{2L * t - 1, t, t % 20 + 1, amount, BigDecimal.ZERO},
                        {2L * t, t, (t + 7) % 20 + 1, BigDecimal.ZERO, amount}};
                for (int leg = 0; leg < legs.length; leg++) {
                    bind(src, legs[leg]);
                    src.addBatch();
                    if (t != LOST_CREDIT || leg == 0) { // the credit leg of the lost transfer never arrived
                        bind(tgt, legs[leg]);
                        tgt.addBatch();
                    }
                }
            }
            src.executeBatch();
            tgt.executeBatch();
        }
    }

    private static Object[] customer(int i) {
        BigDecimal balance = i % 40 == 0 ? new BigDecimal(i + ".05") : new BigDecimal(i + ".50");
        LocalDateTime created = LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(i * 2232L).plusNanos(345_678_000L);
        if (i == 77) {
            created = LocalDateTime.of(2024, 3, 31, 23, 59, 59, 600_000_000); // MySQL rounds it into April
        }
        return new Object[]{(long) i, "user" + i + "@example.com", i % 50 == 0 ? null : "Customer Nº" + i,
                i % 2 == 0 ? "DE" : "FR", balance, created.toString().replace('T', ' '), i % 7 != 0,
                "{\"since\": 2020, \"tags\": [\"a\", \"b\"], \"tier\": " + (i % 3) + "}"};
    }

    private static Object[] order(long id, int batch) {
        String[] statuses = {"new", "paid", "shipped", "delivered"};
        LocalDateTime created = LocalDateTime.of(2024, 5, 1, 8, 0).plusMinutes(id * 7).plusNanos(id % 1000 * 1000L);
        return new Object[]{id, id % CUSTOMERS + 1, new BigDecimal(id % 997 + "." + String.format("%02d", id % 100)),
                statuses[(int) (id % 4)], batch, created.toString().replace('T', ' '), "order " + id + " "};
    }

    /** Edits that reached the target only: three statuses, two amounts, a trailing blank lost from one note. */
    private static Object[] drifted(Object[] row) {
        long id = (Long) row[0];
        Object[] r = row.clone();
        if (id == 301 || id == 302 || id == 303) {
            r[3] = "cancelled";
        } else if (id == 410 || id == 411) {
            r[2] = ((BigDecimal) r[2]).add(new BigDecimal("0.01"));
        } else if (id == 620) {
            r[6] = ((String) r[6]).strip();
        }
        return r;
    }

    private static void bind(PreparedStatement ps, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            ps.setObject(i + 1, row[i]);
        }
    }
}
