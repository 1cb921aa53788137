package io.tally.jobs;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.TableReport;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The BSON type matrix in each direction the issue names: MongoDB -> MongoDB, PostgreSQL -> MongoDB and
 * MongoDB -> MySQL. Per direction a faithful copy must be CONSISTENT, a copy with one field of each row changed
 * must have every row CHANGED (each field counted where it changed), and repairing that copy from the plan must
 * make it CONSISTENT.
 */
class DocumentMatrixTest {

    private static final int ROWS = 26;
    private static final long T0 = 1_700_000_000_123L;

    /** A field: its value in the source, in a faithful copy (maybe another representation), and changed. */
    record Field(String name, IntFunction<BsonValue> source, IntFunction<BsonValue> same, IntFunction<BsonValue> changed) {
    }

    private static Field f(String name, IntFunction<BsonValue> v, IntFunction<BsonValue> changed) {
        return new Field(name, v, v, changed);
    }

    private static UUID uuid(int i) {
        return UUID.fromString(String.format("a0eebc99-9c0b-4ef8-bb6d-%012d", i));
    }

    static final List<Field> BSON = List.of(
            new Field("i32", i -> new BsonInt32(i), i -> new BsonInt64(i), i -> new BsonInt32(i + 1)),
            f("i64", i -> new BsonInt64(9_000_000_000L + i), i -> new BsonInt64(9_000_000_001L + i)),
            f("dbl", i -> new BsonDouble(i + 0.1), i -> new BsonDouble(Math.nextUp(i + 0.1))),
            new Field("dec", i -> new BsonDecimal128(Decimal128.parse(i + ".10")),
                    i -> new BsonDecimal128(Decimal128.parse(i + ".1")), i -> new BsonDecimal128(Decimal128.parse(i + ".11"))),
            f("typed", i -> new BsonInt32(5), i -> new BsonDouble(5.0)),
            f("str", i -> new BsonString("Name \u00e9 " + i), i -> new BsonString("name \u00e9 " + i)),
            f("flag", i -> BsonBoolean.valueOf(i % 2 == 0), i -> BsonBoolean.valueOf(i % 2 != 0)),
            f("at", i -> new BsonDateTime(T0 + i), i -> new BsonDateTime(T0 + i + 1)),
            f("oid", i -> new BsonObjectId(new ObjectId(String.format("%024x", 0x6500L + i))),
                    i -> new BsonObjectId(new ObjectId(String.format("%024x", 0x7500L + i)))),
            f("uid", i -> new BsonBinary(uuid(i), UuidRepresentation.STANDARD),
                    i -> new BsonBinary(uuid(i + 100), UuidRepresentation.STANDARD)),
            f("bin", i -> new BsonBinary(new byte[]{0, (byte) i, (byte) 0xff}), i -> new BsonBinary(new byte[]{0, (byte) i, 0})),
            new Field("nested", i -> BsonDocument.parse("{a: 1, b: {c: " + i + ", d: [1, 2]}}"),
                    i -> BsonDocument.parse("{b: {d: [1, 2], c: " + i + "}, a: 1}"),
                    i -> BsonDocument.parse("{a: 1, b: {c: " + i + ", d: [2, 1]}}")),
            f("list", i -> new BsonArray(List.of(new BsonString("x"), new BsonInt32(i))),
                    i -> new BsonArray(List.of(new BsonInt32(i), new BsonString("x")))),
            f("nil", i -> BsonNull.VALUE, i -> null),
            f("re", i -> new BsonRegularExpression("^a" + i, "i"), i -> new BsonRegularExpression("^a" + i, "im")),
            f("ts", i -> new BsonTimestamp(1_700_000_000, i), i -> new BsonTimestamp(1_700_000_000, i + 1)));

    private static BsonDocument doc(int i, List<Field> fields, int which) {
        BsonDocument d = new BsonDocument("_id", new BsonInt32(i));
        for (int k = 0; k < fields.size(); k++) {
            Field f = fields.get(k);
            BsonValue v = which == 0 ? f.source().apply(i) : which == 1 ? f.same().apply(i)
                    : (i % fields.size() == k ? f.changed() : f.source()).apply(i);
            if (v != null) {
                d.put(f.name(), v);
            }
        }
        return d;
    }

    private static void collections(String db, List<Field> fields, boolean source, boolean copies) {
        try (MongoClient client = MongoClients.create(TestMongo.uri(""))) {
            MongoDatabase d = client.getDatabase(db);
            for (int which = 0; which < 3; which++) {
                if ((which == 0 && !source) || (which > 0 && !copies)) {
                    continue;
                }
                var c = d.getCollection(List.of("src", "same", "changed").get(which), BsonDocument.class);
                c.drop();
                List<BsonDocument> docs = new ArrayList<>();
                for (int i = 1; i <= ROWS; i++) {
                    docs.add(doc(i, fields, which));
                }
                c.insertMany(docs);
            }
        }
    }

    static String mongo(String db) {
        return "{url: '" + TestMongo.uri(db) + "', properties: {partitioner: " + TestMongo.partitioner() + "}}";
    }

    /** Runs verify --plan, checks the faithful copy and the changed one, repairs, and verifies again. */
    static void verifyRepairVerify(Path dir, String yaml, Map<String, Long> changedPerColumn) throws Exception {
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, yaml);
        Path out = dir.resolve("run");
        RepairScenariosTest.Run verify = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                out.toString(), "--plan");
        assertEquals(TallyCli.DRIFT, verify.code(), verify.err());
        Report report = new ReportWriter().read(out.resolve("report.json"));
        TableReport same = report.tables().get(0);
        TableReport changed = report.tables().get(1);
        assertEquals(Report.CONSISTENT, same.status(), same.samples().changed().toString() + same.excluded());
        assertEquals(0, changed.missing() + changed.extra());
        assertEquals(ROWS, changed.changed(), changed.samples().changed().toString());
        for (TableReport.ColumnReport c : changed.columns()) {
            assertEquals(changedPerColumn.getOrDefault(c.name(), 0L), c.differences(), c.name());
        }
        RepairScenariosTest.Run repair = RepairScenariosTest.cli("repair", "--plan", out.toString());
        assertEquals(TallyCli.CONSISTENT, repair.code(), repair.out() + repair.err());
        RepairScenariosTest.Run after = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                dir.resolve("after").toString());
        assertEquals(TallyCli.CONSISTENT, after.code(), after.out());
    }

    /** How many rows change field {@code k} of {@code n}: rows 1..ROWS with {@code i % n == k}. */
    static long changedRows(int k, int n) {
        long c = 0;
        for (int i = 1; i <= ROWS; i++) {
            c += i % n == k ? 1 : 0;
        }
        return c;
    }

    @Test
    void mongoToMongo(@TempDir Path dir) throws Exception {
        collections("dm_mm_s", BSON, true, false);
        collections("dm_mm_t", BSON, false, true);
        Map<String, Long> perColumn = new java.util.HashMap<>();
        for (int k = 0; k < BSON.size(); k++) {
            perColumn.put(BSON.get(k).name(), changedRows(k, BSON.size()));
        }
        verifyRepairVerify(dir, "job: dm-mm\nsource: " + mongo("dm_mm_s") + "\ntarget: " + mongo("dm_mm_t") + "\n"
                + "tables:\n  - {name: same, source: dm_mm_s.src, target: dm_mm_t.same}\n"
                + "  - {name: changed, source: dm_mm_s.src, target: dm_mm_t.changed}\n", perColumn);
    }

    /** A relational column and the document field a faithful migration writes it to. */
    record Col(String column, String type, String path, IntFunction<String> sql, IntFunction<String> sqlChanged,
               IntFunction<BsonValue> bson, IntFunction<BsonValue> bsonChanged) {
    }

    private static String q(String s) {
        return "'" + s + "'";
    }

    private static String ts(long millis) {
        return q(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
                .format(java.time.Instant.ofEpochMilli(millis).atOffset(java.time.ZoneOffset.UTC)));
    }

    private static String day(int i) {
        return q(java.time.LocalDate.ofEpochDay(19_700 + i).toString());
    }

    private static BsonValue midnight(int i) {
        return new BsonDateTime((19_700L + i) * 86_400_000L);
    }

    static final List<Col> PG = List.of(
            new Col("c_int", "integer", "c_int", i -> "" + i, i -> "" + (i + 1), i -> new BsonInt32(i), i -> new BsonInt32(i + 1)),
            new Col("c_big", "bigint", "c_big", i -> "" + (9_000_000_000L + i), null, i -> new BsonInt64(9_000_000_000L + i),
                    i -> new BsonInt64(9_000_000_001L + i)),
            new Col("c_dec", "numeric(12,2)", "c_dec", i -> i + ".50", null, i -> new BsonDecimal128(Decimal128.parse(i + ".50")),
                    i -> new BsonDecimal128(Decimal128.parse(i + ".51"))),
            new Col("c_dbl", "double precision", "c_dbl", i -> "" + (i + 0.25), null, i -> new BsonDouble(i + 0.25),
                    i -> new BsonDouble(Math.nextUp(i + 0.25))),
            new Col("c_real", "real", "c_real", i -> "" + (i + 0.1f), null, i -> new BsonDouble(i + 0.1f),
                    i -> new BsonDouble(Math.nextUp(i + 0.1f))),
            new Col("c_bool", "boolean", "c_bool", i -> "" + (i % 2 == 0), null, i -> BsonBoolean.valueOf(i % 2 == 0),
                    i -> BsonBoolean.valueOf(i % 2 != 0)),
            new Col("c_text", "text", "c_text", i -> q("Name " + i), null, i -> new BsonString("Name " + i),
                    i -> new BsonString("name " + i)),
            new Col("c_char", "char(5)", "c_char", i -> q("ab"), null, i -> new BsonString("ab"), i -> new BsonString("abc")),
            new Col("c_uuid", "uuid", "c_uuid", i -> q(uuid(i).toString()), null,
                    i -> new BsonBinary(uuid(i), UuidRepresentation.STANDARD), i -> new BsonBinary(uuid(i + 100), UuidRepresentation.STANDARD)),
            new Col("c_uuid_s", "uuid", "c_uuid_s", i -> q(uuid(i).toString()), null, i -> new BsonString(uuid(i).toString()),
                    i -> new BsonString(uuid(i + 100).toString())),
            new Col("c_ts", "timestamp(6)", "c_ts", i -> ts(T0 + i), null, i -> new BsonDateTime(T0 + i),
                    i -> new BsonDateTime(T0 + i + 1)),
            new Col("c_tstz", "timestamptz", "c_tstz", i -> ts(T0 + i) + "::timestamptz", null,
                    i -> new BsonDateTime(T0 + i), i -> new BsonDateTime(T0 - i)),
            new Col("c_date", "date", "c_date", DocumentMatrixTest::day, null, DocumentMatrixTest::midnight,
                    i -> midnight(i + 1)),
            new Col("c_json", "jsonb", "c_json", i -> q("{\"a\": " + i + ", \"b\": [1, 2]}"), null,
                    i -> BsonDocument.parse("{b: [1, 2], a: " + i + "}"), i -> BsonDocument.parse("{a: " + i + ", b: [2, 1]}")),
            new Col("c_bytes", "bytea", "c_bytes", i -> "'\\x00" + String.format("%02x", i) + "ff'::bytea", null,
                    i -> new BsonBinary(new byte[]{0, (byte) i, (byte) 0xff}), i -> new BsonBinary(new byte[]{0, (byte) i})),
            new Col("c_city", "varchar(40)", "address.city", i -> q("City " + i), null,
                    i -> new BsonString("City " + i), i -> new BsonString("City " + (i + 1))),
            new Col("c_none", "text", "c_none", i -> "NULL", null, i -> BsonNull.VALUE, i -> new BsonString("")));

    private static BsonDocument fromColumns(int i, List<Col> cols, boolean changed, String key) {
        BsonDocument d = new BsonDocument(key, new BsonInt64(i));
        for (int k = 0; k < cols.size(); k++) {
            Col c = cols.get(k);
            BsonValue v = (changed && i % cols.size() == k ? c.bsonChanged() : c.bson()).apply(i);
            if (c.path().contains(".")) {
                String[] p = c.path().split("\\.");
                d.put(p[0], new BsonDocument(p[1], v));
            } else {
                d.put(c.path(), v);
            }
        }
        return d;
    }

    private static Map<String, Long> perColumn(List<Col> cols) {
        Map<String, Long> out = new java.util.HashMap<>();
        for (int k = 0; k < cols.size(); k++) {
            out.put(cols.get(k).column(), changedRows(k, cols.size()));
        }
        return out;
    }

    @Test
    void postgresToMongo(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        List<String> sql = new ArrayList<>(List.of("DROP SCHEMA IF EXISTS dm_pm CASCADE", "CREATE SCHEMA dm_pm"));
        StringBuilder ddl = new StringBuilder("CREATE TABLE dm_pm.src (id bigint PRIMARY KEY");
        PG.forEach(c -> ddl.append(", ").append(c.column()).append(' ').append(c.type()));
        sql.add(ddl.append(")").toString());
        for (int i = 1; i <= ROWS; i++) {
            int row = i;
            sql.add("INSERT INTO dm_pm.src VALUES (" + i + ", " + String.join(", ", PG.stream().map(c -> c.sql().apply(row))
                    .toList()) + ")");
        }
        pg.exec("postgres", sql.toArray(String[]::new));
        try (MongoClient client = MongoClients.create(TestMongo.uri(""))) {
            MongoDatabase d = client.getDatabase("dm_pm");
            d.drop();
            for (String name : List.of("same", "changed")) {
                List<BsonDocument> docs = new ArrayList<>();
                for (int i = 1; i <= ROWS; i++) {
                    docs.add(fromColumns(i, PG, name.equals("changed"), "_id"));
                }
                d.getCollection(name, BsonDocument.class).insertMany(docs);
            }
        }
        String table = "rename: {id: _id, c_city: address.city}, columns: {c_uuid_s: {bson: string}}";
        verifyRepairVerify(dir, "job: dm-pm\nsource: {url: '" + pg.url("postgres") + "', user: " + pg.user() + "}\n"
                + "target: " + mongo("dm_pm") + "\ntables:\n"
                + "  - {name: same, source: dm_pm.src, target: dm_pm.same, " + table + "}\n"
                + "  - {name: changed, source: dm_pm.src, target: dm_pm.changed, " + table + "}\n", perColumn(PG));
    }

    static final List<Col> MY = List.of(
            new Col("i32", "INT", "i32", i -> "" + i, i -> "" + (i + 1), i -> new BsonInt32(i), null),
            new Col("i64", "BIGINT", "i64", i -> "" + (9_000_000_000L + i), i -> "" + (9_000_000_001L + i),
                    i -> new BsonInt64(9_000_000_000L + i), null),
            new Col("amt", "DECIMAL(12,2)", "amt", i -> i + ".25", i -> i + ".26", i -> new BsonDecimal128(Decimal128.parse(i + ".250")), null),
            new Col("dbl", "DOUBLE", "dbl", i -> "" + (i + 0.1), i -> "" + Math.nextUp(i + 0.1), i -> new BsonDouble(i + 0.1), null),
            new Col("flag", "TINYINT(1)", "flag", i -> i % 2 == 0 ? "1" : "0", i -> i % 2 == 0 ? "0" : "1",
                    i -> BsonBoolean.valueOf(i % 2 == 0), null),
            new Col("str", "VARCHAR(100)", "str", i -> q("Name " + i), i -> q("Name " + i + " "), i -> new BsonString("Name " + i), null),
            new Col("oid", "CHAR(24)", "oid", i -> q(String.format("%024x", 0x6500L + i)), i -> q(String.format("%024x", 0x7500L + i)),
                    i -> new BsonObjectId(new ObjectId(String.format("%024x", 0x6500L + i))), null),
            new Col("uid", "CHAR(36)", "uid", i -> q(uuid(i).toString()), i -> q(uuid(i + 100).toString()),
                    i -> new BsonBinary(uuid(i), UuidRepresentation.STANDARD), null),
            new Col("at", "DATETIME(3)", "at", i -> ts(T0 + i), i -> ts(T0 + i + 1), i -> new BsonDateTime(T0 + i), null),
            new Col("day", "DATE", "day", DocumentMatrixTest::day, i -> day(i + 1), DocumentMatrixTest::midnight, null),
            new Col("city", "VARCHAR(40)", "profile.city", i -> q("City " + i), i -> q("city " + i), i -> new BsonString("City " + i), null),
            new Col("extra", "JSON", "extra", i -> q("{\"a\": " + i + "}"), i -> q("{\"a\": \"" + i + "\"}"),
                    i -> BsonDocument.parse("{a: " + i + "}"), null),
            new Col("maybe", "VARCHAR(10)", "maybe", i -> "NULL", i -> q(""), i -> i % 2 == 0 ? BsonNull.VALUE : null, null));

    @Test
    void mongoToMysql(@TempDir Path dir) throws Exception {
        try (MongoClient client = MongoClients.create(TestMongo.uri(""))) {
            MongoDatabase d = client.getDatabase("dm_my");
            d.drop();
            List<BsonDocument> docs = new ArrayList<>();
            for (int i = 1; i <= ROWS; i++) {
                BsonDocument doc = new BsonDocument("_id", new BsonInt32(i));
                for (Col c : MY) {
                    BsonValue v = c.bson().apply(i);
                    if (v != null && c.path().contains(".")) {
                        String[] p = c.path().split("\\.");
                        doc.put(p[0], new BsonDocument(p[1], v));
                    } else if (v != null) {
                        doc.put(c.path(), v);
                    }
                }
                docs.add(doc);
            }
            d.getCollection("src", BsonDocument.class).insertMany(docs);
        }
        TestDatabases.Server my = TestDatabases.mysql();
        List<String> sql = new ArrayList<>(List.of("DROP DATABASE IF EXISTS dm_my", "CREATE DATABASE dm_my"));
        for (String name : List.of("same", "changed")) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE dm_my." + name + " (id INT PRIMARY KEY");
            MY.forEach(c -> ddl.append(", ").append(c.column()).append(' ').append(c.type()));
            sql.add(ddl.append(")").toString());
            for (int i = 1; i <= ROWS; i++) {
                List<String> vals = new ArrayList<>();
                for (int k = 0; k < MY.size(); k++) {
                    Col c = MY.get(k);
                    vals.add((name.equals("changed") && i % MY.size() == k ? c.sqlChanged() : c.sql()).apply(i));
                }
                sql.add("INSERT INTO dm_my." + name + " VALUES (" + i + ", " + String.join(", ", vals) + ")");
            }
        }
        my.exec("mysql", sql.toArray(String[]::new));
        // no missing_fields setting: with a relational target a missing field reads as null by default
        String table = "rename: {_id: id, profile.city: city}, columns: {uid: {type: uuid}}";
        Map<String, Long> perColumn = new java.util.HashMap<>();
        for (int k = 0; k < MY.size(); k++) {
            perColumn.put(MY.get(k).path(), changedRows(k, MY.size()));
        }
        verifyRepairVerify(dir, "job: dm-my\nsource: " + mongo("dm_my") + "\n"
                + "target: {url: '" + my.url("dm_my") + "', user: " + my.user() + "}\ntables:\n"
                + "  - {name: same, source: dm_my.src, target: dm_my.same, " + table + "}\n"
                + "  - {name: changed, source: dm_my.src, target: dm_my.changed, " + table + "}\n", perColumn);
    }
}
