package io.tally.jobs;

import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.canonical.RowHasher;
import io.tally.engine.canonical.TypeAligner;
import io.tally.engine.canonical.ValueCanonicalizer;
import io.tally.engine.config.ColumnOptions;
import io.tally.engine.config.EndpointConfig;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.TableRef;
import io.tally.engine.source.Dialect;
import io.tally.engine.source.Endpoint;
import io.tally.engine.source.pushdown.SqlTokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pushdown proof: for every case of the type matrix, on each engine, the row hash PostgreSQL or MySQL computes
 * in SQL ({@link SqlTokens}) equals the one Tally computes from the values it reads, row by row, under the rules
 * the engine pair aligns to. Columns an engine cannot canonicalize in SQL are listed exactly, so a type that
 * stops being pushed down, or starts, fails here.
 */
class SqlTokensTest {

    /** Matrix cases whose column the engine cannot canonicalize in SQL (they fall back to fetching rows). */
    private static final Map<String, List<String>> FALLBACK = Map.of(
            "postgresql", List.of("json", "json_text"),
            "mysql", List.of("double", "float", "float_double", "json", "json_text", "time", "uuid_binary", "date_datetime"),
            "mariadb", List.of("double", "float", "float_double", "json", "json_text", "time", "uuid_binary", "date_datetime"));

    @ParameterizedTest(name = "postgresql <-> {0}")
    @CsvSource({"mysql", "mariadb"})
    void sqlRowHashesEqualTallysOwn(String other) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        TestDatabases.Server my = other.equals("mysql") ? TestDatabases.mysql() : TestDatabases.mariadb();
        TypeMatrixTest.create(pg, "st_pg", true);
        TypeMatrixTest.create(my, "st_" + other, false);
        Endpoint pe = Endpoint.resolve("source", new EndpointConfig(null, pg.url("postgres"), pg.user(), null, null, null, null));
        Endpoint me = Endpoint.resolve("target", new EndpointConfig(null, my.url("st_" + other), my.user(), null, null, null, null));
        Map<String, TreeSet<String>> fallbacks = new LinkedHashMap<>();
        int proven = 0;
        try (Connection pc = pe.connect(); Connection mc = me.connect()) {
            TypeAligner aligner = new TypeAligner("UTC", "UTC", pe.dialect().truncatesFractionalSeconds(pc),
                    me.dialect().truncatesFractionalSeconds(mc));
            for (TypeMatrixTest.Case k : TypeMatrixTest.CASES) {
                for (String suffix : List.of("", "_changed")) {
                    TableRef pt = new TableRef("st_pg", "m_" + k.name() + suffix);
                    TableRef mt = new TableRef("st_" + other, "m_" + k.name() + suffix);
                    ColumnInfo pv = pe.dialect().describe(pc, pt).column("v").orElseThrow();
                    ColumnInfo mv = me.dialect().describe(mc, mt).column("v").orElseThrow();
                    var a = aligner.align("v", pv, mv, ColumnOptions.none());
                    if (!a.comparable()) {
                        continue;
                    }
                    ColumnPair p = a.pair();
                    for (boolean pgSide : new boolean[]{true, false}) {
                        Endpoint e = pgSide ? pe : me;
                        Connection c = pgSide ? pc : mc;
                        ColumnInfo v = pgSide ? pv : mv;
                        ColumnRule rule = pgSide ? p.sourceRule() : p.targetRule();
                        String engine = pgSide ? "postgresql" : other;
                        int rows = prove(e, c, pgSide ? pt : mt, v, rule, engine + " " + k.name() + suffix);
                        if (rows < 0) {
                            fallbacks.computeIfAbsent(engine, x -> new TreeSet<>()).add(k.name());
                            continue;
                        }
                        proven += rows;
                    }
                }
            }
        }
        Map<String, List<String>> seen = new LinkedHashMap<>();
        fallbacks.forEach((k, v) -> seen.put(k, new ArrayList<>(v)));
        assertEquals(Map.of("postgresql", sorted(FALLBACK.get("postgresql")), other, sorted(FALLBACK.get(other))), seen);
        System.out.println("sql row hashes proven equal for " + proven + " rows; fallbacks " + seen);
    }

    /** A PostgreSQL side read in another zone than UTC: zone-less timestamps are converted in SQL as in Tally. */
    @org.junit.jupiter.api.Test
    void zoneLessTimestampsInAnotherZoneToo() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        TypeMatrixTest.create(pg, "st_zone", true);
        Endpoint pe = Endpoint.resolve("source", new EndpointConfig(null, pg.url("postgres"), pg.user(), null, null, null, null));
        int proven = 0;
        try (Connection pc = pe.connect()) {
            boolean truncates = pe.dialect().truncatesFractionalSeconds(pc);
            TypeAligner aligner = new TypeAligner("America/Sao_Paulo", "Asia/Kolkata", truncates, truncates);
            for (TypeMatrixTest.Case k : TypeMatrixTest.CASES) {
                if (!k.name().startsWith("timestamp") || k.name().equals("timestamptz")) {
                    continue;
                }
                for (String suffix : List.of("", "_changed")) {
                    TableRef t = new TableRef("st_zone", "m_" + k.name() + suffix);
                    ColumnInfo v = pe.dialect().describe(pc, t).column("v").orElseThrow();
                    var a = aligner.align("v", v, v, ColumnOptions.none());
                    for (ColumnRule rule : List.of(a.pair().sourceRule(), a.pair().targetRule())) {
                        int rows = prove(pe, pc, t, v, rule, k.name() + suffix + " in " + rule.zone());
                        assertEquals(true, rows > 0, k.name() + " in " + rule.zone() + " has a token");
                        proven += rows;
                    }
                }
            }
        }
        assertEquals(true, proven >= 16, "rows proven: " + proven);
    }

    /** Rows whose SQL hash was proven equal to Tally's, or -1 when the engine has no SQL token for the column. */
    private static int prove(Endpoint e, Connection c, TableRef t, ColumnInfo v, ColumnRule rule, String what)
            throws Exception {
        ColumnInfo id = e.dialect().describe(c, t).column("id").orElseThrow();
        SqlTokens sql = e.dialect().sqlTokens();
        String vt = sql.token(e.dialect().quote("v"), v, rule);
        if (vt == null) {
            return -1;
        }
        ColumnRule idRule = ColumnRule.of(ColumnRule.Kind.EXACT);
        String hash = sql.rowHash(List.of(sql.token(e.dialect().quote("id"), id, idRule), vt));
        String table = e.dialect().qualified(t);
        Map<Integer, String> inSql = query(c, "SELECT id, " + hash + " FROM " + table);
        Map<Integer, String> inTally = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, "
                + e.dialect().readExpression(v, rule.kind()) + " FROM " + table)) {
            while (rs.next()) {
                inTally.put(rs.getInt(1), new RowHasher().hash(new String[]{
                        ValueCanonicalizer.token((long) rs.getInt(1), idRule),
                        ValueCanonicalizer.token(rs.getObject(2), rule)}));
            }
        }
        assertEquals(inTally, inSql, what + " as " + rule.kind());
        return inSql.size();
    }

    private static List<String> sorted(List<String> l) {
        return new ArrayList<>(new TreeSet<>(l));
    }

    private static Map<Integer, String> query(Connection c, String sql) throws Exception {
        Map<Integer, String> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2));
            }
        }
        return out;
    }
}
