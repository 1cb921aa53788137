package io.tally.jobs;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.types.Decimal128;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One engine's side of the repair kill test: the source table {@code kill_src.big}, a third of it copied to
 * {@code kill_tgt.big} with edits and junk, the repair ledger's progress, and a writer that keeps the target busy.
 * Row {@code i} is {@code (i, 'value i', i * 1.25)}; {@code v} is unique, so a row copied twice under another key
 * shows as a duplicate {@code v}.
 */
abstract class KillTarget {

    static KillTarget of(String engine) {
        return switch (engine) {
            case "postgresql" -> new Relational(TestDatabases.postgres());
            case "mysql" -> new Relational(TestDatabases.mysql());
            case "mongodb" -> new Document();
            default -> throw new IllegalArgumentException(engine);
        };
    }

    abstract void createSource(int rows) throws Exception;

    /** The first third of the rows, every tenth edited, plus 300 rows the source does not have. */
    abstract void createPartialCopy(int rows) throws Exception;

    abstract String endpoint(Path dir, String database) throws IOException;

    String tableExtras() {
        return "";
    }

    abstract int ledgerBatches();

    abstract long duplicateKeys() throws Exception;

    abstract long rows() throws Exception;

    /** Inserts into {@code kill_tgt.noise} until told to stop: load on the server the repair writes to. */
    abstract void keepWriting(AtomicBoolean running);

    static String value(int i, boolean edited) {
        return edited ? "edited " + i : "value " + i;
    }

    private static final class Relational extends KillTarget {
        private final TestDatabases.Server server;
        private final boolean pg;

        Relational(TestDatabases.Server server) {
            this.server = server;
            this.pg = RepairFixture.pg(server);
        }

        private String home() {
            return pg ? "postgres" : "mysql";
        }

        private void fresh(String schema) throws SQLException {
            server.exec(home(), pg ? "DROP SCHEMA IF EXISTS " + schema + " CASCADE" : "DROP DATABASE IF EXISTS " + schema,
                    pg ? "CREATE SCHEMA " + schema : "CREATE DATABASE " + schema);
        }

        private String ddl(String schema) {
            return "CREATE TABLE " + schema + ".big (id integer PRIMARY KEY, v varchar(40), n "
                    + (pg ? "numeric" : "decimal") + "(12,2))";
        }

        @Override
        void createSource(int rows) throws SQLException {
            fresh("kill_src");
            server.exec(home(), ddl("kill_src"), insert("kill_src", 1, rows, false));
        }

        @Override
        void createPartialCopy(int rows) throws SQLException {
            fresh("kill_tgt");
            server.exec(home(), ddl("kill_tgt"), insert("kill_tgt", 1, rows / 3, true),
                    "INSERT INTO kill_tgt.big SELECT id + 100000, CONCAT('junk ', id), n FROM kill_tgt.big WHERE id <= 300",
                    "CREATE TABLE kill_tgt.noise (id integer PRIMARY KEY, at varchar(40))");
        }

        private static String insert(String schema, int from, int to, boolean edits) {
            StringBuilder sql = new StringBuilder("INSERT INTO " + schema + ".big VALUES ");
            for (int i = from; i <= to; i++) {
                sql.append(i == from ? "" : ", ").append("(").append(i).append(", '")
                        .append(value(i, edits && i % 10 == 0)).append("', ").append(BigDecimal.valueOf(i * 125L, 2))
                        .append(")");
            }
            return sql.toString();
        }

        @Override
        String endpoint(Path dir, String database) throws IOException {
            Path pw = dir.resolve(database + ".pw");
            Files.writeString(pw, server.password() == null ? "" : server.password());
            return "{url: '" + server.url(pg ? "postgres" : database) + "', user: " + server.user()
                    + ", password_file: '" + pw + "'}";
        }

        @Override
        int ledgerBatches() {
            try {
                return (int) count("SELECT COUNT(*) FROM kill_tgt.tally_repair_ledger");
            } catch (Exception notCreatedYet) {
                return 0;
            }
        }

        @Override
        long duplicateKeys() throws Exception {
            return count("SELECT COUNT(*) FROM (SELECT v FROM kill_tgt.big GROUP BY v HAVING COUNT(*) > 1) d");
        }

        @Override
        long rows() throws Exception {
            return count("SELECT COUNT(*) FROM kill_tgt.big");
        }

        private long count(String sql) throws SQLException {
            try (var c = server.connect(home()); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        void keepWriting(AtomicBoolean running) {
            try (var c = server.connect(home());
                 var ps = c.prepareStatement("INSERT INTO kill_tgt.noise VALUES (?, ?)")) {
                for (int i = 1; running.get(); i++) {
                    ps.setInt(1, i);
                    ps.setString(2, java.time.Instant.now().toString());
                    ps.executeUpdate();
                    Thread.sleep(2);
                }
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException("the load writer failed: " + e.getMessage(), e);
            }
        }
    }

    private static final class Document extends KillTarget {
        private static MongoCollection<BsonDocument> collection(MongoClient c, String name) {
            return c.getDatabase("kill_tgt").getCollection(name, BsonDocument.class);
        }

        @Override
        void createSource(int rows) {
            throw new UnsupportedOperationException("the kill test reads a relational source");
        }

        @Override
        void createPartialCopy(int rows) {
            try (MongoClient c = MongoClients.create(TestMongo.uri(""))) {
                c.getDatabase("kill_tgt").drop();
                List<BsonDocument> docs = new ArrayList<>();
                for (int i = 1; i <= rows / 3; i++) {
                    docs.add(doc(i, value(i, i % 10 == 0), i));
                }
                for (int i = 1; i <= 300; i++) {
                    docs.add(doc(i + 100_000, "junk " + i, i));
                }
                collection(c, "big").insertMany(docs);
            }
        }

        private static BsonDocument doc(int id, String v, int n) {
            return new BsonDocument("_id", new BsonInt32(id)).append("v", new BsonString(v))
                    .append("n", new BsonDecimal128(new Decimal128(BigDecimal.valueOf(n * 125L, 2))));
        }

        @Override
        String endpoint(Path dir, String database) {
            return "{url: '" + TestMongo.uri(database) + "', properties: {partitioner: " + TestMongo.partitioner() + "}}";
        }

        @Override
        String tableExtras() {
            return ", rename: {id: _id}";
        }

        @Override
        int ledgerBatches() {
            try (MongoClient c = MongoClients.create(TestMongo.uri(""))) {
                return (int) collection(c, "tally_repair_ledger").countDocuments();
            }
        }

        @Override
        long duplicateKeys() {
            try (MongoClient c = MongoClients.create(TestMongo.uri(""))) {
                List<BsonDocument> dups = collection(c, "big").aggregate(List.of(
                        Aggregates.group("$v", Accumulators.sum("n", 1)), Aggregates.match(Filters.gt("n", 1)))).into(new ArrayList<>());
                return dups.size();
            }
        }

        @Override
        long rows() {
            try (MongoClient c = MongoClients.create(TestMongo.uri(""))) {
                return collection(c, "big").countDocuments();
            }
        }

        @Override
        void keepWriting(AtomicBoolean running) {
            try (MongoClient c = MongoClients.create(TestMongo.uri(""))) {
                var noise = collection(c, "noise");
                for (int i = 1; running.get(); i++) {
                    noise.insertOne(new BsonDocument("_id", new BsonInt32(i)).append("at",
                            new BsonString(java.time.Instant.now().toString())));
                    Thread.sleep(2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
