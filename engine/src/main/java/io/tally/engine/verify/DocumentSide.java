package io.tally.engine.verify;

import com.mongodb.client.MongoClient;
import io.tally.engine.TallyError;
import io.tally.engine.canonical.DocumentCanonicalizer;
import io.tally.engine.canonical.FieldCanonicalizer;
import io.tally.engine.config.EndpointConfig;
import io.tally.engine.config.JobConfig;
import io.tally.engine.model.TableRef;
import io.tally.engine.report.Report;
import io.tally.engine.source.PartitionPlan;
import io.tally.engine.source.mongo.DocumentColumns;
import io.tally.engine.source.mongo.MongoCollectionRef;
import io.tally.engine.source.mongo.MongoEndpoint;
import io.tally.engine.source.mongo.MongoReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.bson.BsonDocument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * A MongoDB side: collections read through the MongoDB Spark Connector (partitioned by the configured
 * partitioner), documents canonicalized field by field by {@link DocumentRows}. The driver is used only for what
 * the connector cannot tell: whether a collection exists, a sample of its field names, and its document count,
 * which every read must match.
 */
final class DocumentSide implements VerifySide {

    /** Documents sampled per collection to name the compared top-level fields (the rest is compared whole). */
    static final int FIELD_SAMPLE = 1000;

    private final MongoEndpoint endpoint;
    private final MongoClient client;
    private final MongoReader reader = new MongoReader();
    private final String numbers;

    private DocumentSide(MongoEndpoint endpoint, String numbers) {
        this.endpoint = endpoint;
        this.client = endpoint.client();
        this.numbers = numbers;
        try {
            client.getDatabase("admin").runCommand(new BsonDocument("ping", new org.bson.BsonInt32(1)));
        } catch (RuntimeException e) {
            client.close();
            throw new TallyError("cannot reach the " + role() + " (" + describe() + "): " + scrub(e.getMessage())
                    + "; check " + role() + ".url, the user and password, and that the server is up", e);
        }
    }

    /**
     * The cluster time a replica set or sharded cluster gauges its oplog by, from {@code hello}; a standalone
     * server has none.
     */
    @Override
    public io.tally.engine.report.Position position() {
        try {
            BsonDocument hello = client.getDatabase("admin").runCommand(new BsonDocument("hello", new org.bson.BsonInt32(1)),
                    BsonDocument.class);
            BsonDocument cluster = hello.getDocument("$clusterTime", null);
            org.bson.BsonValue time = cluster != null ? cluster.get("clusterTime") : hello.get("operationTime");
            if (time != null && time.isTimestamp()) {
                return io.tally.engine.report.Position.of("cluster-time", time.asTimestamp().getTime() + "."
                        + time.asTimestamp().getInc());
            }
            return io.tally.engine.report.Position.unavailable("the server reports no cluster time (a standalone "
                    + "server has no oplog)");
        } catch (RuntimeException e) {
            return io.tally.engine.report.Position.unavailable("hello failed: " + scrub(e.getMessage()));
        }
    }

    static DocumentSide open(String role, EndpointConfig config, String numbers) {
        return new DocumentSide(MongoEndpoint.resolve(role, config), numbers);
    }

    @Override
    public String role() {
        return endpoint.role();
    }

    @Override
    public boolean isDocument() {
        return true;
    }

    @Override
    public String describe() {
        return endpoint.describe();
    }

    @Override
    public Report.Side report() {
        return new Report.Side("mongodb", endpoint.safeUrl(), endpoint.user(), "UTC");
    }

    /**
     * The MongoDB Spark Connector (10.5) reads each partition with its own cursor at read concern {@code local} and
     * offers no snapshot or cluster time to share, so no common picture can be promised.
     */
    @Override
    public io.tally.engine.report.TableReport.SideRead read(TableRef table) {
        return new io.tally.engine.report.TableReport.SideRead(io.tally.engine.report.ReadSnapshot.none("MongoDB: the Spark Connector reads each partition at its own "
                + "moment (read concern local); documents written or moved during the read can be missed or seen "
                + "twice, so verify a collection while writes are paused, or confirm differences with recheck"), 0, 0);
    }

    @Override
    public String scrub(String message) {
        return endpoint.scrub(message);
    }

    @Override
    public boolean truncates(String rounding) {
        // Drivers turn a finer timestamp into a Date by dropping the sub-millisecond digits.
        return !"round".equals(rounding);
    }

    @Override
    public String zone() {
        return "UTC";
    }

    MongoCollectionRef collection(TableRef table, String at) {
        return endpoint.collection(table, at);
    }

    @Override
    public RowTotal total(TableRef table) {
        MongoCollectionRef c = collection(table, "tables");
        var coll = client.getDatabase(c.database()).getCollection(c.collection());
        long estimate = coll.estimatedDocumentCount();
        return estimate < COUNT_BELOW ? new RowTotal(coll.countDocuments(), false) : new RowTotal(estimate, true);
    }

    /** Whether the collection exists; a MongoDB collection springs into being on its first write. */
    boolean exists(MongoCollectionRef c) {
        try {
            return client.getDatabase(c.database()).listCollectionNames().into(new ArrayList<>()).contains(c.collection());
        } catch (RuntimeException e) {
            throw new TallyError("cannot reach the " + role() + " (" + describe() + "): " + scrub(e.getMessage())
                    + "; check " + role() + ".url and that the server is up", e);
        }
    }

    /** The top-level field names of the first {@value #FIELD_SAMPLE} documents. */
    Set<String> sampleFields(MongoCollectionRef c) {
        Set<String> names = new TreeSet<>();
        for (BsonDocument d : client.getDatabase(c.database()).getCollection(c.collection(), BsonDocument.class)
                .find().limit(FIELD_SAMPLE)) {
            names.addAll(d.keySet());
        }
        return names;
    }

    @Override
    public PartitionPlan partitions(TableRef table, TablePlan plan, boolean source, JobConfig config) {
        MongoCollectionRef c = collection(table, "tables");
        int n;
        try {
            n = reader.read(SparkSession.active(), c).rdd().getNumPartitions();
        } catch (RuntimeException e) {
            throw new TallyError("the MongoDB Spark Connector could not partition " + c + " on the " + role() + " with "
                    + c.partitionerClass() + ": " + scrub(TallyError.rootCause(e).getMessage()) + "; set " + role()
                    + ".properties.partitioner (sample needs $collStats; paginate or single work on any server)", e);
        }
        return new PartitionPlan(IntStream.range(0, n).mapToObj(i -> "connector partition " + (i + 1)).toList(),
                "MongoDB Spark Connector " + c.partitionerClass().substring(c.partitionerClass().lastIndexOf('.') + 1));
    }

    @Override
    public Dataset<Row> canonical(SparkSession spark, TableRef table, TablePlan plan, boolean source,
                                  PartitionPlan parts, boolean keepDoc) {
        Dataset<Row> read = reader.read(spark, collection(table, "tables"));
        DocumentColumns columns = columns(plan, source);
        var rules = plan.columns().stream().map(c -> source ? c.sourceRule() : c.targetRule()).toList();
        FieldCanonicalizer fields = fields(plan, numbers);
        return read.mapPartitions(new DocumentRows(columns, rules, plan.keyCount(), plan.timeIndex(),
                                plan.windowMicros(), fields, keepDoc),
                        Encoders.row(CanonicalRows.schema(Collections.nCopies(plan.keyCount(), DataTypes.StringType))))
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** The field path of every compared column on one side, in plan order. */
    static DocumentColumns columns(TablePlan plan, boolean source) {
        return new DocumentColumns(plan.columns().stream().map(c -> (source ? c.source() : c.target()).name()).toList(),
                ignored(plan, source), source ? null : plan.config().documents().marker());
    }

    /** The top-level fields the configuration excludes, on one side (target names through rename). */
    static List<String> ignored(TablePlan plan, boolean source) {
        return plan.exclusions().stream().filter(e -> e.reason().startsWith("excluded by configuration"))
                .map(e -> source ? e.column() : plan.config().rename().getOrDefault(e.column(), e.column()))
                .filter(f -> !f.contains(".")).toList();
    }

    static FieldCanonicalizer fields(TablePlan plan, String numbers) {
        return new FieldCanonicalizer(DocumentCanonicalizer.NumericPolicy.valueOf(numbers.toUpperCase(java.util.Locale.ROOT)),
                plan.config().documents().missingIsNull());
    }

    @Override
    public List<String> readExpressions(TablePlan plan, boolean source) {
        return columns(plan, source).paths().stream().map(p -> DocumentColumns.REST.equals(p) ? p : "$" + p).toList();
    }

    @Override
    public void checkComplete(TableRef table, long rowsRead) {
        MongoCollectionRef c = collection(table, "tables");
        long held;
        try {
            held = client.getDatabase(c.database()).getCollection(c.collection()).countDocuments();
        } catch (RuntimeException e) {
            throw new TallyError("counting " + c + " on the " + role() + " failed: " + scrub(e.getMessage())
                    + "; nothing was reported as consistent", e);
        }
        if (held != rowsRead) {
            throw new TallyError("the " + role() + " read " + rowsRead + " documents of " + c + " but the collection "
                    + "holds " + held + "; the partitioner skipped or repeated documents (paginating partitioners do "
                    + "when _id mixes BSON types) or writes are still going on; set " + role()
                    + ".properties.partitioner to sample or single, pause writes, and run again");
        }
    }

    @Override
    public List<TableRef> referencedTables(TableRef table) {
        return List.of();
    }

    @Override
    public TableRef qualify(TableRef table) {
        MongoCollectionRef c = collection(table, "tables");
        return new TableRef(c.database(), c.collection());
    }

    MongoClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
