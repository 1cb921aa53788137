package io.tally.engine.canonical;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The common date-time shape is parsed without the regular expression; a {@code T} separator takes the general
 * way, so each text is read both ways and must give the same instant. Odd texts must keep the general behavior.
 */
class TemporalTextTest {

    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void fastAndGeneralReadingsAgree() {
        for (String t : List.of("2024-01-02 03:04:05", "2024-01-02 03:04:05.1", "2024-01-02 03:04:05.123456",
                "2024-01-02 03:04:05.1234567", "2024-01-02 03:04:05.999999999", "0000-01-01 00:00:00",
                "1969-12-31 23:59:59.999999", "9999-12-31 23:59:59.999999", "2024-02-29 12:00:00.5")) {
            for (int digits = 0; digits <= 6; digits++) {
                for (boolean truncate : new boolean[]{true, false}) {
                    assertEquals(TemporalText.instantMicros(t.replace(' ', 'T'), UTC, digits, truncate),
                            TemporalText.instantMicros(t, UTC, digits, truncate), t + " at " + digits + " digits");
                }
            }
        }
        assertEquals(1_000_000L * 86_400 + 123_456, TemporalText.instantMicros("1970-01-02 00:00:00.123456789", UTC, 6,
                true));
        assertEquals(-1L, TemporalText.instantMicros("1969-12-31 23:59:59.999999", UTC, 6, true));
    }

    @Test
    void oddTextsKeepTheGeneralBehavior() {
        assertNull(TemporalText.instantMicros("0000-00-00 00:00:00", UTC, 6, true)); // MySQL zero date
        assertNull(TemporalText.instantMicros("2024-00-10 00:00:00", UTC, 6, true));
        assertNull(TemporalText.instantMicros("infinity", UTC, 6, true));
        assertEquals(TemporalText.instantMicros("2024-01-02 03:04:05", UTC, 6, true),
                TemporalText.instantMicros(" 2024-01-02 03:04:05 ", UTC, 6, true));
        assertEquals(java.time.LocalDateTime.of(12024, 1, 2, 3, 4, 5).toEpochSecond(ZoneOffset.UTC) * 1_000_000L,
                TemporalText.instantMicros("12024-01-02 03:04:05", UTC, 6, true)); // PostgreSQL's five-digit years
        assertThrows(RuntimeException.class, () -> TemporalText.instantMicros("2023-02-29 00:00:00", UTC, 6, true));
        assertThrows(RuntimeException.class, () -> TemporalText.instantMicros("2024-01-02 03:04:60", UTC, 6, true));
        // the era suffix PostgreSQL prints for BC: 1 BC is proleptic year 0
        assertEquals(TemporalText.instantMicros("0000-01-01 00:00:00", UTC, 6, true),
                TemporalText.instantMicros("0001-01-01 00:00:00 BC", UTC, 6, true));
    }
}
