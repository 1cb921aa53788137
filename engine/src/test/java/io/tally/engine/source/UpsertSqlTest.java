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
}
