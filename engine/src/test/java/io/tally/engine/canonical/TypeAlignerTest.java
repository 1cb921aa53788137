package io.tally.engine.canonical;

import io.tally.engine.TallyError;
import io.tally.engine.config.ColumnOptions;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TypeAlignerTest {

    private final TypeAligner aligner = new TypeAligner("UTC", "Europe/Berlin", false, false);

    private static ColumnInfo col(String nativeType, LogicalType t, int precision) {
        return new ColumnInfo("c", nativeType, t, precision, -1, -1, true);
    }

    @Test
    void timestampsCompareAtTheCoarserPrecisionAndSayWhy() {
        Alignment a = aligner.align("c", col("timestamp(6)", LogicalType.TIMESTAMP, 6),
                col("datetime", LogicalType.TIMESTAMP, 0), ColumnOptions.none());
        assertEquals(0, a.pair().sourceRule().fractionalDigits());
        assertEquals(0, a.pair().targetRule().fractionalDigits());
        assertEquals("Europe/Berlin", a.pair().targetRule().zone());
        assertTrue(a.pair().decisions().stream().anyMatch(d -> d.contains("compared at 0 fractional digits")));
        assertTrue(a.pair().decisions().stream().anyMatch(d -> d.contains("Europe/Berlin")));
    }

    @Test
    void zonedSideIsReadInUtc() {
        Alignment a = aligner.align("c", col("timestamptz", LogicalType.TIMESTAMP_TZ, 6),
                col("datetime(6)", LogicalType.TIMESTAMP, 6), ColumnOptions.none());
        assertEquals("UTC", a.pair().sourceRule().zone());
        assertEquals("Europe/Berlin", a.pair().targetRule().zone());
    }

    @Test
    void mixedFamiliesHaveExplicitRules() {
        assertEquals("exact", aligner.align("c", col("integer", LogicalType.INTEGER, -1),
                col("decimal(10,2)", LogicalType.DECIMAL, 10), ColumnOptions.none()).pair().comparedAs());
        Alignment floats = aligner.align("c", col("real", LogicalType.FLOAT32, -1),
                col("double", LogicalType.FLOAT64, -1), ColumnOptions.none());
        assertTrue(floats.pair().targetRule().singlePrecision());
        assertEquals("uuid", aligner.align("c", col("uuid", LogicalType.UUID, -1),
                col("char(36)", LogicalType.FIXED_STRING, -1), ColumnOptions.none()).pair().comparedAs());
        assertEquals("json", aligner.align("c", col("jsonb", LogicalType.JSON, -1),
                col("longtext", LogicalType.STRING, -1), ColumnOptions.none()).pair().comparedAs());
        Alignment padded = aligner.align("c", col("char(5)", LogicalType.FIXED_STRING, -1),
                col("varchar(5)", LogicalType.STRING, -1), ColumnOptions.none());
        assertTrue(padded.pair().sourceRule().stripPadding() && padded.pair().targetRule().stripPadding());
    }

    @Test
    void incomparableAndUnsupportedTypesAreExcludedWithAReason() {
        Alignment a = aligner.align("c", col("integer", LogicalType.INTEGER, -1),
                col("date", LogicalType.DATE, -1), ColumnOptions.none());
        assertFalse(a.comparable());
        assertTrue(a.exclusion().contains("columns.c.type"));
        Alignment odd = aligner.align("c", col("inet", LogicalType.UNSUPPORTED, -1),
                col("varchar(20)", LogicalType.STRING, -1), ColumnOptions.none());
        assertFalse(odd.comparable());
        Alignment forced = aligner.align("c", col("inet", LogicalType.UNSUPPORTED, -1),
                col("varchar(20)", LogicalType.STRING, -1), new ColumnOptions("string", List.of()));
        assertEquals("string", forced.pair().comparedAs());
    }

    @Test
    void foldsOnlyOnText() {
        Alignment a = aligner.align("c", col("text", LogicalType.STRING, -1), col("text", LogicalType.STRING, -1),
                new ColumnOptions(null, List.of("nfc", "casefold")));
        assertTrue(a.pair().sourceRule().nfc() && a.pair().targetRule().casefold());
        assertThrows(TallyError.class, () -> aligner.align("c", col("integer", LogicalType.INTEGER, -1),
                col("integer", LogicalType.INTEGER, -1), new ColumnOptions(null, List.of("trim"))));
    }
}
