package io.tally.engine.repair;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.canonical.ValueCanonicalizer;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The text the binder writes must canonicalize back to the token it came from, on the column it goes to. */
class ValueBinderTest {

    private static ColumnInfo column(LogicalType type) {
        return new ColumnInfo("c", type.name().toLowerCase(), type, 6, -1, -1, true);
    }

    @ParameterizedTest
    @CsvSource({
            "TIMESTAMP_TZ, UTC, 2024-01-01 10:00:00.5",
            "TIMESTAMP, UTC, 1969-12-31 23:59:59.999999",
            "TIMESTAMP, Europe/Berlin, 2024-03-31 03:30:00",
            "TIMESTAMP, UTC, 1000-01-01 00:00:00",
            "TIMESTAMP, UTC, 9999-12-31 23:59:59.999999"})
    void instantsRoundTripInTheColumnsZone(LogicalType type, String zone, String text) {
        ColumnRule rule = ColumnRule.of(ColumnRule.Kind.INSTANT).withTemporal(6, zone, false);
        String token = ValueCanonicalizer.token(text, rule);
        String written = ValueBinder.instantText(CanonicalForm.payload(token), column(type), rule);
        assertEquals(token, ValueCanonicalizer.token(written, rule), written);
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "86399999999", "-3020399000000", "3020399000000"})
    void timesKeepSignAndHoursPast24(long micros) {
        ColumnRule rule = ColumnRule.of(ColumnRule.Kind.TIME);
        String text = ValueBinder.timeText(Long.toString(micros));
        assertEquals(CanonicalForm.token('H', Long.toString(micros)), ValueCanonicalizer.token(text, rule), text);
    }

    @Test
    void datesWriteAsIsoAndAsMidnightIntoTimestamps() {
        String day = Long.toString(java.time.LocalDate.of(2024, 2, 29).toEpochDay());
        assertEquals("2024-02-29", ValueBinder.dateText(day, column(LogicalType.DATE)));
        assertEquals("2024-02-29 00:00:00", ValueBinder.dateText(day, column(LogicalType.TIMESTAMP)));
        assertEquals("0000-00-00", ValueBinder.dateText("0000-00-00", column(LogicalType.DATE)));
    }

    @Test
    void dryRunDisplayQuotesTextAndShowsNull() {
        ColumnInfo c = column(LogicalType.STRING);
        ColumnRule r = ColumnRule.of(ColumnRule.Kind.STRING);
        assertEquals("'it''s'", ValueBinder.display(CanonicalForm.token('S', "it's"), c, r));
        assertEquals("NULL", ValueBinder.display(CanonicalForm.NULL, c, r));
        assertEquals("0x00ff", ValueBinder.display(CanonicalForm.token('X', "00ff"), column(LogicalType.BINARY), r));
    }

    @Test
    void aDuplicatedKeysStateIgnoresRowOrder() {
        assertEquals(RowFetcher.ABSENT, RowFetcher.state(List.of()));
        assertEquals("ab", RowFetcher.state(List.of("ab")));
        String state = RowFetcher.state(List.of("b2", "a1", "a1"));
        assertEquals(state, RowFetcher.state(List.of("a1", "b2", "a1")));
        assertEquals("dup:3:" + org.apache.commons.codec.digest.DigestUtils.sha256Hex("a1,a1,b2"), state);
    }
}
