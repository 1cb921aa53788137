package io.tally.engine.source.mongo;

import io.tally.engine.config.DocumentRules;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which duplicate is kept: complete first (when asked), then the latest version, then the smallest _id. */
class SurvivorRuleTest {

    private static final DocumentRules.Marker MARKER = new DocumentRules.Marker("m", "status", "complete");

    private static BsonDocument d(String json) {
        return BsonDocument.parse(json);
    }

    @Test
    void latestByDateThenSmallestId() {
        SurvivorRule latest = new SurvivorRule(new DocumentRules.Duplicates(List.of("email"), "latest", "at"), MARKER);
        List<BsonDocument> docs = List.of(d("{_id: 3, at: {$date: 1000}}"), d("{_id: 2, at: {$date: 5000}}"),
                d("{_id: 1, at: {$date: 5000}}"), d("{_id: 0}"));
        assertEquals(1, latest.choose(docs).getInt32("_id").getValue());
    }

    @Test
    void completeBeatsNewer() {
        SurvivorRule complete = new SurvivorRule(new DocumentRules.Duplicates(List.of("email"), "complete", "at"), MARKER);
        List<BsonDocument> docs = List.of(d("{_id: 1, at: 9, status: 'in_progress'}"), d("{_id: 2, at: 1, status: 'complete'}"));
        assertEquals(2, complete.choose(docs).getInt32("_id").getValue());
    }

    @Test
    void numbersOfMixedTypesCompareByValue() {
        SurvivorRule latest = new SurvivorRule(new DocumentRules.Duplicates(List.of("k"), "latest", "v"), null);
        List<BsonDocument> docs = List.of(d("{_id: 1, v: 10}"), d("{_id: 2, v: {$numberDecimal: '10.5'}}"),
                d("{_id: 3, v: 9.75}"), d("{_id: 4, v: NaN}"));
        assertEquals(2, latest.choose(docs).getInt32("_id").getValue());
    }

    @Test
    void withoutARuleTheSmallestIdStays() {
        assertEquals(1, new SurvivorRule(null, null).choose(List.of(d("{_id: 2}"), d("{_id: 1}"))).getInt32("_id").getValue());
    }
}
