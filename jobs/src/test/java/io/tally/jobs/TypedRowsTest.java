package io.tally.jobs;

import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;
import io.tally.engine.model.TableRef;
import io.tally.engine.model.TableSchema;
import io.tally.engine.verify.CanonicalRows;
import io.tally.engine.verify.TablePlan;
import io.tally.engine.verify.TypedRows;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Canonical tokens as the typed values rules read: each kind from a token of its kind only, a document double
 * in an exact column by value, NULL and a missing field as NULL, anything else NULL rather than a wrong value.
 */
class TypedRowsTest {

    @Test
    void tokensBecomeTypedValuesOnlyFromTheirOwnKind() {
        List<ColumnPair> cols = List.of(pair("id", LogicalType.INTEGER, ColumnRule.Kind.EXACT),
                pair("amount", LogicalType.DECIMAL, ColumnRule.Kind.EXACT),
                pair("ratio", LogicalType.FLOAT64, ColumnRule.Kind.FLOAT),
                pair("ok", LogicalType.BOOLEAN, ColumnRule.Kind.BOOLEAN),
                pair("at", LogicalType.TIMESTAMP, ColumnRule.Kind.INSTANT),
                pair("day", LogicalType.DATE, ColumnRule.Kind.DATE));
        TableSchema schema = new TableSchema(new TableRef(null, "t"), cols.stream().map(ColumnPair::source).toList(),
                List.of("id"));
        TablePlan plan = new TablePlan("t", null, schema, schema, cols, 1, List.of(), -1, -1, 0);
        String twoAndAHalf = "F16:" + Long.toHexString(Double.doubleToLongBits(2.5));
        String minusOne = "F16:" + Long.toHexString(Double.doubleToLongBits(-1.0));
        List<Row> rows = List.of(
                row("I1:1", "I4:12.5", twoAndAHalf, "B4:true", "T16:1704067200000000", "D5:19723"),
                row("I1:2", twoAndAHalf, minusOne, "B5:false", "N", "A"),
                row("I1:3", minusOne, "I1:7", "I1:2", "S3:abc", "T1:0"),
                row("I1:4", "S2:12", "A", "N", "D5:19723", "S7:garbage"));
        var canonical = TestSpark.session().createDataFrame(rows, CanonicalRows.schema(List.of(DataTypes.StringType)));
        List<Row> typed = TypedRows.view(canonical, plan, true).orderBy("__key").collectAsList();
        assertEquals(Arrays.asList(1L, new BigDecimal("12.5000000000"), 2.5, true,
                java.sql.Timestamp.from(java.time.Instant.parse("2024-01-01T00:00:00Z")),
                java.sql.Date.valueOf("2024-01-01")), values(typed.get(0)));
        assertEquals(Arrays.asList(2L, new BigDecimal("2.5000000000"), -1.0, false, null, null), values(typed.get(1)),
                "a document double in an exact column by value; NULL and a missing field as NULL");
        assertEquals(Arrays.asList(3L, new BigDecimal("-1.0000000000"), null, null, null, null), values(typed.get(2)),
                "an integer token in a float column, 2 in a boolean one, text in a timestamp: no value");
        assertEquals(Arrays.asList(4L, null, null, null, null, null), values(typed.get(3)),
                "text in an exact column is not read as a number");
    }

    private static List<Object> values(Row r) {
        List<Object> out = new ArrayList<>();
        for (int i = 1; i < r.length(); i++) {
            Object v = r.get(i);
            out.add(v instanceof java.time.LocalDate d ? java.sql.Date.valueOf(d) : v);
        }
        return out;
    }

    private static Row row(String... tokens) {
        StringBuilder key = new StringBuilder(tokens[0]);
        return RowFactory.create(key.toString(), "h", tokens, false, null, null, null, null, tokens[0]);
    }

    private static ColumnPair pair(String name, LogicalType type, ColumnRule.Kind kind) {
        ColumnInfo c = new ColumnInfo(name, type.name().toLowerCase(), type, -1, -1, -1, true);
        return new ColumnPair(name, c, c, ColumnRule.of(kind), ColumnRule.of(kind), List.of());
    }
}
