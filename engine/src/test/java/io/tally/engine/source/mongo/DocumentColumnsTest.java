package io.tally.engine.source.mongo;

import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.canonical.DocumentCanonicalizer.NumericPolicy;
import io.tally.engine.canonical.FieldCanonicalizer;
import io.tally.engine.canonical.RowHasher;
import io.tally.engine.config.DocumentRules;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The columns of a document side: every field is in some column or in REST, excluded fields in neither. */
class DocumentColumnsTest {

    private static final FieldCanonicalizer FIELDS = new FieldCanonicalizer(NumericPolicy.EXACT, false);
    private static final ColumnRule BSON = ColumnRule.of(ColumnRule.Kind.BSON);
    private static final ColumnRule[] RULES = {BSON, BSON, BSON, BSON};
    private final DocumentColumns cols = new DocumentColumns(List.of("_id", "a", "p.q", DocumentColumns.REST),
            List.of("ignored"), new DocumentRules.Marker("m", "status", "complete"));

    private String hash(String json) {
        BsonDocument d = BsonDocument.parse(json);
        return new RowHasher().hash(cols.hashed(cols.tokens(d, RULES, FIELDS), d));
    }

    @Test
    void aFieldNoColumnNamesIsStillComparedThroughRest() {
        assertNotEquals(hash("{_id: 1, a: 2, z: 1}"), hash("{_id: 1, a: 2, z: 2}"));
        assertNotEquals(hash("{_id: 1, a: 2}"), hash("{_id: 1, a: 2, z: null}"));
        assertNotEquals(hash("{_id: 1, p: {q: 1, r: 1}}"), hash("{_id: 1, p: {q: 1, r: 2}}"),
                "a dotted column leaves its parent in REST, so its siblings are compared");
    }

    @Test
    void excludedFieldsAndFieldOrderDoNotCount() {
        assertEquals(hash("{_id: 1, a: 2, ignored: 1}"), hash("{a: 2, _id: 1, ignored: 'other'}"));
    }

    @Test
    void aHalfDoneDocumentNeverMatchesTheCompleteOne() {
        assertFalse(cols.halfDone(BsonDocument.parse("{_id: 1}")));
        assertFalse(cols.halfDone(BsonDocument.parse("{_id: 1, m: 'x', status: 'complete'}")));
        assertTrue(cols.halfDone(BsonDocument.parse("{_id: 1, m: 'x', status: 'in_progress'}")));
        assertTrue(cols.halfDone(BsonDocument.parse("{_id: 1, m: 'x'}")));
        assertNotEquals(hash("{_id: 1, a: 2, m: 'x', status: 'complete'}"), hash("{_id: 1, a: 2, m: 'x', status: 'in_progress'}"));
        assertEquals(hash("{_id: 1, a: 2}"), hash("{_id: 1, a: 2, m: 'x', status: 'complete'}".replace(", m: 'x', status: 'complete'", "")));
    }

    @Test
    void aFieldRenamedIntoANestedPathLeavesTheSameRest() {
        DocumentColumns source = new DocumentColumns(List.of("_id", "name", DocumentColumns.REST), List.of(), null);
        DocumentColumns target = new DocumentColumns(List.of("_id", "profile.name", DocumentColumns.REST), List.of(), null);
        ColumnRule[] rules = {BSON, BSON, BSON};
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                source.tokens(BsonDocument.parse("{_id: 1, name: 'x', age: 3}"), rules, FIELDS),
                target.tokens(BsonDocument.parse("{_id: 1, profile: {name: 'x'}, age: 3}"), rules, FIELDS));
        String[] empty = target.tokens(BsonDocument.parse("{_id: 1, profile: {}, age: 3}"), rules, FIELDS);
        String[] renamed = target.tokens(BsonDocument.parse("{_id: 1, profile: {name: 'x'}, age: 3}"), rules, FIELDS);
        assertNotEquals(empty[2], renamed[2], "an empty parent that held no leaf is still compared");
    }
}
