package io.tally.engine.source.mongo;

import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.FieldCanonicalizer;
import io.tally.engine.config.DocumentRules;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compared columns of one document side: a dotted field path per column, in plan order (keys first). Between
 * two collections the last column may be {@link #REST}: every top-level field no other column names, as one
 * embedded document, so a field seen in no sampled document is still compared and a row hash covers the whole
 * document.
 *
 * @param ignored top-level fields excluded by the configuration: in no column and not in {@link #REST}
 * @param marker  on a target side, the migration marker that makes a document half-done (null when none)
 */
public record DocumentColumns(List<String> paths, List<String> ignored, DocumentRules.Marker marker)
        implements Serializable {

    /** The name of the column holding every field no other column names. */
    public static final String REST = "(other fields)";

    public DocumentColumns {
        paths = List.copyOf(paths);
        ignored = ignored == null ? List.of() : List.copyOf(ignored);
    }

    public boolean hasRest() {
        return !paths.isEmpty() && REST.equals(paths.get(paths.size() - 1));
    }

    /** The top-level fields the named (undotted) columns cover. */
    public Set<String> topLevel() {
        Set<String> out = new LinkedHashSet<>();
        for (String p : paths) {
            if (!REST.equals(p) && !p.contains(".")) {
                out.add(p); // a dotted path's top-level field stays in REST: its other subfields are compared there
            }
        }
        return out;
    }

    /**
     * The fields of {@code doc} that fall into {@link #REST}: every top-level field no undotted column names and
     * the configuration does not exclude, without the leaves dotted columns name (a parent a removed leaf leaves
     * empty goes too, so {@code {profile: {name: x}}} and a renamed {@code {name: x}} have the same rest).
     */
    public BsonDocument rest(BsonDocument doc) {
        Set<String> named = topLevel();
        named.addAll(ignored);
        BsonDocument rest = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            if (!named.contains(e.getKey())) {
                rest.put(e.getKey(), e.getValue());
            }
        }
        for (String p : paths) {
            if (p.contains(".") && !REST.equals(p)) {
                removeLeaf(rest, p.split("\\.", -1), 0);
            }
        }
        return rest;
    }

    /** Removes the leaf at {@code steps} (copying the documents on the way); true when that emptied {@code at}. */
    private static boolean removeLeaf(BsonDocument at, String[] steps, int i) {
        if (i == steps.length - 1) {
            return at.remove(steps[i]) != null && at.isEmpty();
        }
        if (!(at.get(steps[i]) instanceof BsonDocument child)) {
            return false;
        }
        BsonDocument copy = child.clone();
        at.put(steps[i], copy);
        if (removeLeaf(copy, steps, i + 1)) {
            at.remove(steps[i]);
            return at.isEmpty();
        }
        return false;
    }

    /** Every column's token for {@code doc}. */
    public String[] tokens(BsonDocument doc, ColumnRule[] rules, FieldCanonicalizer fields) {
        String[] tokens = new String[paths.size()];
        for (int i = 0; i < tokens.length; i++) {
            String p = paths.get(i);
            tokens[i] = REST.equals(p) ? fields.documents().document(rest(doc)) : fields.token(doc, p, rules[i]);
        }
        return tokens;
    }

    /** The value of column {@code i} in {@code doc}: null when the field is missing. */
    public BsonValue value(BsonDocument doc, int i) {
        String p = paths.get(i);
        return REST.equals(p) ? rest(doc) : io.tally.engine.canonical.DocumentCanonicalizer.at(doc, p);
    }

    /**
     * Whether the marker says {@code doc} is unfinished: it holds the marker field and its status is not the
     * complete value (or, without a status field, it holds the marker at all).
     */
    public boolean halfDone(BsonDocument doc) {
        if (marker == null || io.tally.engine.canonical.DocumentCanonicalizer.at(doc, marker.field()) == null) {
            return false;
        }
        if (marker.statusField() == null) {
            return true;
        }
        BsonValue status = io.tally.engine.canonical.DocumentCanonicalizer.at(doc, marker.statusField());
        return status == null || !status.isString() || !status.asString().getValue().equals(marker.complete());
    }

    /**
     * What the row hash is taken over: the tokens, plus for a half-done document a token saying so. A half-done
     * document therefore never matches its source row, even when every compared field already does, and a repair
     * that completes it reaches the source row's hash.
     */
    public String[] hashed(String[] tokens, BsonDocument doc) {
        if (!halfDone(doc)) {
            return tokens;
        }
        String[] out = java.util.Arrays.copyOf(tokens, tokens.length + 1);
        BsonValue status = marker.statusField() == null ? null
                : io.tally.engine.canonical.DocumentCanonicalizer.at(doc, marker.statusField());
        out[tokens.length] = CanonicalForm.token('S', "half-done:" + (status == null ? "" : status.toString()));
        return out;
    }

    public List<String> keyPaths(int keyCount) {
        return new ArrayList<>(paths.subList(0, keyCount));
    }
}
