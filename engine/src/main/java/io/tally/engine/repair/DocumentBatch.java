package io.tally.engine.repair;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.tally.engine.TallyError;
import io.tally.engine.canonical.DocumentCanonicalizer;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.source.mongo.SurvivorRule;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one batch of a plan set to a MongoDB collection: read the batch's documents, compare each key's state
 * with the state verification saw, send the writes for the keys that still match (or all, with force) as one
 * unordered {@code bulkWrite}, then read the keys again: a key counts as applied only when it reached its planned
 * state. Every write is guarded in its filter by the values it was computed from, so a document another writer
 * changed in between is left alone (and reported) instead of overwritten:
 * <ul>
 *   <li>an absent key: an upsert with {@code $setOnInsert} (a document that appeared meanwhile is not touched);</li>
 *   <li>an existing document: {@code $set}/{@code $unset} of the top-level fields that differ, filtered on
 *       {@code _id} and each such field's current value;</li>
 *   <li>several documents under one key: the one the duplicates rule chooses is updated (its {@code _id}
 *       survives), the others deleted;</li>
 *   <li>a delete: each document seen, filtered on all its fields.</li>
 * </ul>
 */
final class DocumentBatch {

    private static final int DUPLICATE_KEY = 11000;
    private static final DocumentCanonicalizer BY_VALUE = new DocumentCanonicalizer(DocumentCanonicalizer.NumericPolicy.VALUE);
    private static final DocumentCanonicalizer BY_TYPE = new DocumentCanonicalizer(DocumentCanonicalizer.NumericPolicy.STRICT);

    private final DocumentStates target;
    private final PlanManifest.PlannedTable table;
    private final DesiredDocument desired;
    private final SurvivorRule survivors;
    private final boolean force;
    private final boolean dryRun;
    private final int sampleStatements;

    DocumentBatch(DocumentStates target, PlanManifest.PlannedTable table, boolean force, boolean dryRun,
                  int sampleStatements) {
        this.target = target;
        this.table = table;
        this.desired = new DesiredDocument(table, target.columns());
        PlanManifest.Documents d = table.documents();
        this.survivors = new SurvivorRule(d.rules().duplicates(), d.rules().marker());
        this.force = force;
        this.dryRun = dryRun;
        this.sampleStatements = sampleStatements;
    }

    BatchOutcome apply(List<PlanRow> rows) {
        int keys = table.keyCount();
        DocumentStates.Fetched fetched = target.fetch(rows.stream().map(r -> r.keyTokens(keys)).toList());
        List<PlanRow> write = new ArrayList<>();
        List<BatchOutcome.Conflict> conflicts = new ArrayList<>();
        int already = 0;
        int forced = 0;
        for (PlanRow r : rows) {
            String now = fetched.state(r.key());
            if (now.equals(r.desired())) {
                already++;
            } else if (now.equals(r.expected())) {
                write.add(r);
            } else if (force) {
                write.add(r);
                forced++;
            } else {
                conflicts.add(new BatchOutcome.Conflict(r, now));
            }
        }
        List<WriteModel<BsonDocument>> models = new ArrayList<>();
        List<PlanRow> owner = new ArrayList<>();
        Map<PlanRow, String> refused = new LinkedHashMap<>();
        for (PlanRow r : write) {
            try {
                for (WriteModel<BsonDocument> m : models(r, fetched.docs(r.key()))) {
                    models.add(m);
                    owner.add(r);
                }
            } catch (TallyError e) {
                refused.put(r, e.getMessage()); // this key's value cannot be written; the others go on
            }
        }
        List<String> statements = new ArrayList<>();
        if (dryRun) {
            models.stream().limit(sampleStatements).forEach(m -> statements.add(render(m)));
            write.stream().filter(refused::containsKey).forEach(r -> conflicts.add(new BatchOutcome.Conflict(r, refused.get(r))));
            return new BatchOutcome(write.size() - refused.size(), already, forced, conflicts, statements);
        }
        if (!models.isEmpty()) {
            try {
                target.collection().bulkWrite(models, new BulkWriteOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                if (e.getWriteConcernError() != null) {
                    throw new TallyError("writing " + table.name() + " was not acknowledged by a majority: "
                            + e.getWriteConcernError().getMessage() + "; the batch is not recorded, run the same "
                            + "command again once the replica set is healthy", e);
                }
                for (BulkWriteError err : e.getWriteErrors()) {
                    if (err.getCode() != DUPLICATE_KEY) {
                        throw new TallyError("writing " + table.name() + " failed: " + err.getMessage()
                                + "; recorded batches are in the ledger, fix the cause and run the same command again");
                    }
                    refused.putIfAbsent(owner.get(err.getIndex()), "refused by a unique index: " + err.getMessage());
                }
            }
        }
        // The proof of each write: the key's state now. A guarded write that found the document changed matched
        // nothing, and shows up here.
        DocumentStates.Fetched after = target.fetch(write.stream().map(r -> r.keyTokens(keys)).toList());
        int applied = 0;
        for (PlanRow r : write) {
            if (after.state(r.key()).equals(r.desired())) {
                applied++;
            } else {
                conflicts.add(new BatchOutcome.Conflict(r, refused.getOrDefault(r, "the document changed while the "
                        + "repair wrote it (its guarded write matched nothing), now " + after.state(r.key()))));
            }
        }
        return new BatchOutcome(applied, already, forced, conflicts, statements);
    }

    /** The guarded writes that take one key from the documents seen to its planned state. */
    private List<WriteModel<BsonDocument>> models(PlanRow r, List<BsonDocument> docs) {
        List<WriteModel<BsonDocument>> out = new ArrayList<>();
        if (r.isDelete()) {
            docs.forEach(d -> out.add(new DeleteOneModel<>(whole(d))));
            return out;
        }
        if (docs.isEmpty()) {
            BsonDocument doc = desired.of(r, null);
            BsonDocument filter = desired.keyFilter(doc);
            BsonDocument fields = desired.insertFields(doc);
            if (fields.isEmpty() && desired.keyPaths().equals(List.of("_id"))) {
                out.add(new InsertOneModel<>(doc)); // _id is unique: a document that appeared is a refusal
            } else {
                out.add(new UpdateOneModel<>(filter, new BsonDocument("$setOnInsert", fields.isEmpty() ? filter : fields),
                        new UpdateOptions().upsert(true)));
            }
            return out;
        }
        BsonDocument keep = docs.size() == 1 ? docs.get(0) : survivors.choose(docs);
        docs.stream().filter(d -> d != keep).forEach(d -> out.add(new DeleteOneModel<>(whole(d))));
        BsonDocument want = desired.of(r, keep);
        BsonDocument set = new BsonDocument();
        BsonDocument unset = new BsonDocument();
        BsonDocument guard = new BsonDocument("_id", keep.get("_id"));
        boolean typeOnly = false;
        Set<String> fields = new LinkedHashSet<>(keep.keySet());
        fields.addAll(want.keySet());
        for (String f : fields) {
            BsonValue was = keep.get(f);
            BsonValue now = want.get(f);
            if (f.equals("_id") || (now != null && was != null && BY_TYPE.token(now).equals(BY_TYPE.token(was)))) {
                continue;
            }
            if (was == null) {
                guard.put(f, new BsonDocument("$exists", org.bson.BsonBoolean.FALSE));
            } else {
                guardOn(guard, f, was);
            }
            if (now == null) {
                unset.put(f, new BsonString(""));
            } else {
                set.put(f, now);
                typeOnly |= was != null && BY_VALUE.token(was).equals(BY_VALUE.token(now));
            }
        }
        if (set.isEmpty() && unset.isEmpty()) {
            return out;
        }
        if (typeOnly) {
            // Some servers skip a $set of an equal value of another BSON type (Double 80.5 over Decimal128 80.50):
            // the document is replaced instead, guarded on all of its fields.
            out.add(new ReplaceOneModel<>(whole(keep), want));
            return out;
        }
        BsonDocument update = new BsonDocument();
        if (!set.isEmpty()) {
            update.put("$set", set);
        }
        if (!unset.isEmpty()) {
            update.put("$unset", unset);
        }
        out.add(new UpdateOneModel<>(guard, update));
        return out;
    }

    /** A filter matching {@code doc} only while every top-level field still holds what was read. */
    private static BsonDocument whole(BsonDocument doc) {
        BsonDocument f = new BsonDocument("_id", doc.get("_id"));
        doc.forEach((k, v) -> {
            if (!k.equals("_id")) {
                guardOn(f, k, v);
            }
        });
        return f;
    }

    /**
     * Adds {@code field: {$eq: value}} to a guard. A regular expression is left out: MongoDB matches it as a value
     * under an explicit {@code $eq}, but servers that only speak the wire protocol treat it as a pattern, so such a
     * field is not guarded (a concurrent change to it alone is overwritten; the proof still reads it).
     */
    private static void guardOn(BsonDocument guard, String field, BsonValue value) {
        if (value.getBsonType() != org.bson.BsonType.REGULAR_EXPRESSION) {
            guard.put(field, new BsonDocument("$eq", value));
        }
    }

    private static String render(WriteModel<BsonDocument> m) {
        if (m instanceof UpdateOneModel<BsonDocument> u) {
            return "updateOne " + ((BsonDocument) u.getFilter()).toJson() + " " + ((BsonDocument) u.getUpdate()).toJson()
                    + (u.getOptions().isUpsert() ? " upsert" : "");
        }
        if (m instanceof DeleteOneModel<BsonDocument> d) {
            return "deleteOne " + ((BsonDocument) d.getFilter()).toJson();
        }
        if (m instanceof ReplaceOneModel<BsonDocument> r) {
            return "replaceOne " + ((BsonDocument) r.getFilter()).toJson() + " " + r.getReplacement().toJson();
        }
        return "insertOne " + ((InsertOneModel<BsonDocument>) m).getDocument().toJson();
    }
}
