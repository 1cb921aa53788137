package io.tally.jobs.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The demo's third case: shop.customers copied into a PostgreSQL reporting schema with its ids, the way a
 * data-only restore or a COPY does. Every row matches, yet the bigserial's sequence still stands at 1: the first
 * insert by the application would collide. Verify reports the sequence; repair moves it.
 */
public final class SequenceDemo {

    public static final List<String> STORY = List.of(
            "A reporting copy of shop.customers was loaded into PostgreSQL schema 'reporting' with explicit ids (a",
            "data-only restore): every row matches, but the id sequence was never moved past the copied ids.");

    /** The one integrity error the report must show. */
    public static final String EXPECTED = "sequence:reporting.customers_id_seq";

    private SequenceDemo() {
    }

    public static void seed(Connection pg) throws SQLException {
        try (Statement s = pg.createStatement()) {
            s.execute("CREATE SCHEMA reporting");
            s.execute("CREATE TABLE reporting.customers (LIKE shop.customers)");
            s.execute("ALTER TABLE reporting.customers ADD PRIMARY KEY (id)");
            s.execute("CREATE SEQUENCE reporting.customers_id_seq OWNED BY reporting.customers.id");
            s.execute("ALTER TABLE reporting.customers ALTER COLUMN id SET DEFAULT nextval('reporting.customers_id_seq')");
            s.execute("INSERT INTO reporting.customers SELECT * FROM shop.customers");
            s.execute("ANALYZE reporting.customers");
        }
    }

    public static Path writeConfig(Path dir, String pgUrl) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("demo-reporting.yaml");
        Files.writeString(file, """
                # Written by 'tally demo': the reporting copy, PostgreSQL to PostgreSQL on the same embedded server.
                job: demo-reporting-copy
                source: {url: '%s', user: postgres}
                target: {url: '%s', user: postgres}
                tables:
                  - {name: customers, source: shop.customers, target: reporting.customers}
                """.formatted(pgUrl, pgUrl));
        return file;
    }
}
