package io.tally.engine.source;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The repair's write statements per dialect. */
class UpsertSqlTest {

    private static final List<String> COLS = List.of("\"code\"", "\"id\"", "\"v\"");
    private static final List<String> PH = List.of("?", "CAST(? AS integer)", "?");

    @Test
    void postgresUpdatesEverythingButKeysAndAlwaysIdentities() {
        PostgresDialect pg = new PostgresDialect();
        assertEquals("INSERT INTO t (\"code\", \"id\", \"v\") OVERRIDING SYSTEM VALUE VALUES (?, CAST(? AS integer), ?) "
                        + "ON CONFLICT (\"code\") DO UPDATE SET \"v\" = EXCLUDED.\"v\"",
                pg.upsert("t", COLS, PH, List.of("\"code\""), false, List.of("\"id\"")));
        assertEquals("INSERT INTO t (\"code\", \"id\", \"v\") VALUES (?, CAST(? AS integer), ?) "
                        + "ON CONFLICT (\"code\") DO NOTHING",
                pg.upsert("t", COLS, PH, List.of("\"code\""), true, List.of()));
    }

    @Test
    void mysqlInsertOnlyIsAPlainInsert() {
        MySqlDialect my = new MySqlDialect();
        List<String> cols = List.of("`code`", "`v`");
        assertEquals("INSERT INTO t (`code`, `v`) VALUES (?, ?)", my.upsert("t", cols, List.of("?", "?"),
                List.of("`code`"), true, List.of()));
        assertEquals("INSERT INTO t (`code`, `v`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `v` = VALUES(`v`)",
                my.upsert("t", cols, List.of("?", "?"), List.of("`code`"), false, List.of()));
    }

    @Test
    void postgresCastsOnlyToTypeNames() {
        PostgresDialect pg = new PostgresDialect();
        java.util.function.Function<String, String> cast = t -> pg.placeholder(new io.tally.engine.model.ColumnInfo("c", t,
                io.tally.engine.model.LogicalType.DECIMAL, 12, 2, 0, true));
        assertEquals("CAST(? AS numeric(12,2))", cast.apply("numeric(12,2)"));
        assertEquals("CAST(? AS geometry(Point,4326))", cast.apply("geometry(Point,4326)"));
        assertEquals("CAST(? AS numeric(5,-2))", cast.apply("numeric(5,-2)"));
        assertEquals("CAST(? AS public.\"we;ird enum\")", cast.apply("public.\"we;ird enum\""));
        assertEquals("CAST(? AS timestamp(3) with time zone[])", cast.apply("timestamp(3) with time zone[]"));
        org.junit.jupiter.api.Assertions.assertThrows(io.tally.engine.TallyError.class,
                () -> cast.apply("int); DROP TABLE t; --"));
        org.junit.jupiter.api.Assertions.assertThrows(io.tally.engine.TallyError.class,
                () -> cast.apply("int) UNION SELECT (1"));
    }
}
