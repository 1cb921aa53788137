package io.tally.engine.repair;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The repair's progress in a MongoDB target: one document per applied batch in a collection of the target
 * database ({@value Ledger#DEFAULT_NAME} by default). Without a transaction around batch and record, a crash between
 * the two leaves the batch unrecorded; the next run re-checks it and finds its keys already in their planned state,
 * which the guard counts as done, so the repair still converges without writing twice.
 */
final class DocumentLedger {

    private final MongoCollection<BsonDocument> collection;

    DocumentLedger(MongoCollection<BsonDocument> collection) {
        this.collection = collection;
    }

    String name() {
        return collection.getNamespace().getFullName();
    }

    Map<String, Ledger.Entry> recorded(String planId) {
        Map<String, Ledger.Entry> out = new LinkedHashMap<>();
        for (BsonDocument d : collection.find(new BsonDocument("plan", new BsonString(planId)))) {
            Ledger.Entry e = new Ledger.Entry(d.getString("table").getValue(), d.getString("set").getValue(),
                    d.getInt32("batch").getValue(), d.getInt32("batchSize").getValue(), d.getInt32("applied").getValue(),
                    d.getInt32("already").getValue(), d.getInt32("conflicts").getValue());
            out.put(Ledger.id(e.table(), e.set(), e.batch()), e);
        }
        return out;
    }

    void record(String planId, Ledger.Entry e) {
        String id = planId + "/" + Ledger.id(e.table(), e.set(), e.batch());
        BsonDocument d = new BsonDocument("_id", new BsonString(id)).append("plan", new BsonString(planId))
                .append("table", new BsonString(e.table())).append("set", new BsonString(e.set()))
                .append("batch", new BsonInt32(e.batch())).append("batchSize", new BsonInt32(e.batchSize()))
                .append("applied", new BsonInt32(e.applied())).append("already", new BsonInt32(e.already()))
                .append("conflicts", new BsonInt32(e.conflicts()))
                .append("at", new BsonDateTime(System.currentTimeMillis()));
        collection.replaceOne(new BsonDocument("_id", new BsonString(id)), d, new ReplaceOptions().upsert(true));
    }
}
