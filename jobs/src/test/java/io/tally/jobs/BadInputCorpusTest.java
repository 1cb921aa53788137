package io.tally.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input corpus: every file in src/test/resources/bad-input/cases is one input a user could give (malformed or
 * hostile configuration, odd identifiers, tables that cannot be compared as asked, huge values, edited or foreign
 * plans) and what Tally must answer. Refusals are one line naming the object and the fix, exit 2, no report, nothing
 * written; odd-but-legal inputs (quotes, backticks, semicolons, unicode and reserved words in names, empty tables,
 * 8 MB values) are compared correctly instead. Either way the target is byte-for-byte what it was and no output holds
 * a password. See the README in bad-input/ for the case format.
 */
class BadInputCorpusTest {

    private static final String PASSWORD = "corpus-Secret-9!";
    /** The password cases write where passwords must not go (config keys, URLs, password_env): never echoed. */
    private static final String PLANTED = "hunter2";
    private static final AtomicInteger TRIED = new AtomicInteger();
    private static TestDatabases.Server pg;
    private static TestDatabases.Server my;
    private static Path home;
    private static Path goodPlan;

    /** One case file. */
    record Case(String about, List<String> args, String config, String configBase64, Map<String, String> files,
                Map<String, String> planEdit, String planDelete, Integer exit, String expect) {
        @Override
        public String toString() {
            return about;
        }
    }

    @BeforeAll
    static void seed(@TempDir Path tmp) throws Exception {
        TestSpark.session();
        home = tmp;
        pg = TestDatabases.postgres();
        my = TestDatabases.mysql();
        pg.exec("postgres", statements("seed-postgres.sql"));
        my.exec("mysql", statements("seed-mysql.sql"));
        Files.writeString(home.resolve("target.pw"), PASSWORD);
        Files.writeString(home.resolve("source.pw"), pg.password() == null ? "" : pg.password());
        Path config = home.resolve("good.yaml");
        Files.writeString(config, expand("job: corpus\nsource: ${pg}\ntarget: ${my}\ntables:\n  - {source: corpus.items, "
                + "target: corpus.items}\n", home, null));
        goodPlan = home.resolve("good");
        var run = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out", goodPlan.toString(), "--plan");
        assertEquals(1, run.code(), run.out() + run.err());
    }

    @AfterAll
    static void tally() {
        for (int i = 0; i < TRIED.get(); i++) {
            Hardening.badInput();
        }
    }

    static Stream<Case> cases() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).setPropertyNamingStrategy(
                com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
        Path dir = Path.of("src/test/resources/bad-input/cases");
        List<Case> cases = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                Case c = yaml.readValue(f.toFile(), Case.class);
                cases.add(new Case(f.getFileName().toString().replace(".yaml", "") + ": " + c.about(), c.args(),
                        c.config(), c.configBase64(), c.files(), c.planEdit(), c.planDelete(), c.exit(), c.expect()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersClearlyAndWritesNothing(Case c, @TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan");
        copy(goodPlan, plan);
        if (c.planEdit() != null) {
            Path f = plan.resolve(c.planEdit().get("file"));
            Files.writeString(f, Files.readString(f).replaceAll(c.planEdit().get("find"), c.planEdit().get("replace")));
        }
        if (c.planDelete() != null) {
            try (var parts = Files.walk(plan.resolve(c.planDelete()))) {
                for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                    Files.delete(p);
                }
            }
        }
        if (c.files() != null) {
            for (var e : c.files().entrySet()) {
                if (e.getValue().startsWith("base64:")) { // bytes that are not UTF-8
                    Files.write(dir.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue().substring(7)));
                } else {
                    Files.writeString(dir.resolve(e.getKey()), expand(e.getValue(), dir, plan));
                }
            }
        }
        Path config = dir.resolve("job.yaml");
        if (c.configBase64() != null) {
            Files.write(config, Base64.getDecoder().decode(c.configBase64()));
        } else if (c.config() != null) {
            Files.writeString(config, expand(c.config(), dir, plan));
        }
        List<String> args = c.args() != null ? c.args() : List.of("verify", "--config", "${config}", "--out", "${out}");
        String[] argv = args.stream().map(a -> expand(a, dir, plan)).toArray(String[]::new);

        String before = fingerprint();
        var run = RepairScenariosTest.cli(argv);
        int expected = c.exit() == null ? 2 : c.exit();
        System.out.println("corpus " + c + " -> exit " + run.code() + (run.code() == 2 ? ": " + run.err().strip() : ""));
        assertEquals(expected, run.code(), run.out() + run.err());
        assertEquals(before, fingerprint(), "the target changed");
        String all = run.out() + run.err();
        assertFalse(all.contains(PASSWORD), "password leaked: " + all);
        assertFalse(all.contains(PLANTED), "a password planted in the input was echoed: " + all);
        if (expected == 2) {
            String e = run.err().strip();
            assertTrue(e.startsWith("tally: error: "), e);
            assertFalse(e.contains("\n"), "more than one line: " + e);
            assertTrue(e.contains(c.expect()), "expected '" + c.expect() + "' in: " + e);
            assertFalse(Files.exists(dir.resolve("out")), "output was written on error");
            assertFalse(Files.exists(plan.resolve("repair-report.json")), "a repair report was written on error");
        } else {
            assertTrue(run.out().contains(c.expect()), "expected '" + c.expect() + "' in: " + run.out());
            assertFalse(Files.readString(dir.resolve("out/report.json")).contains(PASSWORD));
        }
        TRIED.incrementAndGet();
    }

    /** Replaces ${pg}, ${my}, ${my_url}, ${pg_url}, ${mongo_url}, ${dir}, ${config}, ${out}, ${plan} and ${home}. */
    private static String expand(String text, Path dir, Path plan) {
        String pgEndpoint = "{url: '" + pg.url("postgres") + "', user: " + pg.user() + ", password_file: '"
                + home.resolve("source.pw") + "'}";
        String myEndpoint = "{url: '" + my.url("corpus") + "', user: tally_corpus, password_file: '"
                + home.resolve("target.pw") + "'}";
        return text.replace("${pg}", pgEndpoint).replace("${my}", myEndpoint).replace("${my_url}", my.url("corpus"))
                .replace("${pg_url}", pg.url("postgres")).replace("${mongo_url}", TestMongo.uri("corpus_m"))
                .replace("${dir}", dir.toString()).replace("${config}", dir.resolve("job.yaml").toString())
                .replace("${out}", dir.resolve("out").toString()).replace("${home}", home.toString())
                .replace("${plan}", plan == null ? "" : plan.toString());
    }

    private static String[] statements(String resource) throws IOException {
        try (InputStream in = BadInputCorpusTest.class.getResourceAsStream("/bad-input/" + resource)) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Stream.of(sql.split(";\\s*\\n")).map(s -> s.replaceAll("(?m)^--.*$", "").strip())
                    .filter(s -> !s.isEmpty()).toArray(String[]::new);
        }
    }

    /** Every table of the target database, with its checksum: equal fingerprints mean nothing was written. */
    private static String fingerprint() throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = my.connect("mysql"); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'corpus' ORDER BY table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("CHECKSUM TABLE corpus.`" + t.replace("`", "``") + "`")) {
                    rs.next();
                    sb.append(t).append('=').append(rs.getString(2)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }
}
