package io.tally.jobs;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.tally.engine.canonical.DocumentCanonicalizer;
import io.tally.engine.source.mongo.MongoCollectionRef;
import io.tally.engine.source.mongo.MongoReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading a collection through the real MongoDB Spark Connector keeps every document exactly: the canonical
 * token of each document read equals the token of the document as inserted, for every BSON type the
 * in-process server stores faithfully, with the partitioners that work against it.
 */
class MongoReadTest {

    private static final DocumentCanonicalizer CANON = new DocumentCanonicalizer(DocumentCanonicalizer.NumericPolicy.STRICT);

    private static List<BsonDocument> documents() {
        UUID uuid = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        return List.of(
                new BsonDocument("_id", new BsonInt32(1)).append("i32", new BsonInt32(5)).append("i64", new BsonInt64(5))
                        .append("dbl", new BsonDouble(5.0)).append("dec", new BsonDecimal128(Decimal128.parse("5.10"))),
                new BsonDocument("_id", new BsonInt32(2)).append("when", new BsonDateTime(1_700_000_000_123L))
                        .append("oid", new BsonObjectId(new ObjectId("65a1b2c3d4e5f60718293a4b")))
                        .append("uuid", new BsonBinary(uuid)).append("bin", new BsonBinary(new byte[]{0, 1, (byte) 0xff})),
                new BsonDocument("_id", new BsonInt32(3)).append("nested", BsonDocument.parse("{z: 1, a: {y: [1, {b: 2, a: 1}]}}"))
                        .append("nil", BsonNull.VALUE).append("text", new BsonString("{\"$numberInt\": \"5\"}")),
                new BsonDocument("_id", new BsonInt32(4)).append("big", new BsonInt64(Long.MAX_VALUE))
                        .append("neg0", new BsonDouble(-0.0)).append("tiny", new BsonDouble(Double.MIN_VALUE)),
                new BsonDocument("_id", new BsonInt32(5)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"single", "paginate"})
    void everyDocumentReadsBackWithItsTypes(String partitioner) {
        String collection = "read_" + partitioner;
        try (MongoClient client = MongoClients.create(TestMongo.uri())) {
            MongoCollection<BsonDocument> c = client.getDatabase("tally").getCollection(collection, BsonDocument.class);
            c.drop();
            c.insertMany(documents());
        }
        MongoCollectionRef ref = new MongoCollectionRef(TestMongo.uri(), "tally", collection, partitioner,
                Map.of("max.number.of.partitions", "3"));
        Dataset<Row> rows = new MongoReader().read(TestSpark.session(), ref);
        if (partitioner.equals("paginate")) {
            assertTrue(rows.rdd().getNumPartitions() > 1, "paginate split the collection");
        }
        Map<String, String> read = new HashMap<>();
        for (Row r : rows.collectAsList()) {
            BsonDocument d = MongoReader.parse(r.getString(0));
            read.put(CANON.token(d.get("_id")), CANON.document(d));
        }
        assertEquals(documents().size(), read.size(), "documents read");
        assertEquals(documents().size(), new MongoReader().count(ref));
        for (BsonDocument d : documents()) {
            assertEquals(CANON.document(d), read.get(CANON.token(d.get("_id"))), () -> "document " + d.toJson());
        }
    }

    /** The connector's SPARK-221: with mixed _id types a paginating read skips documents; the count shows it. */
    @org.junit.jupiter.api.Test
    void aPaginatedReadOfMixedIdTypesIsCaughtByTheCount() {
        try (MongoClient client = MongoClients.create(TestMongo.uri())) {
            MongoCollection<BsonDocument> c = client.getDatabase("tally").getCollection("mixed", BsonDocument.class);
            c.drop();
            for (int i = 0; i < 6; i++) {
                c.insertOne(new BsonDocument("_id", new BsonInt32(i)));
                c.insertOne(new BsonDocument("_id", new BsonString("s" + i)));
                c.insertOne(new BsonDocument("_id", new BsonObjectId()));
            }
        }
        MongoCollectionRef paginate = new MongoCollectionRef(TestMongo.uri(), "tally", "mixed", "paginate",
                Map.of("max.number.of.partitions", "4"));
        MongoCollectionRef single = new MongoCollectionRef(TestMongo.uri(), "tally", "mixed", "single", Map.of());
        long expected = new MongoReader().count(single);
        assertEquals(18, expected);
        assertEquals(expected, new MongoReader().read(TestSpark.session(), single).count());
        long paginated = new MongoReader().read(TestSpark.session(), paginate).count();
        System.out.println("paginate read " + paginated + " of " + expected + " documents with mixed _id types");
        assertTrue(paginated < expected, "the connector no longer loses these; keep the count check anyway");
    }
}
