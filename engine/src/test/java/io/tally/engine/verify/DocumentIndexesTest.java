package io.tally.engine.verify;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an expected index's keys and partial filter are matched against a listed index spec. */
class DocumentIndexesTest {

    @Test
    void keysMatchInOrderWithNumbersByValue() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("a", 1);
        keys.put("b", -1);
        BsonDocument expected = DocumentIndexes.bson(keys);
        assertTrue(DocumentIndexes.same(BsonDocument.parse("{a: 1.0, b: {$numberLong: '-1'}}"), expected),
                "the shell creates indexes with doubles");
        assertFalse(DocumentIndexes.same(BsonDocument.parse("{b: -1, a: 1}"), expected), "order matters");
        assertFalse(DocumentIndexes.same(BsonDocument.parse("{a: 1, b: 1}"), expected), "direction matters");
        assertFalse(DocumentIndexes.same(BsonDocument.parse("{a: 1}"), expected));
        assertFalse(DocumentIndexes.same(BsonDocument.parse("{a: '1', b: -1}"), expected), "a type is not a direction");
        assertFalse(DocumentIndexes.same(null, expected));
    }

    @Test
    void aBuildInProgressIsListedUnderSpecWithItsBuildUuid() {
        // the shape MongoDB 4.4+ returns for listIndexes with includeBuildUUIDs: true while b_1 is still building
        var listed = DocumentIndexes.parse(BsonDocument.parse("{cursor: {id: 0, ns: 'test.t', firstBatch: ["
                + "{v: 2, key: {_id: 1}, name: '_id_'}, {v: 2, key: {a: 1}, name: 'a_1'},"
                + "{spec: {v: 2, key: {b: 1}, name: 'b_1'}, buildUUID: {$binary: {base64: 'LerfzcnDTxiIdToq"
                + "MClL8w==', subType: '04'}}}]}, ok: 1}"));
        assertEquals(java.util.List.of("_id_:false", "a_1:false", "b_1:true"), listed.stream()
                .map(l -> l.name() + ":" + l.building()).toList());
        assertEquals(BsonDocument.parse("{b: 1}"), listed.get(2).spec().get("key"));
    }

    @Test
    void partialFiltersCompareNestedDocumentsAndArrays() {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("qty", Map.of("$gt", 5));
        filter.put("status", Map.of("$in", java.util.List.of("a", "b")));
        BsonDocument expected = DocumentIndexes.bson(filter);
        assertTrue(DocumentIndexes.same(BsonDocument.parse("{qty: {$gt: 5.0}, status: {$in: ['a', 'b']}}"), expected));
        assertFalse(DocumentIndexes.same(BsonDocument.parse("{qty: {$gt: 5.5}, status: {$in: ['a', 'b']}}"), expected));
        assertFalse(DocumentIndexes.same(BsonDocument.parse("{qty: {$gt: 5}, status: {$in: ['b', 'a']}}"), expected));
    }
}
