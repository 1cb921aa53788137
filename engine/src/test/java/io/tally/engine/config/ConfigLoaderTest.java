package io.tally.engine.config;

import io.tally.engine.TallyError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static final String OK = """
            job: j
            source: {url: "jdbc:postgresql://h/db", user: u, password_env: PW}
            target: {url: "jdbc:mysql://h/db"}
            tables:
              - source: public.orders
                target: shop.orders
                key: [id]
                batch_column: batch_id
            """;

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void readsSnakeCaseKeysAndDefaults() {
        JobConfig c = loader.parse(OK, "t.yaml");
        assertEquals("PW", c.source().passwordEnv());
        assertEquals("UTC", c.target().timeZone());
        assertEquals("public.orders", c.tables().get(0).name());
        assertEquals("batch_id", c.tables().get(0).batchColumn());
        assertEquals(250_000, c.options().rowsPerPartition());
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> badConfigs() {
        String ends = "source: {url: 'jdbc:postgresql://h/db'}\ntarget: {url: 'jdbc:mysql://h/db'}\n";
        return java.util.stream.Stream.of(
                args("tables: [ {source: a", "malformed YAML"),
                args("job: j\nsourc: {url: x}", "unknown key 'sourc'"),
                args("job: j", "source.url is missing"),
                args("source: {url: 'jdbc:postgresql://h/db', password: secret}", "passwords are not read from the config file"),
                args("source: {url: 'jdbc:postgresql://h/db?password=secret'}", "contains a password"),
                args("source: {url: 'jdbc:postgresql://u:secret@h/db'}", "contains a password"),
                args("source: {url: 'jdbc:postgresql://h/db', time_zone: Mars/Base}", "is not a zone"),
                args(ends, "no tables to verify"),
                args(ends + "tables: [{target: x}]", "tables[0].source is missing"),
                args(ends + "tables: [{source: a, time_column: t, time_window: 5x}]", "time_window is '5x'"),
                args(ends + "tables: [{source: a, columns: {c: {type: blob}}}]", "columns.c.type is 'blob'"),
                args(ends + "tables: [{source: a}, {source: a}]", "appears twice"),
                args(ends + "options: {temporal_rounding: floor}\ntables: [{source: a}]", "temporal_rounding"),
                args(ends + "tables: [{source: a, partitions: many}]", "tables[0].partitions"),
                args(ends + "tables: [{source: a, include: [x], exclude: [y]}]", "both include and exclude"),
                args("- just\n- a list", "source"));
    }

    private static org.junit.jupiter.params.provider.Arguments args(String yaml, String expected) {
        return org.junit.jupiter.params.provider.Arguments.of(yaml, expected);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("badConfigs")
    void rejectsBadConfigWithOneLineThatNamesTheKey(String yaml, String expected) {
        TallyError e = assertThrows(TallyError.class, () -> loader.parse(yaml, "bad.yaml"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.yaml"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), "a password leaked: " + e.getMessage());
    }

    @Test
    void missingFileIsOneClearLine() {
        TallyError e = assertThrows(TallyError.class, () -> loader.load(java.nio.file.Path.of("/nope/job.yaml")));
        assertTrue(e.getMessage().contains("does not exist"));
    }

    @Test
    void windowsParse() {
        assertEquals(900_000_000L, ConfigLoader.windowMicros("15m", "t"));
        assertEquals(86_400_000_000L, ConfigLoader.windowMicros("1d", "t"));
        assertThrows(TallyError.class, () -> ConfigLoader.windowMicros("0h", "t"));
    }
}
