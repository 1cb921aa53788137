package io.tally.engine.repair;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.config.DocumentRules;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.source.mongo.DocumentColumns;
import io.tally.engine.source.mongo.MongoReader;
import io.tally.engine.source.mongo.SurvivorRule;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one batch of a plan set to a MongoDB collection: read the batch's documents, compare each key's state
 * with the state verification saw, and send the writes for the keys that still match (or all, with force) as one
 * unordered {@code bulkWrite}. An absent key is inserted with {@code $setOnInsert} on an upsert, so a document that
 * appears meanwhile is reported, not overwritten; an existing one gets {@code $set} and {@code $unset} by its
 * {@code _id}; a key held by several documents keeps the one the duplicates rule chooses and loses the others;
 * a delete removes exactly the documents seen. A key already in its planned state is skipped, which is what makes
 * a re-run converge.
 */
final class DocumentBatch {

    private static final int DUPLICATE_KEY = 11000;

    private final DocumentStates target;
    private final PlanManifest.PlannedTable table;
    private final DocumentColumns sourceColumns;
    private final SurvivorRule survivors;
    private final DocumentRules.Marker marker;
    private final boolean force;
    private final boolean dryRun;
    private final int sampleStatements;

    DocumentBatch(DocumentStates target, PlanManifest.PlannedTable table, boolean force, boolean dryRun,
                  int sampleStatements) {
        this.target = target;
        this.table = table;
        PlanManifest.Documents d = table.documents();
        this.sourceColumns = new DocumentColumns(table.columns().stream().map(p -> p.source().name()).toList(),
                d.ignoredSource(), null);
        this.survivors = new SurvivorRule(d.rules().duplicates(), d.rules().marker());
        this.marker = d.rules().marker();
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
        Set<Integer> inserts = new HashSet<>();
        for (PlanRow r : write) {
            for (WriteModel<BsonDocument> m : models(r, fetched.docs(r.key()))) {
                if (m instanceof UpdateOneModel<BsonDocument> u && u.getOptions().isUpsert()
                        || m instanceof InsertOneModel<BsonDocument>) {
                    inserts.add(models.size());
                }
                models.add(m);
                owner.add(r);
            }
        }
        List<String> statements = new ArrayList<>();
        Set<PlanRow> lost = new java.util.LinkedHashSet<>();
        Map<PlanRow, String> refused = new LinkedHashMap<>();
        if (dryRun) {
            models.stream().limit(sampleStatements).forEach(m -> statements.add(render(m)));
        } else if (!models.isEmpty()) {
            BulkWriteResult result;
            List<BulkWriteError> errors = List.of();
            try {
                result = target.collection().bulkWrite(models, new BulkWriteOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                result = e.getWriteResult();
                errors = e.getWriteErrors();
            }
            Set<Integer> upserted = new HashSet<>();
            result.getUpserts().forEach(u -> upserted.add(u.getIndex()));
            Set<Integer> failed = new HashSet<>();
            for (BulkWriteError e : errors) {
                failed.add(e.getIndex());
                if (e.getCode() != DUPLICATE_KEY) {
                    throw new io.tally.engine.TallyError("writing " + table.name() + " failed: " + e.getMessage()
                            + "; recorded batches are in the ledger, fix the cause and run the same command again");
                }
                refused.putIfAbsent(owner.get(e.getIndex()), "refused by a unique index: " + e.getMessage());
            }
            for (int i : inserts) {
                boolean insertOne = models.get(i) instanceof InsertOneModel<BsonDocument>;
                if (!failed.contains(i) && !insertOne && !upserted.contains(i)) {
                    lost.add(owner.get(i)); // the upsert matched: a document appeared after the check
                }
            }
        }
        lost.forEach(r -> conflicts.add(new BatchOutcome.Conflict(r, "a document appeared under this key after the check")));
        refused.forEach((r, why) -> {
            if (!lost.contains(r)) {
                conflicts.add(new BatchOutcome.Conflict(r, why));
            }
        });
        int applied = write.size() - (int) write.stream().filter(r -> lost.contains(r) || refused.containsKey(r)).count();
        return new BatchOutcome(applied, already, forced, conflicts, statements);
    }

    /** The writes that take one key from the documents seen to its planned state. */
    private List<WriteModel<BsonDocument>> models(PlanRow r, List<BsonDocument> docs) {
        List<WriteModel<BsonDocument>> out = new ArrayList<>();
        if (r.isDelete()) {
            if (!docs.isEmpty()) {
                out.add(new DeleteManyModel<>(idsIn(docs)));
            }
            return out;
        }
        BsonDocument source = r.doc() == null ? null : MongoReader.parse(r.doc());
        if (docs.isEmpty()) {
            BsonDocument filter = new BsonDocument();
            BsonDocument fields = new BsonDocument();
            for (int i = 0; i < table.columns().size(); i++) {
                if (isRest(i)) {
                    if (source != null) {
                        sourceColumns.rest(source).forEach(fields::put);
                    }
                    continue;
                }
                BsonValue v = value(r, source, i);
                if (v != null) {
                    (i < table.keyCount() ? filter : fields).put(table.columns().get(i).target().name(), v);
                }
            }
            BsonDocument set = withoutCoveredPaths(fields);
            if (set.isEmpty()) {
                out.add(new InsertOneModel<>(filter));
            } else {
                out.add(new UpdateOneModel<>(filter, new BsonDocument("$setOnInsert", set), new UpdateOptions().upsert(true)));
            }
            return out;
        }
        BsonDocument keep = docs.size() == 1 ? docs.get(0) : survivors.choose(docs);
        List<BsonDocument> others = docs.stream().filter(d -> d != keep).toList();
        if (!others.isEmpty()) {
            out.add(new DeleteManyModel<>(idsIn(others)));
        }
        BsonDocument set = new BsonDocument();
        BsonDocument unset = new BsonDocument();
        for (int i = table.keyCount(); i < table.columns().size(); i++) {
            if (isRest(i)) {
                BsonDocument from = source == null ? new BsonDocument() : sourceColumns.rest(source);
                from.forEach(set::put);
                target.columns().rest(keep).keySet().stream().filter(f -> !from.containsKey(f))
                        .forEach(f -> unset.put(f, new BsonString("")));
                continue;
            }
            BsonValue v = value(r, source, i);
            String p = table.columns().get(i).target().name();
            if (v == null) {
                unset.put(p, new BsonString(""));
            } else {
                set.put(p, v);
            }
        }
        if (marker != null && io.tally.engine.canonical.DocumentCanonicalizer.at(keep, marker.field()) != null) {
            if (marker.statusField() != null) {
                set.put(marker.statusField(), new BsonString(marker.complete()));
            } else {
                unset.put(marker.field(), new BsonString(""));
            }
        }
        BsonDocument sets = withoutCoveredPaths(set);
        BsonDocument unsets = withoutCoveredPaths(unset);
        if (sets.isEmpty() && unsets.isEmpty()) {
            return out;
        }
        BsonDocument filter = new BsonDocument("_id", keep.get("_id"));
        if (changesType(keep, sets)) {
            // Some servers treat a $set of an equal value of another BSON type (Double 80.5 over Decimal128 80.50)
            // as a no-op; the whole document, with only these paths changed, is written instead.
            out.add(new ReplaceOneModel<>(filter, applied(keep, sets, unsets)));
            return out;
        }
        BsonDocument update = new BsonDocument();
        if (!sets.isEmpty()) {
            update.put("$set", sets);
        }
        if (!unsets.isEmpty()) {
            update.put("$unset", unsets);
        }
        out.add(new UpdateOneModel<>(filter, update));
        return out;
    }

    /** Whether a written path holds a value of another BSON type (or a document or array) than now. */
    private static boolean changesType(BsonDocument doc, BsonDocument sets) {
        for (Map.Entry<String, BsonValue> e : sets.entrySet()) {
            BsonValue now = io.tally.engine.canonical.DocumentCanonicalizer.at(doc, e.getKey());
            if (now != null && (now.getBsonType() != e.getValue().getBsonType() || now.isDocument() || now.isArray())) {
                return true;
            }
        }
        return false;
    }

    /** {@code doc} with the dotted paths of {@code sets} written and those of {@code unsets} removed. */
    static BsonDocument applied(BsonDocument doc, BsonDocument sets, BsonDocument unsets) {
        BsonDocument out = doc.clone();
        unsets.keySet().forEach(p -> put(out, p, null));
        sets.forEach((p, v) -> put(out, p, v));
        return out;
    }

    private static void put(BsonDocument doc, String path, BsonValue v) {
        String[] steps = path.split("\\.", -1);
        BsonDocument at = doc;
        for (int i = 0; i < steps.length - 1; i++) {
            BsonValue next = at.get(steps[i]);
            if (next instanceof BsonDocument d) {
                at = d;
            } else if (v == null) {
                return;
            } else {
                BsonDocument d = new BsonDocument();
                at.put(steps[i], d);
                at = d;
            }
        }
        if (v == null) {
            at.remove(steps[steps.length - 1]);
        } else {
            at.put(steps[steps.length - 1], v);
        }
    }

    private boolean isRest(int i) {
        return DocumentColumns.REST.equals(table.columns().get(i).target().name());
    }

    /** Column {@code i}'s new value: from the source document, else from the plan's token; null for "missing". */
    private BsonValue value(PlanRow r, BsonDocument source, int i) {
        if (source != null) {
            return sourceColumns.value(source, i);
        }
        ColumnPair pair = table.columns().get(i);
        return DocumentValues.write(r.tokens().get(i), pair, table.documents().bson().get(pair.name()));
    }

    private static BsonDocument idsIn(List<BsonDocument> docs) {
        BsonArray ids = new BsonArray();
        docs.forEach(d -> ids.add(d.get("_id")));
        return new BsonDocument("_id", new BsonDocument("$in", ids));
    }

    /** Drops a dotted path whose parent is written too (the parent's value already holds it). */
    private static BsonDocument withoutCoveredPaths(BsonDocument paths) {
        BsonDocument out = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : paths.entrySet()) {
            String p = e.getKey();
            boolean covered = false;
            for (int dot = p.indexOf('.'); dot > 0 && !covered; dot = p.indexOf('.', dot + 1)) {
                covered = paths.containsKey(p.substring(0, dot));
            }
            if (!covered) {
                out.put(p, e.getValue());
            }
        }
        return out;
    }

    private static String render(WriteModel<BsonDocument> m) {
        if (m instanceof UpdateOneModel<BsonDocument> u) {
            return "updateOne " + ((BsonDocument) u.getFilter()).toJson() + " " + ((BsonDocument) u.getUpdate()).toJson()
                    + (u.getOptions().isUpsert() ? " upsert" : "");
        }
        if (m instanceof DeleteManyModel<BsonDocument> d) {
            return "deleteMany " + ((BsonDocument) d.getFilter()).toJson();
        }
        if (m instanceof ReplaceOneModel<BsonDocument> r) {
            return "replaceOne " + ((BsonDocument) r.getFilter()).toJson() + " " + r.getReplacement().toJson();
        }
        return "insertOne " + ((InsertOneModel<BsonDocument>) m).getDocument().toJson();
    }
}
