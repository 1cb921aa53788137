package io.tally.engine.verify;

import com.mongodb.client.MongoCollection;
import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.DocumentCanonicalizer;
import io.tally.engine.config.DocumentRules;
import io.tally.engine.report.TableReport;
import io.tally.engine.source.mongo.DocumentColumns;
import io.tally.engine.source.mongo.MongoCollectionRef;
import io.tally.engine.source.mongo.MongoReader;
import io.tally.engine.source.mongo.SurvivorRule;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks of a target collection for what a failed document migration leaves behind, as configured in
 * {@code documents}: half-done documents (a server-side count on the marker), one logical entity under several
 * documents (a server-side group on the logical key), and orphaned references (both collections read in
 * parallel partitions through the connector and anti-joined in Spark, MATCH SIMPLE: a null or missing reference
 * is no orphan); and the collection's indexes: expected ones present and finished, none still building
 * ({@link DocumentIndexes}).
 */
final class DocumentFindings {

    private final SparkSession spark;
    private final int sampleSize;
    private final boolean indexBuilds;

    /** @param indexBuilds whether to report index builds not finished on the collection ({@code checks.indexes}) */
    DocumentFindings(SparkSession spark, int sampleSize, boolean indexBuilds) {
        this.spark = spark;
        this.sampleSize = sampleSize;
        this.indexBuilds = indexBuilds;
    }

    /**
     * @param repairChooses whether the duplicates' logical key is the compared key, so that a repair keeps the
     *                      document the rule chooses (otherwise documents not in the source are deleted as extra)
     */
    List<TableReport.Finding> check(DocumentSide side, MongoCollectionRef target, DocumentRules rules,
                                    DocumentColumns columns, boolean repairChooses) {
        List<TableReport.Finding> out = new ArrayList<>();
        MongoCollection<BsonDocument> c = side.client().getDatabase(target.database())
                .getCollection(target.collection(), BsonDocument.class);
        if (rules.marker() != null) {
            out.add(halfDone(c, rules.marker(), columns));
        }
        if (rules.duplicates() != null) {
            out.add(duplicates(c, rules, repairChooses));
        }
        for (DocumentRules.Reference r : rules.references()) {
            out.add(orphans(side, target, r));
        }
        if (indexBuilds || !rules.indexes().isEmpty()) {
            out.addAll(new DocumentIndexes(side.client().getDatabase(target.database()), target.collection())
                    .check(rules.indexes(), indexBuilds));
        }
        return out;
    }

    private TableReport.Finding halfDone(MongoCollection<BsonDocument> c, DocumentRules.Marker m, DocumentColumns columns) {
        BsonDocument filter = new BsonDocument(m.field(), new BsonDocument("$exists", org.bson.BsonBoolean.TRUE));
        if (m.statusField() != null) {
            filter.append(m.statusField(), new BsonDocument("$ne", new BsonString(m.complete())));
        }
        long n = c.countDocuments(filter);
        List<Map<String, String>> samples = new ArrayList<>();
        for (BsonDocument d : c.find(filter).sort(new BsonDocument("_id", new BsonInt32(1))).limit(sampleSize)) {
            if (columns.halfDone(d)) {
                Map<String, String> s = new LinkedHashMap<>();
                s.put("_id", display(d.get("_id")));
                s.put(m.field(), display(DocumentCanonicalizer.at(d, m.field())));
                if (m.statusField() != null) {
                    s.put(m.statusField(), display(DocumentCanonicalizer.at(d, m.statusField())));
                }
                samples.add(s);
            }
        }
        return new TableReport.Finding("half-done", "documents holding marker " + m.field()
                + (m.statusField() == null ? "" : " whose " + m.statusField() + " is not '" + m.complete() + "'")
                + "; each is planned for a rewrite from the source that completes it", n, samples);
    }

    private TableReport.Finding duplicates(MongoCollection<BsonDocument> c, DocumentRules rules, boolean repairChooses) {
        DocumentRules.Duplicates u = rules.duplicates();
        BsonDocument group = new BsonDocument();
        BsonDocument present = new BsonDocument();
        for (int i = 0; i < u.key().size(); i++) {
            group.append("k" + i, new BsonString("$" + u.key().get(i)));
            present.append(u.key().get(i), new BsonDocument("$ne", org.bson.BsonNull.VALUE));
        }
        List<BsonDocument> pipeline = List.of(new BsonDocument("$match", present),
                new BsonDocument("$group", new BsonDocument("_id", group).append("n", new BsonDocument("$sum", new BsonInt32(1)))),
                new BsonDocument("$match", new BsonDocument("n", new BsonDocument("$gt", new BsonInt32(1)))),
                new BsonDocument("$sort", new BsonDocument("_id", new BsonInt32(1))));
        long groups = 0;
        List<Map<String, String>> samples = new ArrayList<>();
        SurvivorRule survivor = new SurvivorRule(u, rules.marker());
        for (BsonDocument g : c.aggregate(pipeline).allowDiskUse(true)) {
            groups++;
            if (samples.size() < sampleSize) {
                BsonDocument filter = new BsonDocument();
                for (int i = 0; i < u.key().size(); i++) {
                    filter.append(u.key().get(i), g.getDocument("_id").get("k" + i));
                }
                List<BsonDocument> docs = c.find(filter).into(new ArrayList<>());
                Map<String, String> s = new LinkedHashMap<>();
                for (int i = 0; i < u.key().size(); i++) {
                    s.put(u.key().get(i), display(g.getDocument("_id").get("k" + i)));
                }
                s.put("documents", Integer.toString(docs.size()));
                s.put("rule keeps _id", docs.isEmpty() ? "" : display(survivor.choose(docs).get("_id")));
                samples.add(s);
            }
        }
        return new TableReport.Finding("logical-duplicates", "logical key " + String.join(", ", u.key())
                + " held by more than one document; the rule keeps the " + (u.keep().equals("latest")
                ? "latest by " + u.by() : "complete one (then the latest by " + u.by() + ")")
                + (repairChooses ? ", and a repair keeps that one and deletes the others"
                : "; the logical key is not the compared key, so a repair deletes the documents the source does not "
                + "have instead: check that the kept one is the source's, or compare by the logical key"),
                groups, samples);
    }

    private TableReport.Finding orphans(DocumentSide side, MongoCollectionRef target, DocumentRules.Reference r) {
        MongoCollectionRef parent = new MongoCollectionRef(target.uri(), target.database(), r.collection(),
                target.partitioner(), target.partitionerOptions());
        if (!side.exists(parent)) {
            throw new io.tally.engine.TallyError("documents.references names collection " + parent + ", which the "
                    + "target does not have; check the name (same database as " + target + ")");
        }
        MongoReader reader = new MongoReader();
        Dataset<Row> refs = reader.read(spark, target, project(r.field()))
                .map(tokenOf(), Encoders.tuple(Encoders.STRING(), Encoders.STRING())).toDF("ref", "id")
                .filter("ref is not null");
        Dataset<Row> ids = reader.read(spark, parent, project(r.to()))
                .map(tokenOf(), Encoders.tuple(Encoders.STRING(), Encoders.STRING())).toDF("pk", "pid")
                .filter("pk is not null").select("pk").distinct();
        Dataset<Row> orphans = refs.join(ids, refs.col("ref").equalTo(ids.col("pk")), "left_anti").cache();
        try {
            long n = orphans.count();
            List<Map<String, String>> samples = new ArrayList<>();
            for (Row o : orphans.orderBy("id").limit(sampleSize).collectAsList()) {
                Map<String, String> s = new LinkedHashMap<>();
                s.put("_id", o.getString(1));
                s.put(r.field(), CanonicalForm.display(o.getString(0)));
                samples.add(s);
            }
            return new TableReport.Finding("orphans", r.field() + " references " + r.collection() + "." + r.to()
                    + " that does not exist (a null or missing reference is not an orphan); reported only", n, samples);
        } finally {
            orphans.unpersist();
        }
    }

    private static String project(String path) {
        return "[{\"$project\": {\"_id\": 1, \"doc\": {\"v\": \"$" + path.replace("\"", "") + "\", \"i\": \"$_id\"}}}]";
    }

    /** (reference token, _id for display) of a projected document; a null or missing reference has no token. */
    private static MapFunction<Row, scala.Tuple2<String, String>> tokenOf() {
        return row -> {
            BsonDocument d = MongoReader.parse(row.getString(0));
            BsonValue v = d.get("v");
            String token = v == null || v.isNull() ? null
                    : new DocumentCanonicalizer(DocumentCanonicalizer.NumericPolicy.EXACT).token(v);
            return new scala.Tuple2<>(token, display(d.get("i")));
        };
    }

    static String display(BsonValue v) {
        if (v == null) {
            return "(missing)";
        }
        return v.isObjectId() ? v.asObjectId().getValue().toHexString() : v.isString() ? v.asString().getValue()
                : new BsonDocument("v", v).toJson().replaceAll("^\\{\"v\": |}$", "");
    }
}
