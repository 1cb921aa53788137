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
                args(ends + "tables: [{source: a, incremental: {watermark: u, batch: b}}]", "needs one of watermark or batch"),
                args(ends + "tables: [{source: a, incremental: {}}]", "tables[0].incremental needs one of"),
                args(ends + "tables: [{source: a, incremental: {batch: b, overlap: 5m}}]", "overlap applies to a watermark"),
                args(ends + "tables: [{source: a, incremental: {watermark: u, overlap: soon}}]", "incremental.overlap is 'soon'"),
                args(ends + "recheck: {generations: -1}\ntables: [{source: a}]", "recheck.generations is -1"),
                args(ends + "recheck: {generations: 2, delay: 3x}\ntables: [{source: a}]", "recheck.delay is '3x'"),
                args(ends + "recheck: {generations: 2, max_keys: 0}\ntables: [{source: a}]", "recheck.max_keys"),
                args(ends + "history: {database: {url: 'jdbc:mysql://h/db'}}\ntables: [{source: a}]",
                        "history.database.url must be a PostgreSQL JDBC URL"),
                args(ends + "history: {database: {url: 'jdbc:postgresql://h/db?password=secret'}}\ntables: [{source: a}]",
                        "history.database.url contains a password"),
                args(ends + "history: {database: {url: 'jdbc:postgresql://h/db'}, table: 'x; DROP'}\ntables: [{source: a}]",
                        "history.table 'x; DROP' is not a plain name"),
                args("source: {url: 'jdbc:postgresql://h/db', max_connections: 1}", "source.max_connections is 1"),
                args("source: {url: 'jdbc:mysql:loadbalance://u:secret@h1,h2/db'}", "source.url contains a password"),
                args("source: {url: 'jdbc:mysql+srv://u:secret@_mysql._tcp.h/db'}", "source.url contains a password"),
                args("source: {url: 'jdbc:mysql://h1,u:secret@h2/db'}", "source.url contains a password"),
                args("source: {url: 'mongodb://:secret@h/db'}", "source.url contains a password"),
                args("source: {url: 'jdbc:mysql://u@h1:3306,v:secret@h2:3306/db'}", "source.url contains a password"),
                args("source: {url: 'jdbc:mysql://h/db?clientCertificateKeyStorePassword=secret'}", "contains a password"),
                args("source: {url: 'jdbc:postgresql://h/db', password_env: 'secret!pw'}", "not an environment variable name"),
                args("source: {url: 'jdbc:postgresql://h/db', properties: {prepareQuery: x}}", "prepareQuery is a Spark reader option"),
                args("source: {url: 'jdbc:postgresql://h/db', properties: {sessionInitStatement: x}}", "Spark reader option"),
                args(ends + "tables: [{source: a, null_keys: ignore}]", "null_keys is 'ignore'"),
                args(ends + "options: {snapshot: maybe}\ntables: [{source: a}]", "options.snapshot is 'maybe'"),
                args(ends + "options: {chunk_time: 0s}\ntables: [{source: a}]", "options.chunk_time is '0s'"),
                args(ends + "options: {chunk_time: 2h}\ntables: [{source: a}]", "options.chunk_time is '2h'"),
                args("source: {url: 'jdbc:postgresql://h/db', throttle: {max_lag: soon}}", "source.throttle.max_lag is 'soon'"),
                args("source: {url: 'jdbc:postgresql://h/db', throttle: {max_wait: 10m}}", "source.throttle needs max_running"),
                args("source: {url: 'mongodb://h/db', throttle: {max_running: 5}}", "on a relational side"),
                args(ends + "options: {lock_timeout: 5}\ntables: [{source: a}]", "options.lock_timeout is '5'"),
                args(ends + "options: {statement_timeout: 1w}\ntables: [{source: a}]", "options.statement_timeout is '1w'"),
                args(ends + "canary: {sample: 150%}\ntables: [{source: a}]", "canary sample is '150%'"),
                args(ends + "canary: {sample: '0'}\ntables: [{source: a}]", "canary sample is '0'"),
                args(ends + "canary: {tables: {b: {where: x = 1}}}\ntables: [{source: a}]", "no table is named b"),
                args(ends + "canary: {tables: {a: {where: 'x = 1; DROP TABLE a'}}}\ntables: [{source: a}]",
                        "canary.tables.a.where holds ';'"),
                args(ends + "canary: {tables: {a: {where: 'x = 1 -- y'}}}\ntables: [{source: a}]", "holds '--'"),
                args(ends + "canary: {tables: {a: {target_where: \"x = 'it''s\"}}}\ntables: [{source: a}]", "unbalanced quote"),
                args(ends + "canary: {tables: {a: {where: '(x = 1'}}}\ntables: [{source: a}]", "unbalanced parenthesis"),
                args(ends + "canary: {tables: {a: {where: ') OR (1 = 1'}}}\ntables: [{source: a}]", "unbalanced parenthesis"),
                args(ends + "canary: {tables: {a: {batch: '3'}}}\ntables: [{source: a}]", "batch needs the table's batch_column"),
                args(ends + "canary: {tables: {a: {where: 'x = $$a;b$$'}}}\ntables: [{source: a}]", "holds '$'"),
                args(ends + "canary: {tables: {a: {where: 'x = ''a\\b'''}}}\ntables: [{source: a}]", "holds '\\'"),
                args(ends + "canary: {tables: {a: {where: 'pg_advisory_lock(1) IS NOT NULL'}}}\ntables: [{source: a}]",
                        "calls pg_advisory_lock()"),
                args(ends + "canary: {tables: {a: {where: 'x = 1 OR \"SLEEP\" (5) = 0'}}}\ntables: [{source: a}]",
                        "calls sleep()"),
                args("- just\n- a list", "source"));
    }

    @Test
    void aTrustStorePasswordAndTlsSettingsAreKeptForThePlanButNothingElse() {
        JobConfig c = loader.parse("job: j\nsource: {url: 'jdbc:mysql://h/db?sslMode=VERIFY_CA&trustCertificateKeyStoreUrl="
                + "file:/ca.p12&trustCertificateKeyStorePassword=changeit&connectTimeout=5'}\n"
                + "target: {url: 'jdbc:postgresql://h/db?sslmode=verify-full&sslrootcert=/ca.pem&ApplicationName=x'}\n"
                + "tables: [{source: a}]\n", "ok.yaml");
        assertEquals("jdbc:mysql://h/db?sslMode=VERIFY_CA&trustCertificateKeyStoreUrl=file:/ca.p12"
                + "&trustCertificateKeyStorePassword=changeit", c.source().withoutUrlParameters().url());
        assertEquals("jdbc:postgresql://h/db?sslmode=verify-full&sslrootcert=/ca.pem", c.target().withoutUrlParameters().url());
        assertEquals("jdbc:postgresql://h/db?sslrootcert=/home/pwd/ca.pem", new EndpointConfig(null,
                "jdbc:postgresql://h/db?sslrootcert=/home/pwd/ca.pem", null, null, null, null, null, null)
                .withoutUrlParameters().url());
        assertTrue(loader.parse("job: j\nsource: {url: 'jdbc:mysql://u@h1:3306,v@h2:3306/db'}\n"
                + "target: {url: 'jdbc:mysql://h/db'}\ntables: [{source: a}]\n", "ok.yaml").source().url().contains("v@h2"));
        assertEquals("jdbc:mysql://h/db", new EndpointConfig(null, "jdbc:mysql://h/db?a=b", null, null, null, null, null, null)
                .withoutUrlParameters().url());
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
    void auditSettingsParse() {
        JobConfig c = loader.parse(OK.replace("batch_column: batch_id", "incremental: {watermark: updated_at}")
                + "recheck: {generations: 3, delay: 2m}\n", "t.yaml");
        assertEquals(300, c.tables().get(0).incremental().overlapSeconds(), "a watermark re-reads 5 minutes by default");
        assertEquals("watermark", c.tables().get(0).incremental().kind());
        assertEquals(120, c.recheck().delaySeconds());
        assertTrue(c.recheck().enabled());
        assertFalse(loader.parse(OK, "t.yaml").recheck().enabled(), "rechecks are off unless configured");
        assertEquals(0, new Incremental(null, "load_id", null).overlapSeconds(), "a batch column has no overlap");
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
