package io.tally.engine.verify;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoDatabase;
import io.tally.engine.config.DocumentRules;
import io.tally.engine.report.TableReport;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A target collection's indexes against what the job expects: each configured index present with the same keys in
 * the same order and directions, and the same {@code unique} and partial filter where given; and no index build
 * left unfinished. In-progress builds are read with {@code listIndexes} and {@code includeBuildUUIDs} (MongoDB 4.4
 * and later list a building index as {@code {spec, buildUUID}}); a server that does not know the option is asked
 * plainly, and then cannot show a build in progress.
 */
final class DocumentIndexes {

    /** One index as listed: its spec, and whether its build has not finished. */
    record Listed(BsonDocument spec, boolean building) {
        String name() {
            return spec.getString("name", new BsonString("")).getValue();
        }
    }

    private final MongoDatabase db;
    private final String collection;

    DocumentIndexes(MongoDatabase db, String collection) {
        this.db = db;
        this.collection = collection;
    }

    List<TableReport.Finding> check(List<DocumentRules.ExpectedIndex> expected, boolean builds) {
        List<Listed> listed = list();
        List<TableReport.Finding> out = new ArrayList<>();
        if (!expected.isEmpty()) {
            List<Map<String, String>> missing = new ArrayList<>();
            for (DocumentRules.ExpectedIndex e : expected) {
                BsonDocument keys = bson(e.keys());
                boolean found = listed.stream().anyMatch(l -> !l.building() && matches(l.spec(), keys, e));
                if (!found) {
                    Map<String, String> s = new LinkedHashMap<>();
                    s.put("keys", keys.toJson());
                    s.put("unique", String.valueOf(Boolean.TRUE.equals(e.unique())));
                    s.put("partial", e.partial() == null ? "" : bson(e.partial()).toJson());
                    s.put("same keys", String.join(", ", listed.stream()
                            .filter(l -> same(l.spec().get("key"), keys)).map(l -> l.name()
                                    + (l.building() ? " (building)" : "")).toList()));
                    missing.add(s);
                }
            }
            out.add(new TableReport.Finding("missing-index", "configured indexes not present and finished on "
                    + collection + "; create each (createIndex with the keys and options shown), and if one with "
                    + "the same keys exists with other options, drop it first", missing.size(), missing));
        }
        if (builds) {
            List<Map<String, String>> building = new ArrayList<>();
            for (Listed l : listed) {
                if (l.building()) {
                    Map<String, String> s = new LinkedHashMap<>();
                    s.put("name", l.name());
                    s.put("keys", l.spec().get("key") == null ? "" : l.spec().get("key").toString());
                    building.add(s);
                }
            }
            out.add(new TableReport.Finding("index-build", "index builds not finished on " + collection + " (an "
                    + "interrupted migration can leave one; queries do not use it until it commits): wait for it "
                    + "(db.currentOp) or drop and recreate it", building.size(), building));
        }
        return out;
    }

    List<Listed> list() {
        Document reply;
        try {
            reply = db.runCommand(new Document("listIndexes", collection).append("includeBuildUUIDs", true));
        } catch (MongoCommandException unknownOption) {
            reply = db.runCommand(new Document("listIndexes", collection));
        }
        return parse(reply.toBsonDocument());
    }

    /** A {@code listIndexes} reply's first batch (a collection has at most 64 indexes) as listed indexes. */
    static List<Listed> parse(BsonDocument reply) {
        List<Listed> out = new ArrayList<>();
        BsonDocument cursor = reply.getDocument("cursor");
        for (BsonValue v : cursor.getArray("firstBatch", new BsonArray())) {
            BsonDocument d = v.asDocument();
            boolean building = d.containsKey("buildUUID") || d.containsKey("indexBuildInfo");
            out.add(new Listed(building && d.containsKey("spec") ? d.getDocument("spec") : d, building));
        }
        return out;
    }

    private static boolean matches(BsonDocument spec, BsonDocument keys, DocumentRules.ExpectedIndex e) {
        if (!same(spec.get("key"), keys)) {
            return false;
        }
        if (e.unique() != null && e.unique() != spec.getBoolean("unique", BsonBoolean.FALSE).getValue()) {
            return false;
        }
        return e.partial() == null || same(spec.get("partialFilterExpression"), bson(e.partial()));
    }

    /** Equal BSON, numbers compared by value (an index created from the shell holds doubles), order kept. */
    static boolean same(BsonValue a, BsonValue b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber() || a.isDecimal128() && b.isNumber() || a.isNumber() && b.isDecimal128()) {
            return number(a).compareTo(number(b)) == 0;
        }
        if (a.isDocument() && b.isDocument()) {
            List<String> ka = new ArrayList<>(a.asDocument().keySet());
            if (!ka.equals(new ArrayList<>(b.asDocument().keySet()))) {
                return false;
            }
            return ka.stream().allMatch(k -> same(a.asDocument().get(k), b.asDocument().get(k)));
        }
        if (a.isArray() && b.isArray()) {
            List<BsonValue> x = a.asArray().getValues();
            List<BsonValue> y = b.asArray().getValues();
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static BigDecimal number(BsonValue v) {
        return v.isDecimal128() ? v.asDecimal128().getValue().bigDecimalValue()
                : v.isDouble() ? BigDecimal.valueOf(v.asDouble().getValue()) : BigDecimal.valueOf(v.asNumber().longValue());
    }

    /** A configured map as BSON, in its written order (numbers are compared by value, see {@link #same}). */
    static BsonDocument bson(Map<String, Object> map) {
        return new Document(map).toBsonDocument();
    }
}
