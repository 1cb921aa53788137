package io.tally.jobs;

import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.TableReport;
import io.tally.jobs.demo.MongoDemoScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MongoDB to MongoDB through the CLI on a real wire-protocol server: the demo's failed users -> users_v2 backfill
 * is verified (exact drift, the three seed patterns found), planned, dry-run (nothing written), repaired with a
 * document changed by another writer in between (left alone, reported), forced, repaired again (nothing left to
 * do) and verified CONSISTENT.
 */
class MongoScenariosTest {

    @Test
    void halfDoneBackfillIsFoundPlannedAndRepaired(@TempDir Path dir) throws Exception {
        MongoDemoScenario.seed(TestMongo.uri(""));
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, MongoDemoScenario.config(TestMongo.uri("legacy"), TestMongo.uri("app"),
                TestMongo.partitioner()));
        Path out = dir.resolve("run");
        RepairScenariosTest.Run verify = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                out.toString(), "--plan");
        assertEquals(TallyCli.DRIFT, verify.code(), verify.err());
        Report report = new ReportWriter().read(out.resolve("report.json"));
        assertEquals(List.of(), DemoCommand.check(report, MongoDemoScenario.EXPECTED));
        assertEquals(List.of(), io.tally.jobs.demo.MongoDemo.check(report));
        RepairScenariosTest.Run dry = RepairScenariosTest.cli("repair", "--plan", out.toString(), "--dry-run");
        assertEquals(TallyCli.CONSISTENT, dry.code(), dry.err());
        assertTrue(dry.out().contains("would run: updateOne"), dry.out());
        try (var client = com.mongodb.client.MongoClients.create(TestMongo.uri(""))) {
            var v2 = client.getDatabase("app").getCollection("users_v2", org.bson.BsonDocument.class);
            assertEquals(MongoDemoScenario.COPIED + 2, v2.countDocuments(), "a dry run writes nothing");
            // Another writer touches a planned document after verification: the repair must leave it alone.
            v2.updateOne(new org.bson.BsonDocument("_id", new org.bson.BsonObjectId(MongoDemoScenario.userId(95))),
                    org.bson.BsonDocument.parse("{$set: {name: 'changed elsewhere'}}"));
        }
        RepairScenariosTest.Run guarded = RepairScenariosTest.cli("repair", "--plan", out.toString());
        assertEquals(TallyCli.DRIFT, guarded.code(), guarded.out() + guarded.err());
        assertTrue(guarded.out().contains("conflicts 1"), guarded.out());
        try (var client = com.mongodb.client.MongoClients.create(TestMongo.uri(""))) {
            assertEquals("changed elsewhere", client.getDatabase("app").getCollection("users_v2", org.bson.BsonDocument.class)
                    .find(new org.bson.BsonDocument("_id", new org.bson.BsonObjectId(MongoDemoScenario.userId(95))))
                    .first().getString("name").getValue(), "the conflicting document is not overwritten");
        }
        RepairScenariosTest.Run repair = RepairScenariosTest.cli("repair", "--plan", out.toString(), "--force");
        assertEquals(TallyCli.CONSISTENT, repair.code(), repair.out() + repair.err());
        RepairScenariosTest.Run again = RepairScenariosTest.cli("repair", "--plan", out.toString());
        assertEquals(TallyCli.CONSISTENT, again.code(), again.err());
        assertTrue(again.out().contains("applied 0"), again.out());
        RepairScenariosTest.Run after = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                dir.resolve("after").toString());
        assertEquals(TallyCli.CONSISTENT, after.code(), after.out());
        Report fixed = new ReportWriter().read(dir.resolve("after").resolve("report.json"));
        assertTrue(fixed.tables().stream().flatMap(t -> t.findings().stream()).allMatch(f -> f.count() == 0),
                fixed.tables().toString());
    }

    /**
     * PostgreSQL -> MongoDB keyed by a logical key ({@code legacyId}) while documents keep their own ObjectIds: a
     * retried copy left user 5 twice (the complete copy is kept, whatever its age), user 6 is half-done though its
     * fields already match, user 7 is missing. The repair keeps the chosen document's _id.
     */
    @Test
    void logicalKeyDuplicatesAndHalfDoneFromPostgres(@TempDir Path dir) throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        List<String> sql = new java.util.ArrayList<>(List.of("DROP SCHEMA IF EXISTS ps_src CASCADE", "CREATE SCHEMA ps_src",
                "CREATE TABLE ps_src.users (id integer PRIMARY KEY, email text NOT NULL, name text, "
                        + "updated_at timestamptz(3) NOT NULL)"));
        for (int i = 1; i <= 30; i++) {
            sql.add("INSERT INTO ps_src.users VALUES (" + i + ", 'u" + i + "@x.org', 'User " + i + "', "
                    + "timestamptz '2026-01-01 00:00:00Z' + interval '" + i + " minutes')");
        }
        pg.exec("postgres", sql.toArray(String[]::new));
        org.bson.types.ObjectId kept = new org.bson.types.ObjectId("6700000000000000000000a5");
        try (var client = com.mongodb.client.MongoClients.create(TestMongo.uri(""))) {
            var users = client.getDatabase("ps_tgt").getCollection("users", org.bson.BsonDocument.class);
            users.drop();
            List<org.bson.BsonDocument> docs = new java.util.ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                if (i == 7) {
                    continue;
                }
                docs.add(user(i, new org.bson.types.ObjectId(), i == 6 ? "in_progress" : "complete", i));
            }
            docs.removeIf(d -> d.getInt32("legacyId").getValue() == 5);
            docs.add(user(5, kept, "complete", 5));
            docs.add(user(5, new org.bson.types.ObjectId("6700000000000000000000b5"), "in_progress", 50));
            users.insertMany(docs);
        }
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "job: pg-mongo-seed\nsource: {url: '" + pg.url("postgres") + "', user: " + pg.user()
                + "}\ntarget: {url: '" + TestMongo.uri("ps_tgt") + "', properties: {partitioner: " + TestMongo.partitioner()
                + "}}\ntables:\n  - name: users\n    source: ps_src.users\n    target: ps_tgt.users\n"
                + "    rename: {id: legacyId, updated_at: updatedAt}\n    documents:\n"
                + "      marker: {field: migrationId, status_field: status, complete: complete}\n"
                + "      duplicates: {key: [legacyId], keep: complete, by: updatedAt}\n");
        Path out = dir.resolve("run");
        RepairScenariosTest.Run verify = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                out.toString(), "--plan");
        assertEquals(TallyCli.DRIFT, verify.code(), verify.err());
        TableReport t = new ReportWriter().read(out.resolve("report.json")).tables().get(0);
        // user 6 (half-done) and user 5 (two differing documents under one key) are changed; 7 is missing
        assertEquals(List.of(1L, 0L, 2L, 1L), List.of(t.missing(), t.extra(), t.changed(), t.duplicates().targetKeys()));
        assertEquals(Map.of("half-done", 2L, "logical-duplicates", 1L), Map.of(t.findings().get(0).kind(),
                t.findings().get(0).count(), t.findings().get(1).kind(), t.findings().get(1).count()));
        assertEquals(kept.toHexString(), t.findings().get(1).samples().get(0).get("rule keeps _id"));
        RepairScenariosTest.Run repair = RepairScenariosTest.cli("repair", "--plan", out.toString());
        assertEquals(TallyCli.CONSISTENT, repair.code(), repair.out() + repair.err());
        RepairScenariosTest.Run after = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                dir.resolve("after").toString());
        assertEquals(TallyCli.CONSISTENT, after.code(), after.out());
        try (var client = com.mongodb.client.MongoClients.create(TestMongo.uri(""))) {
            var five = client.getDatabase("ps_tgt").getCollection("users", org.bson.BsonDocument.class)
                    .find(new org.bson.BsonDocument("legacyId", new org.bson.BsonInt32(5))).into(new java.util.ArrayList<>());
            assertEquals(1, five.size());
            assertEquals(kept, five.get(0).getObjectId("_id").getValue(), "the complete copy is the one kept");
            assertEquals("complete", five.get(0).getString("status").getValue());
        }
    }

    /**
     * A target collection whose documents all match but whose indexes do not: a compound index present, a partial
     * index created without the unique option the job expects, a hashed index never built. Both are reported (the
     * table DRIFTs); once created as expected, the same job is consistent.
     */
    @Test
    void expectedIndexesOnMongoTarget(@TempDir Path dir) throws Exception {
        try (var client = com.mongodb.client.MongoClients.create(TestMongo.uri(""))) {
            for (String db : List.of("ix_src", "ix_tgt")) {
                var orders = client.getDatabase(db).getCollection("orders", org.bson.BsonDocument.class);
                orders.drop();
                for (int i = 1; i <= 3; i++) {
                    orders.insertOne(org.bson.BsonDocument.parse("{_id: " + i + ", customerId: " + (i % 2)
                            + ", email: 'e" + i + "', status: 'active', sku: 's" + i + "'}"));
                }
            }
            var target = client.getDatabase("ix_tgt").getCollection("orders", org.bson.BsonDocument.class);
            target.createIndex(org.bson.BsonDocument.parse("{customerId: 1, email: -1}"));
            target.createIndex(org.bson.BsonDocument.parse("{email: 1}"), new com.mongodb.client.model.IndexOptions()
                    .partialFilterExpression(org.bson.BsonDocument.parse("{status: {$eq: 'active'}}")));
        }
        Path config = dir.resolve("job.yaml");
        String props = ", properties: {partitioner: " + TestMongo.partitioner() + "}}";
        Files.writeString(config, "job: ix\nsource: {url: '" + TestMongo.uri("ix_src") + "'" + props
                + "\ntarget: {url: '" + TestMongo.uri("ix_tgt") + "'" + props + "\ntables:\n"
                + "  - name: orders\n    source: ix_src.orders\n    target: ix_tgt.orders\n    documents:\n"
                + "      indexes:\n        - {keys: {customerId: 1, email: -1}}\n"
                + "        - {keys: {email: 1}, unique: true, partial: {status: {$eq: active}}}\n"
                + "        - {keys: {sku: hashed}}\n");
        RepairScenariosTest.Run verify = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                dir.resolve("run").toString());
        assertEquals(TallyCli.DRIFT, verify.code(), verify.out() + verify.err());
        TableReport t = new ReportWriter().read(dir.resolve("run/report.json")).tables().get(0);
        assertEquals(0, t.missing() + t.extra() + t.changed(), "every document matches");
        TableReport.Finding missing = t.findings().stream().filter(f -> f.kind().equals("missing-index")).findFirst()
                .orElseThrow();
        assertEquals(2, missing.count());
        assertEquals(List.of("{\"email\": 1}:true:email_1", "{\"sku\": \"hashed\"}:false:"), missing.samples().stream()
                .map(s -> s.get("keys") + ":" + s.get("unique") + ":" + s.get("same keys")).toList());
        assertTrue(t.findings().stream().anyMatch(f -> f.kind().equals("index-build") && f.count() == 0));

        try (var client = com.mongodb.client.MongoClients.create(TestMongo.uri(""))) {
            var target = client.getDatabase("ix_tgt").getCollection("orders", org.bson.BsonDocument.class);
            target.dropIndex("email_1");
            target.createIndex(org.bson.BsonDocument.parse("{email: 1}"), new com.mongodb.client.model.IndexOptions()
                    .unique(true).partialFilterExpression(org.bson.BsonDocument.parse("{status: {$eq: 'active'}}")));
            target.createIndex(org.bson.BsonDocument.parse("{sku: 'hashed'}"));
        }
        RepairScenariosTest.Run after = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                dir.resolve("after").toString());
        assertEquals(TallyCli.CONSISTENT, after.code(), after.out() + after.err());
    }

    private static org.bson.BsonDocument user(int i, org.bson.types.ObjectId id, String status, int minutes) {
        return new org.bson.BsonDocument("_id", new org.bson.BsonObjectId(id))
                .append("legacyId", new org.bson.BsonInt32(i))
                .append("email", new org.bson.BsonString("u" + i + "@x.org"))
                .append("name", new org.bson.BsonString("User " + i))
                .append("updatedAt", new org.bson.BsonDateTime(java.time.Instant.parse("2026-01-01T00:00:00Z")
                        .plusSeconds(60L * minutes).toEpochMilli()))
                .append("migrationId", new org.bson.BsonString("m1"))
                .append("status", new org.bson.BsonString(status));
    }
}
