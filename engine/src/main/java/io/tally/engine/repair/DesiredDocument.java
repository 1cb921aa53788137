package io.tally.engine.repair;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.DocumentCanonicalizer;
import io.tally.engine.config.DocumentRules;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.source.mongo.DocumentColumns;
import io.tally.engine.source.mongo.MongoReader;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.List;

/**
 * The document a planned key should become in a MongoDB target, computed in full before anything is written, so
 * the writes are plain differences of top-level fields (no path conflicts, nested fields whatever their parents
 * hold). From a collection: the source document's compared fields (renamed to their target paths), its
 * {@code (other fields)}, and the target's own excluded fields and {@code _id}. From a table: the current document
 * with each column's field set from the plan's token. A half-done document also gets its marker completed.
 */
final class DesiredDocument {

    private final PlanManifest.PlannedTable table;
    private final DocumentColumns sourceColumns;
    private final DocumentColumns targetColumns;
    private final DocumentRules.Marker marker;

    DesiredDocument(PlanManifest.PlannedTable table, DocumentColumns targetColumns) {
        this.table = table;
        PlanManifest.Documents d = table.documents();
        this.sourceColumns = new DocumentColumns(table.columns().stream().map(p -> p.source().name()).toList(),
                d.ignoredSource(), null);
        this.targetColumns = targetColumns;
        this.marker = d.rules().marker();
    }

    /** What {@code current} (null for a key planned absent) becomes once {@code r} is applied. */
    BsonDocument of(PlanRow r, BsonDocument current) {
        BsonDocument out;
        if (r.doc() != null) {
            BsonDocument source = MongoReader.parse(r.doc());
            out = new BsonDocument();
            if (current != null) {
                out.put("_id", current.get("_id"));
                for (String f : targetColumns.ignored()) {
                    if (current.containsKey(f)) {
                        out.put(f, current.get(f));
                    }
                }
            }
            sourceColumns.rest(source).forEach(out::put);
            for (int i = 0; i < table.columns().size(); i++) {
                String path = table.columns().get(i).target().name();
                if (DocumentColumns.REST.equals(path) || (current != null && path.equals("_id"))) {
                    continue;
                }
                BsonValue v = sourceColumns.value(source, i);
                if (v != null) {
                    put(out, path, v);
                }
            }
        } else {
            if (table.columns().stream().anyMatch(p -> DocumentColumns.REST.equals(p.target().name()))) {
                throw new TallyError("plan table " + table.name() + " compares whole documents but its upsert rows "
                        + "carry no source document; regenerate the plan with verify --plan");
            }
            out = current == null ? new BsonDocument() : current.clone();
            for (int i = 0; i < table.columns().size(); i++) {
                if (current != null && i < table.keyCount()) {
                    continue; // the key already matches
                }
                ColumnPair pair = table.columns().get(i);
                put(out, pair.target().name(), DocumentValues.write(r.tokens().get(i), pair,
                        table.documents().bson().get(pair.name())));
            }
        }
        if (marker != null && current != null && DocumentCanonicalizer.at(current, marker.field()) != null) {
            if (marker.statusField() != null) {
                put(out, marker.statusField(), new BsonString(marker.complete()));
            } else {
                put(out, marker.field(), null);
            }
        }
        return out;
    }

    /** The key fields of an inserted document, as an equality filter on their (possibly dotted) paths. */
    BsonDocument keyFilter(BsonDocument desired) {
        BsonDocument filter = new BsonDocument();
        for (String p : keyPaths()) {
            BsonValue v = DocumentCanonicalizer.at(desired, p);
            if (v == null) {
                throw new TallyError("the source row of a planned insert into " + table.name() + " has no key " + p);
            }
            filter.put(p, v);
        }
        return filter;
    }

    /**
     * The fields of an inserted document other than its key, flattened one level under a dotted key's parent so
     * that {@code $setOnInsert} never overwrites the key fields the upsert takes from its filter.
     */
    BsonDocument insertFields(BsonDocument desired) {
        BsonDocument out = new BsonDocument();
        List<String> keys = keyPaths();
        for (var e : desired.entrySet()) {
            String f = e.getKey();
            if (keys.contains(f)) {
                continue;
            }
            List<String> under = keys.stream().filter(k -> k.startsWith(f + ".")).toList();
            if (under.isEmpty() || !(e.getValue() instanceof BsonDocument sub)) {
                out.put(f, e.getValue());
                continue;
            }
            for (var s : sub.entrySet()) {
                if (!under.contains(f + "." + s.getKey())) {
                    out.put(f + "." + s.getKey(), s.getValue());
                }
            }
        }
        return out;
    }

    List<String> keyPaths() {
        return table.columns().subList(0, table.keyCount()).stream().map(p -> p.target().name()).toList();
    }

    /** Writes {@code v} at a dotted path (creating or replacing non-document parents); null removes the leaf. */
    static void put(BsonDocument doc, String path, BsonValue v) {
        String[] steps = path.split("\\.", -1);
        BsonDocument at = doc;
        for (int i = 0; i < steps.length - 1; i++) {
            if (at.get(steps[i]) instanceof BsonDocument d) {
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
}
