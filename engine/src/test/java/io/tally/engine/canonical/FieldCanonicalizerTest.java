package io.tally.engine.canonical;

import io.tally.engine.canonical.ColumnRule.Kind;
import io.tally.engine.canonical.DocumentCanonicalizer.NumericPolicy;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.UuidRepresentation;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The type pairs between relational columns and document fields: a BSON value under a column's rule gives the
 * token the relational value gives, and a value of another BSON type never does.
 */
class FieldCanonicalizerTest {

    private final FieldCanonicalizer exact = new FieldCanonicalizer(NumericPolicy.EXACT, false);
    private final FieldCanonicalizer value = new FieldCanonicalizer(NumericPolicy.VALUE, false);

    private static ColumnRule rule(Kind k) {
        return ColumnRule.of(k);
    }

    @Test
    void integersAndDecimalsCompareByValueWithTheRelationalToken() {
        String pg = ValueCanonicalizer.token(new java.math.BigDecimal("12.50"), rule(Kind.EXACT));
        assertEquals(pg, exact.token(new BsonDecimal128(Decimal128.parse("12.5")), rule(Kind.EXACT)));
        assertEquals(ValueCanonicalizer.token(7L, rule(Kind.EXACT)), exact.token(new BsonInt32(7), rule(Kind.EXACT)));
        assertEquals(ValueCanonicalizer.token(7L, rule(Kind.EXACT)), exact.token(new BsonInt64(7), rule(Kind.EXACT)));
        assertNotEquals(pg, exact.token(new BsonString("12.50"), rule(Kind.EXACT)), "a number kept as text differs");
    }

    @Test
    void doublesMeetFloatColumnsAsDoublesAndIntegersOnlyUnderTheValuePolicy() {
        String pg = ValueCanonicalizer.token(2.5d, rule(Kind.FLOAT));
        assertEquals(pg, exact.token(new BsonDouble(2.5), rule(Kind.FLOAT)));
        assertNotEquals(ValueCanonicalizer.token(3d, rule(Kind.FLOAT)), exact.token(new BsonInt32(3), rule(Kind.FLOAT)));
        assertEquals(ValueCanonicalizer.token(3d, rule(Kind.FLOAT)), value.token(new BsonInt32(3), rule(Kind.FLOAT)));
    }

    @Test
    void datesAreInstantsAtTheRulePrecisionAndDaysOnlyAtMidnight() {
        ColumnRule ms = rule(Kind.INSTANT).withTemporal(3, "UTC", true);
        assertEquals(ValueCanonicalizer.token("2023-11-14 22:13:20.123", ms),
                exact.token(new BsonDateTime(1_700_000_000_123L), ms));
        ColumnRule seconds = rule(Kind.INSTANT).withTemporal(0, "UTC", true);
        assertEquals(ValueCanonicalizer.token("2023-11-14 22:13:20", seconds),
                exact.token(new BsonDateTime(1_700_000_000_999L), seconds), "truncated to the coarser precision");
        assertEquals(ValueCanonicalizer.token("2024-02-29", rule(Kind.DATE)),
                exact.token(new BsonDateTime(19_782L * 86_400_000L), rule(Kind.DATE)));
        assertNotEquals(ValueCanonicalizer.token("2024-02-29", rule(Kind.DATE)),
                exact.token(new BsonDateTime(19_782L * 86_400_000L + 1), rule(Kind.DATE)));
    }

    @Test
    void uuidsAsStandardBinaryOrTextObjectIdsAsHexText() {
        UUID u = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        String pg = ValueCanonicalizer.token(u.toString(), rule(Kind.UUID));
        assertEquals(pg, exact.token(new BsonBinary(u, UuidRepresentation.STANDARD), rule(Kind.UUID)));
        assertEquals(pg, exact.token(new BsonString(u.toString().toUpperCase()), rule(Kind.UUID)));
        assertNotEquals(pg, exact.token(new BsonBinary(u, UuidRepresentation.JAVA_LEGACY), rule(Kind.UUID)),
                "a legacy subtype-3 UUID has no agreed byte order");
        ObjectId id = new ObjectId("65a1b2c3d4e5f60718293a4b");
        assertEquals(ValueCanonicalizer.token(id.toHexString(), rule(Kind.STRING)),
                exact.token(new BsonObjectId(id), rule(Kind.STRING)));
    }

    @Test
    void embeddedDocumentsCompareAsJson() {
        String pg = ValueCanonicalizer.token("{\"b\": [1, 2], \"a\": \"x\"}", rule(Kind.JSON));
        assertEquals(pg, exact.token(BsonDocument.parse("{a: 'x', b: [1, NumberLong(2)]}"), rule(Kind.JSON)));
        assertNotEquals(pg, exact.token(BsonDocument.parse("{a: 'x', b: [2, 1]}"), rule(Kind.JSON)));
    }

    @Test
    void missingNullAndValueAreThreeThingsUnlessMissingReadsAsNull() {
        BsonDocument d = BsonDocument.parse("{a: null, n: {c: 1}}");
        assertEquals(CanonicalForm.NULL, exact.token(d, "a", rule(Kind.BSON)));
        assertEquals(FieldCanonicalizer.MISSING, exact.token(d, "b", rule(Kind.BSON)));
        assertEquals(FieldCanonicalizer.MISSING, exact.token(d, "n.d", rule(Kind.BSON)));
        assertEquals(exact.token(new BsonInt32(1), rule(Kind.BSON)), exact.token(d, "n.c", rule(Kind.BSON)));
        assertEquals(CanonicalForm.NULL, new FieldCanonicalizer(NumericPolicy.EXACT, true).token(d, "b", rule(Kind.EXACT)));
        assertEquals(CanonicalForm.NULL, exact.token(BsonNull.VALUE, rule(Kind.EXACT)));
    }

    @Test
    void aDoubleInADecimalColumnDiffersUnlessNumbersCompareByValue() {
        String pg = ValueCanonicalizer.token(new java.math.BigDecimal("0.1"), rule(Kind.EXACT));
        assertNotEquals(pg, exact.token(new BsonDouble(0.1), rule(Kind.EXACT)), "exact: a double is not a decimal");
        assertEquals(pg, value.token(new BsonDouble(0.1), rule(Kind.EXACT)));
    }

    @Test
    void anIntegerNoDoubleHoldsNeverEqualsTheNearestDouble() {
        long big = (1L << 53) + 1;
        assertNotEquals(ValueCanonicalizer.token((double) big, rule(Kind.FLOAT)), value.token(new BsonInt64(big), rule(Kind.FLOAT)));
        assertEquals(ValueCanonicalizer.token((double) (1L << 53), rule(Kind.FLOAT)),
                value.token(new BsonInt64(1L << 53), rule(Kind.FLOAT)));
    }
}
