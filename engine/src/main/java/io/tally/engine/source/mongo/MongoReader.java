package io.tally.engine.source.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bson.BsonDocument;

/**
 * Reads a collection through the MongoDB Spark Connector with every document intact: the pipeline wraps each
 * document as {@code {_id, doc: <document>}} and the schema declares {@code doc} a string, so the connector writes
 * the whole document as canonical extended JSON (Int32, Int64, Double, Decimal128, dates, binary subtypes and
 * null-versus-missing all survive; a per-field schema would merge Int32 with Int64 and null with missing).
 * {@link #parse(String)} turns a row back into the exact BSON document.
 */
public final class MongoReader {

    /** Keeps {@code _id} beside the wrapped document: paginating partitioners compute their bounds after it. */
    static final String WRAP = "[{\"$project\": {\"_id\": 1, \"doc\": \"$$ROOT\"}}]";

    public Dataset<Row> read(SparkSession spark, MongoCollectionRef c) {
        return read(spark, c, WRAP);
    }

    /**
     * Reads the collection through {@code pipeline}, which must project {@code _id} and a document {@code doc}
     * (read back as canonical extended JSON, as {@link #read(SparkSession, MongoCollectionRef)} does).
     */
    public Dataset<Row> read(SparkSession spark, MongoCollectionRef c, String pipeline) {
        DataFrameReader r = spark.read().format("mongodb")
                .option("connection.uri", c.uri())
                .option("database", c.database())
                .option("collection", c.collection())
                .option("partitioner", c.partitionerClass())
                .option("aggregation.pipeline", pipeline)
                .option("outputExtendedJson", "true")
                .schema("doc STRING");
        c.partitionerOptions().forEach((k, v) -> r.option("partitioner.options." + k, v));
        return r.load();
    }

    public static BsonDocument parse(String extendedJson) {
        return BsonDocument.parse(extendedJson);
    }

    /**
     * The number of documents the server holds: a read must return as many. (The connector's paginating
     * partitioners silently skip documents when the partition field mixes BSON types, MongoDB's SPARK-221.)
     */
    public long count(MongoCollectionRef c) {
        try (MongoClient client = MongoClients.create(c.uri())) {
            return client.getDatabase(c.database()).getCollection(c.collection()).countDocuments();
        }
    }
}
