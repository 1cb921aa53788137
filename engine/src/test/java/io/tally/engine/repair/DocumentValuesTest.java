package io.tally.engine.repair;

import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.canonical.ColumnRule.Kind;
import io.tally.engine.canonical.DocumentCanonicalizer.NumericPolicy;
import io.tally.engine.canonical.FieldCanonicalizer;
import io.tally.engine.canonical.ValueCanonicalizer;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writing a relational value into a document and reading it back gives the same token (what the repair's
 * re-verification relies on), in the BSON type a faithful migration uses.
 */
class DocumentValuesTest {

    private static final FieldCanonicalizer FIELDS = new FieldCanonicalizer(NumericPolicy.EXACT, false);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "INTEGER|integer|EXACT|42|INT32|",
            "INTEGER|bigint|EXACT|42|INT64|",
            "INTEGER|integer|EXACT|9000000000|INT64|",
            "DECIMAL|numeric(12,2)|EXACT|12.50|DECIMAL128|",
            "FLOAT64|double precision|FLOAT|0.1|DOUBLE|",
            "BOOLEAN|boolean|BOOLEAN|true|BOOLEAN|",
            "STRING|text|STRING|Ab é|STRING|",
            "STRING|varchar(24)|STRING|65a1b2c3d4e5f60718293a4b|OBJECT_ID|objectid",
            "UUID|uuid|UUID|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|BINARY|",
            "UUID|uuid|UUID|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|STRING|string",
            "JSON|jsonb|JSON|{\"a\": [1, {\"b\": null}]}|DOCUMENT|",
            "DATE|date|DATE|2024-02-29|DATE_TIME|",
            "TIMESTAMP_TZ|timestamptz|INSTANT|2024-02-29 10:11:12.345|DATE_TIME|"})
    void roundTrip(String type, String nativeType, String kind, String raw, String bsonType, String bson) {
        ColumnRule rule = ColumnRule.of(Kind.valueOf(kind)).withTemporal(3, "UTC", true);
        ColumnInfo col = new ColumnInfo("c", nativeType, LogicalType.valueOf(type), 3, -1, -1, true);
        ColumnPair pair = new ColumnPair("c", col, col, rule, rule, List.of());
        Object value = switch (type) {
            case "INTEGER" -> Long.parseLong(raw);
            case "DECIMAL" -> new java.math.BigDecimal(raw);
            case "FLOAT64" -> Double.parseDouble(raw);
            case "BOOLEAN" -> Boolean.parseBoolean(raw);
            default -> raw;
        };
        String token = ValueCanonicalizer.token(value, rule);
        BsonValue written = DocumentValues.write(token, pair, bson);
        assertEquals(BsonType.valueOf(bsonType), written.getBsonType());
        assertEquals(token, FIELDS.token(written, rule));
        if (Kind.valueOf(kind) != Kind.JSON) { // documents are no keys
            assertTrue(DocumentValues.candidates(token).stream().anyMatch(c -> FIELDS.token(c, rule).equals(token)),
                    "a key lookup finds what was written");
        }
    }
}
