package io.tally.engine.canonical;

import io.tally.engine.canonical.ColumnRule.Kind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Unit checks of the canonical tokens, one block per pitfall in the brief. */
class ValueCanonicalizerTest {

    private static String tok(Object v, Kind k) {
        return ValueCanonicalizer.token(v, ColumnRule.of(k));
    }

    private static String hash(String... tokens) {
        return new RowHasher().hash(tokens);
    }

    @Test
    void framingSeparatesColumnsAndNullFromEveryString() {
        assertNotEquals(hash(tok("ab", Kind.STRING), tok("c", Kind.STRING)),
                hash(tok("a", Kind.STRING), tok("bc", Kind.STRING)));
        assertNotEquals(tok(null, Kind.STRING), tok("", Kind.STRING));
        assertNotEquals(tok(null, Kind.STRING), tok("N", Kind.STRING));
        assertNotEquals(tok(null, Kind.STRING), tok("<null>", Kind.STRING));
        assertNotEquals(tok("", Kind.STRING), tok(" ", Kind.STRING));
        // a string that spells another token is still one string
        assertNotEquals(hash(tok("S1:a", Kind.STRING)), hash(tok("S1:a", Kind.STRING), tok("", Kind.STRING)));
        assertEquals(32, hash(tok("x", Kind.STRING)).length());
    }

    @Test
    void decimalsAreExactWhateverTheirText() {
        assertEquals(tok("0.71", Kind.EXACT), tok(".71", Kind.EXACT));
        assertEquals(tok("100.00", Kind.EXACT), tok(100L, Kind.EXACT));
        assertEquals(tok(new BigDecimal("1E+2"), Kind.EXACT), tok("100", Kind.EXACT));
        assertEquals(tok("-0.000", Kind.EXACT), tok(0, Kind.EXACT));
        assertNotEquals(tok("123456789012", Kind.EXACT), tok("123456789013", Kind.EXACT));
        assertNotEquals(tok("12345678901234567890.000001", Kind.EXACT), tok("12345678901234567890.000002", Kind.EXACT));
        assertEquals("I3:0.1", tok(new BigDecimal("0.10"), Kind.EXACT));
        assertEquals(tok(Boolean.TRUE, Kind.EXACT), tok(1, Kind.EXACT));
    }

    @Test
    void floatsCompareByValueWithDocumentedSpecials() {
        assertEquals(tok(1.234567f, Kind.FLOAT), tok((double) 1.234567f, Kind.FLOAT));
        assertNotEquals(tok(1.234567f, Kind.FLOAT), tok(1.23457f, Kind.FLOAT));
        assertNotEquals(tok(0.1, Kind.FLOAT), tok(Math.nextUp(0.1), Kind.FLOAT));
        assertEquals(tok(-0.0, Kind.FLOAT), tok(0.0, Kind.FLOAT));
        assertEquals(tok(Double.NaN, Kind.FLOAT), tok(Float.NaN, Kind.FLOAT));
        assertNotEquals(tok(Double.POSITIVE_INFINITY, Kind.FLOAT), tok(Double.MAX_VALUE, Kind.FLOAT));
        ColumnRule single = ColumnRule.of(Kind.FLOAT).withSinglePrecision(true);
        assertEquals(ValueCanonicalizer.token(1.1, single), ValueCanonicalizer.token(1.1f, single));
        // float against an exact number goes through the float's shortest text
        assertEquals(tok(1.1f, Kind.EXACT), tok("1.1", Kind.EXACT));
        assertEquals("0.1", CanonicalForm.display(tok(0.1, Kind.FLOAT)));
    }

    @Test
    void temporalValuesAreUtcMicrosAtTheCoarserPrecision() {
        ColumnRule micros = ColumnRule.of(Kind.INSTANT).withTemporal(6, "UTC", false);
        ColumnRule seconds = ColumnRule.of(Kind.INSTANT).withTemporal(0, "UTC", false);
        ColumnRule truncating = ColumnRule.of(Kind.INSTANT).withTemporal(0, "UTC", true);
        // MySQL DATETIME(0) rounds 23:59:59.6 into the next day; compared at seconds, rounding agrees.
        assertEquals(ValueCanonicalizer.token("2024-03-31 23:59:59.600000", seconds),
                ValueCanonicalizer.token("2024-04-01 00:00:00.000000", seconds));
        assertNotEquals(ValueCanonicalizer.token("2024-03-31 23:59:59.600000", truncating),
                ValueCanonicalizer.token("2024-04-01 00:00:00.000000", truncating));
        assertNotEquals(ValueCanonicalizer.token("2024-01-01 00:00:00.000001", micros),
                ValueCanonicalizer.token("2024-01-01 00:00:00.000000", micros));
        assertEquals(ValueCanonicalizer.token("1969-12-31 23:59:59.5", seconds),
                ValueCanonicalizer.token("1970-01-01 00:00:00", seconds));
        // the same wall clock in two zones is two instants; the same instant is one
        ColumnRule berlin = ColumnRule.of(Kind.INSTANT).withTemporal(6, "Europe/Berlin", false);
        assertEquals(ValueCanonicalizer.token("2024-07-01 12:00:00", berlin),
                ValueCanonicalizer.token("2024-07-01 10:00:00", micros));
        assertEquals("T16:1704067200000000", ValueCanonicalizer.token("2024-01-01 00:00:00.000000", micros));
        assertEquals("2024-01-01T00:00:00Z", CanonicalForm.display("T16:1704067200000000"));
        // PostgreSQL infinity and MySQL zero dates equal only themselves, never NULL
        assertNotEquals(CanonicalForm.NULL, ValueCanonicalizer.token("infinity", micros));
        assertNotEquals(ValueCanonicalizer.token("infinity", micros), ValueCanonicalizer.token("-infinity", micros));
        assertNotEquals(ValueCanonicalizer.token("0000-00-00 00:00:00.000000", micros),
                ValueCanonicalizer.token("0001-01-01 00:00:00.000000", micros));
        assertEquals(ValueCanonicalizer.token("0044-03-15 BC", ColumnRule.of(Kind.DATE)),
                CanonicalForm.token('D', Long.toString(java.time.LocalDate.of(-43, 3, 15).toEpochDay())));
    }

    @Test
    void datesAndTimes() {
        assertEquals(tok("2024-02-29", Kind.DATE), tok("2024-02-29 23:59:59.999999", Kind.DATE));
        assertNotEquals(tok("2024-02-29", Kind.DATE), tok("2024-03-01", Kind.DATE));
        ColumnRule time = ColumnRule.of(Kind.TIME).withTemporal(6, "UTC", false);
        assertEquals("H11:-3600000000", ValueCanonicalizer.token("-01:00:00", time));
        assertEquals(ValueCanonicalizer.token("838:59:59.000000", time), ValueCanonicalizer.token("838:59:59", time));
        assertNotEquals(ValueCanonicalizer.token("23:59:59.999999", time), ValueCanonicalizer.token("23:59:59.999998", time));
    }

    @Test
    void stringsAreExactCodePointsUnlessAFoldIsConfigured() {
        String nfc = "\u00e9";
        String nfd = "e\u0301";
        assertNotEquals(tok(nfc, Kind.STRING), tok(nfd, Kind.STRING));
        assertNotEquals(tok("a", Kind.STRING), tok("A", Kind.STRING));
        assertNotEquals(tok("a ", Kind.STRING), tok("a", Kind.STRING));
        ColumnRule folded = ColumnRule.of(Kind.STRING).withFolds(true, true, false);
        assertEquals(ValueCanonicalizer.token(nfd.toUpperCase(), folded), ValueCanonicalizer.token(nfc, folded));
        ColumnRule padded = ColumnRule.of(Kind.STRING).withStripPadding(true);
        assertEquals(ValueCanonicalizer.token("ab   ", padded), ValueCanonicalizer.token("ab", padded));
        assertNotEquals(ValueCanonicalizer.token(" ab", padded), ValueCanonicalizer.token("ab", padded));
        // the length prefix counts UTF-8 bytes
        assertEquals("S2:\u00e9", tok(nfc, Kind.STRING));
    }

    @Test
    void booleansBinaryUuidAndJson() {
        assertEquals(tok(true, Kind.BOOLEAN), tok(1, Kind.BOOLEAN));
        assertEquals(tok(false, Kind.BOOLEAN), tok(0L, Kind.BOOLEAN));
        assertNotEquals(tok(true, Kind.BOOLEAN), tok(2, Kind.BOOLEAN));
        assertNotEquals(tok(new byte[0], Kind.BINARY), tok(null, Kind.BINARY));
        assertEquals(ValueCanonicalizer.token(new byte[]{1, 0, 0}, ColumnRule.of(Kind.BINARY).withStripPadding(true)),
                tok(new byte[]{1}, Kind.BINARY));
        String u = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
        assertEquals(tok(u, Kind.UUID), tok(u.toUpperCase(), Kind.UUID));
        byte[] bytes = java.nio.ByteBuffer.allocate(16).putLong(0xa0eebc999c0b4ef8L).putLong(0xbb6d6bb9bd380a11L).array();
        assertEquals(tok(u, Kind.UUID), tok(bytes, Kind.UUID));
        assertNotEquals(tok(u, Kind.UUID), tok("not-a-uuid", Kind.UUID));
        assertEquals(tok("{\"b\": 1, \"a\": [1.0, 2e0]}", Kind.JSON), tok("{\"a\":[1,2],\"b\":1}", Kind.JSON));
        assertNotEquals(tok("{\"a\":[1,2]}", Kind.JSON), tok("{\"a\":[2,1]}", Kind.JSON));
        assertNotEquals(tok("{\"a\":1}", Kind.JSON), tok("{\"a\":\"1\"}", Kind.JSON));
        assertNotEquals(tok("{\"a\":null}", Kind.JSON), tok("{}", Kind.JSON));
        assertNotEquals(tok("{\"a\":1} junk", Kind.JSON), tok("{\"a\":1}", Kind.JSON));
        assertEquals("J13:{\"a\":\"\\u0001\"}".length(), tok("{\"a\":\"\\u0001\"}", Kind.JSON).length());
    }

    @Test
    void lengthPrefixCountsUtf8BytesExactlyAsTheEncoder() {
        for (String s : new String[]{"", "a", "\u00e9", "\u20ac", "\uD83D\uDE00", "x\uD83Dy", "\uDE00", "\uD83D",
                "mixed \u00ba \u4e2d \uD83D\uDE01 end"}) {
            assertEquals(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, CanonicalForm.utf8Length(s), s);
        }
    }

    @Test
    void compositeKeysSplitBackIntoTokens() {
        String key = tok("a:b", Kind.STRING) + CanonicalForm.NULL + tok(7, Kind.EXACT) + tok("\u00e9", Kind.STRING);
        assertEquals(java.util.List.of("S3:a:b", "N", "I1:7", "S2:\u00e9"), CanonicalForm.split(key));
    }
}
