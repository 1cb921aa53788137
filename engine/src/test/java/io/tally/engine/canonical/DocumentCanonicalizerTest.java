package io.tally.engine.canonical;

import io.tally.engine.canonical.DocumentCanonicalizer.NumericPolicy;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The document canonical form on BSON built in memory, so MongoDB semantics that an in-process test server
 * might fake (numeric types, Decimal128, dates, binary subtypes) are pinned here.
 */
class DocumentCanonicalizerTest {

    private final DocumentCanonicalizer exact = new DocumentCanonicalizer(NumericPolicy.EXACT);

    private String doc(String extendedJson) {
        return exact.document(BsonDocument.parse(extendedJson));
    }

    @Test
    void fieldOrderDoesNotMatterAtAnyDepthButArrayOrderDoes() {
        assertEquals(doc("{a: 1, b: {x: 1, y: [1, 2]}}"), doc("{b: {y: [1, 2], x: 1}, a: 1}"));
        assertNotEquals(doc("{a: [1, 2]}"), doc("{a: [2, 1]}"));
    }

    @Test
    void aNullFieldIsNotAMissingField() {
        assertNotEquals(doc("{a: 1, b: null}"), doc("{a: 1}"));
        assertNotEquals(doc("{a: null}"), doc("{a: {}}"));
    }

    @Test
    void exactPolicyMergesIntegersAndDecimalsButNotDoubles() {
        BsonValue i32 = new BsonInt32(5);
        BsonValue i64 = new BsonInt64(5);
        BsonValue dec = new BsonDecimal128(Decimal128.parse("5.000"));
        BsonValue dbl = new BsonDouble(5.0);
        assertEquals(exact.token(i32), exact.token(i64));
        assertEquals(exact.token(i32), exact.token(dec));
        assertNotEquals(exact.token(i32), exact.token(dbl));
        assertEquals(ValueCanonicalizer.token(5L, ColumnRule.of(ColumnRule.Kind.EXACT)), exact.token(i64),
                "an Int64 equals a SQL bigint");
    }

    @Test
    void valuePolicyComparesEveryNumberByValue() {
        DocumentCanonicalizer value = new DocumentCanonicalizer(NumericPolicy.VALUE);
        assertEquals(value.token(new BsonInt32(5)), value.token(new BsonDouble(5.0)));
        assertEquals(value.token(new BsonDecimal128(Decimal128.parse("0.1"))), value.token(new BsonDouble(0.1)));
        assertNotEquals(value.token(new BsonDouble(0.1)), value.token(new BsonDouble(Math.nextUp(0.1))));
    }

    @Test
    void strictPolicyKeepsTheType() {
        DocumentCanonicalizer strict = new DocumentCanonicalizer(NumericPolicy.STRICT);
        assertNotEquals(strict.token(new BsonInt32(5)), strict.token(new BsonInt64(5)));
        assertNotEquals(strict.token(new BsonInt64(5)), strict.token(new BsonDecimal128(Decimal128.parse("5"))));
        assertEquals(strict.token(new BsonDecimal128(Decimal128.parse("5.0"))),
                strict.token(new BsonDecimal128(Decimal128.parse("5.00"))));
    }

    @Test
    void decimalEdgeValues() {
        assertEquals(exact.token(new BsonInt32(0)), exact.token(new BsonDecimal128(Decimal128.NEGATIVE_ZERO)));
        assertEquals(exact.token(new BsonInt32(0)), exact.token(new BsonDecimal128(Decimal128.parse("-0E+3"))));
        assertEquals(CanonicalForm.token('I', "NaN"), exact.token(new BsonDecimal128(Decimal128.NaN)));
        assertEquals(CanonicalForm.token('I', "12345678901234567890.123456"),
                exact.token(new BsonDecimal128(new Decimal128(new BigDecimal("12345678901234567890.1234560")))));
    }

    @Test
    void datesAreInstantsInMicrosecondsLikeSqlTimestamps() {
        long ms = java.time.Instant.parse("2024-01-01T10:00:00.123Z").toEpochMilli();
        ColumnRule millis = ColumnRule.of(ColumnRule.Kind.INSTANT).withTemporal(3, "UTC", false);
        assertEquals(ValueCanonicalizer.token("2024-01-01 10:00:00.123", millis), exact.token(new BsonDateTime(ms)));
        assertEquals(CanonicalForm.token('T', "-1000"), exact.token(new BsonDateTime(-1)));
        assertEquals(CanonicalForm.token('T', Long.MAX_VALUE + "ms"), exact.token(new BsonDateTime(Long.MAX_VALUE)),
                "a date beyond microsecond range keeps its milliseconds instead of failing the read");
    }

    @Test
    void uuidsBinariesAndObjectIds() {
        UUID u = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertEquals(ValueCanonicalizer.token(u.toString(), ColumnRule.of(ColumnRule.Kind.UUID)),
                exact.token(new BsonBinary(u)), "a subtype-4 UUID equals a SQL uuid");
        assertTrue(exact.token(new BsonBinary(BsonBinarySubType.UUID_LEGACY, new byte[16])).startsWith("Y"),
                "a legacy UUID's byte order is driver-specific, so it stays binary");
        assertEquals(ValueCanonicalizer.token(new byte[]{0, (byte) 0xff}, ColumnRule.of(ColumnRule.Kind.BINARY)),
                exact.token(new BsonBinary(new byte[]{0, (byte) 0xff})));
        ObjectId id = new ObjectId("65a1b2c3d4e5f60718293a4b");
        assertEquals(CanonicalForm.token('K', "65a1b2c3d4e5f60718293a4b"), exact.token(new BsonObjectId(id)));
        assertNotEquals(exact.token(new BsonObjectId(id)), exact.token(new BsonString(id.toHexString())));
    }

    @Test
    void extendedJsonKeepsEveryType() {
        String a = doc("{_id: {$oid: '65a1b2c3d4e5f60718293a4b'}, n: {$numberLong: '9223372036854775807'},"
                + " d: {$numberDecimal: '1.10'}, t: {$date: {$numberLong: '1700000000123'}}, s: '{\"$numberInt\": \"5\"}'}");
        String b = doc("{s: '{\"$numberInt\": \"5\"}', t: {$date: {$numberLong: '1700000000123'}}, d: {$numberDecimal: '1.1'},"
                + " n: {$numberLong: '9223372036854775807'}, _id: {$oid: '65a1b2c3d4e5f60718293a4b'}}");
        assertEquals(a, b);
        assertNotEquals(doc("{s: {$numberInt: '5'}}"), doc("{s: '{\"$numberInt\": \"5\"}'}"),
                "a string that looks like extended JSON is still a string");
    }

    @Test
    void keysSortByCodePointNotByUtf16Unit() {
        String emoji = new String(Character.toChars(0x1F600));
        BsonDocument d = new BsonDocument().append(emoji, BsonNull.VALUE).append("\uE000", BsonNull.VALUE);
        String token = exact.document(d);
        assertTrue(token.indexOf("\uE000") < token.indexOf(emoji), token);
    }

    @Test
    void dottedPathsReachNestedFields() {
        BsonDocument d = BsonDocument.parse("{address: {city: 'Berlin', geo: null}}");
        assertEquals(new BsonString("Berlin"), DocumentCanonicalizer.at(d, "address.city"));
        assertEquals(BsonNull.VALUE, DocumentCanonicalizer.at(d, "address.geo"));
        assertEquals(null, DocumentCanonicalizer.at(d, "address.zip"));
        assertEquals(null, DocumentCanonicalizer.at(d, "address.city.name"));
    }
}
