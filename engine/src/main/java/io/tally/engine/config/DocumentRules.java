package io.tally.engine.config;

import java.io.Serializable;
import java.util.List;

/**
 * What a table pair with a MongoDB side checks beyond the row diff: how a missing field compares, and the three
 * patterns a failed document migration leaves behind (half-done documents, one entity under several {@code _id}s,
 * references to documents that do not exist). The patterns are checked on the target collection.
 *
 * @param missingFields {@code distinct} (default: a missing field never equals a field holding null, nor a
 *                      relational NULL) or {@code null} (a missing field reads as null)
 */
public record DocumentRules(String missingFields, Marker marker, Duplicates duplicates, List<Reference> references,
                            List<ExpectedIndex> indexes) implements Serializable {

    public DocumentRules {
        missingFields = missingFields == null ? "distinct" : missingFields;
        references = references == null ? List.of() : List.copyOf(references);
        indexes = indexes == null ? List.of() : List.copyOf(indexes);
    }

    public static DocumentRules none() {
        return new DocumentRules(null, null, null, null, null);
    }

    /** The same rules with another missing-field semantics. */
    public DocumentRules withMissingFields(String semantics) {
        return new DocumentRules(semantics, marker, duplicates, references, indexes);
    }

    public boolean missingIsNull() {
        return "null".equals(missingFields);
    }

    /**
     * A migration's marker: documents holding {@code field} are half-done unless {@code statusField} holds
     * {@code complete} (without a status field, holding the marker at all means unfinished). A repair of a
     * half-done document rewrites it from the source and sets {@code statusField} to {@code complete}.
     */
    public record Marker(String field, String statusField, String complete) implements Serializable {
    }

    /**
     * One logical entity must be one document: documents sharing {@code key} (field paths) are duplicates, and
     * the one kept is the one with the latest {@code by} ({@code keep: latest}) or the one whose marker status is
     * complete ({@code keep: complete}, then the latest {@code by}); ties go to the smallest {@code _id}.
     */
    public record Duplicates(List<String> key, String keep, String by) implements Serializable {

        public Duplicates {
            key = key == null ? List.of() : List.copyOf(key);
            keep = keep == null ? "latest" : keep;
        }
    }

    /**
     * An index the target collection must have, finished: {@code keys} in order, each {@code 1}, {@code -1} or an
     * index type ({@code hashed}, {@code 2dsphere}, {@code 2d}); {@code unique} and {@code partial}
     * (the partialFilterExpression, as it was created) must match when given.
     */
    public record ExpectedIndex(java.util.LinkedHashMap<String, Object> keys, Boolean unique,
                                java.util.LinkedHashMap<String, Object> partial) implements Serializable {

        /** Index types besides 1 and -1; a text index is stored as {_fts, _ftsx} and cannot be matched by its keys. */
        public static final List<String> TYPES = List.of("hashed", "2dsphere", "2d");
    }

    /**
     * A reference from {@code field} of each target document to {@code to} (default {@code _id}) of the documents
     * in {@code collection} of the same database; a document whose non-null reference finds none is an orphan.
     */
    public record Reference(String field, String collection, String to) implements Serializable {

        public Reference {
            to = to == null ? "_id" : to;
        }
    }
}
