package io.tally.engine.repair;

import com.mongodb.client.MongoCollection;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.canonical.FieldCanonicalizer;
import io.tally.engine.canonical.RowHasher;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.source.mongo.DocumentColumns;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the current documents under a batch of keys with the driver and reduces each key to its state exactly as
 * verify does (the same field tokens, marker and row hash): {@link RowFetcher#ABSENT}, the hash, or a {@code dup:}
 * state for several documents. Documents the query matched under another key token (a number stored under two
 * BSON types the policy tells apart) are left out, as the relational fetch leaves out foreign rows.
 */
final class DocumentStates {

    /** States and the documents behind them, per key. */
    record Fetched(Map<String, String> states, Map<String, List<BsonDocument>> docs) {
        String state(String key) {
            return states.getOrDefault(key, RowFetcher.ABSENT);
        }

        List<BsonDocument> docs(String key) {
            return docs.getOrDefault(key, List.of());
        }
    }

    private final MongoCollection<BsonDocument> collection;
    private final DocumentColumns columns;
    private final ColumnRule[] rules;
    private final int keyCount;
    private final FieldCanonicalizer fields;

    DocumentStates(MongoCollection<BsonDocument> collection, DocumentColumns columns, List<ColumnRule> rules,
                   int keyCount, FieldCanonicalizer fields) {
        this.collection = collection;
        this.columns = columns;
        this.rules = rules.toArray(ColumnRule[]::new);
        this.keyCount = keyCount;
        this.fields = fields;
    }

    /** The states of one side of a planned table whose that side is a collection. */
    static DocumentStates of(MongoCollection<BsonDocument> c, PlanManifest.PlannedTable t, boolean source) {
        PlanManifest.Documents d = t.documents();
        List<String> paths = t.columns().stream().map(p -> (source ? p.source() : p.target()).name()).toList();
        DocumentColumns columns = new DocumentColumns(paths, source ? d.ignoredSource() : d.ignoredTarget(),
                source ? null : d.rules().marker());
        return new DocumentStates(c, columns, t.columns().stream().map(p -> source ? p.sourceRule() : p.targetRule())
                .toList(), t.keyCount(), d.fields());
    }

    DocumentColumns columns() {
        return columns;
    }

    MongoCollection<BsonDocument> collection() {
        return collection;
    }

    Fetched fetch(List<List<String>> keys) {
        Set<String> asked = new HashSet<>();
        keys.forEach(k -> asked.add(String.join("", k)));
        BsonDocument filter = filter(keys);
        Map<String, List<String>> hashes = new HashMap<>();
        Map<String, List<BsonDocument>> docs = new HashMap<>();
        RowHasher hasher = new RowHasher();
        for (BsonDocument d : collection.find(filter)) {
            String[] tokens = columns.tokens(d, rules, fields);
            String key = String.join("", java.util.Arrays.asList(tokens).subList(0, keyCount));
            if (!asked.contains(key)) {
                continue;
            }
            hashes.computeIfAbsent(key, x -> new ArrayList<>()).add(hasher.hash(columns.hashed(tokens, d)));
            docs.computeIfAbsent(key, x -> new ArrayList<>()).add(d);
        }
        Map<String, String> states = new HashMap<>();
        hashes.forEach((k, h) -> states.put(k, RowFetcher.state(h)));
        return new Fetched(states, docs);
    }

    /** {@code {k: {$in: [...]}}} for one key field, an {@code $or} of per-key conjunctions for several. */
    private BsonDocument filter(List<List<String>> keys) {
        if (keyCount == 1) {
            BsonArray in = new BsonArray();
            Set<BsonValue> seen = new HashSet<>();
            for (List<String> k : keys) {
                for (BsonValue v : DocumentValues.candidates(k.get(0))) {
                    if (seen.add(v)) {
                        in.add(v);
                    }
                }
            }
            return new BsonDocument(columns.paths().get(0), new BsonDocument("$in", in));
        }
        BsonArray or = new BsonArray();
        for (List<String> k : keys) {
            BsonDocument one = new BsonDocument();
            for (int i = 0; i < keyCount; i++) {
                one.append(columns.paths().get(i), new BsonDocument("$in", new BsonArray(DocumentValues.candidates(k.get(i)))));
            }
            or.add(one);
        }
        return new BsonDocument("$or", or);
    }

    long count() {
        return collection.countDocuments();
    }
}
