package io.tally.engine.canonical;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the temporal text every dialect renders ({@code YYYY-MM-DD HH:MM:SS.ffffff}, an optional era
 * {@code AD}/{@code BC}, {@code [-]H:MM:SS[.f]} for times) into epoch microseconds, epoch days or
 * microseconds of the day. Values outside the calendar (PostgreSQL {@code infinity}, MySQL zero dates)
 * return null and are kept verbatim by the caller, so they only ever equal themselves.
 */
final class TemporalText {

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4,})-(\\d{2})-(\\d{2})(?:[ T](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?)?(?: (AD|BC))?");
    private static final Pattern TIME = Pattern.compile("(-)?(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");

    private TemporalText() {
    }

    /** Epoch microseconds of a wall-clock text in {@code zone}, brought to {@code digits} fractional digits. */
    static Long instantMicros(String text, ZoneId zone, int digits, boolean truncate) {
        LocalDateTime wall = wallClock(text);
        if (wall == null) {
            return null;
        }
        long seconds = wall.atZone(zone).toEpochSecond();
        return reduce(Math.addExact(Math.multiplyExact(seconds, 1_000_000L), wall.getNano() / 1000L),
                digits, truncate);
    }

    /** Epoch day of the date part of a date or date-time text. */
    static Long epochDay(String text) {
        LocalDateTime wall = wallClock(text);
        return wall == null ? null : wall.toLocalDate().toEpochDay();
    }

    /** Microseconds of a time (MySQL TIME may be negative or beyond 24 h). */
    static Long timeMicros(String text, int digits, boolean truncate) {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long micros = ((Long.parseLong(m.group(2)) * 60 + Long.parseLong(m.group(3))) * 60
                + Long.parseLong(m.group(4))) * 1_000_000L + fraction(m.group(5));
        long reduced = reduce(micros, digits, truncate);
        return m.group(1) != null ? -reduced : reduced;
    }

    private static LocalDateTime wallClock(String text) {
        LocalDateTime common = plainDateTime(text);
        if (common != null) {
            return common;
        }
        Matcher m = DATE_TIME.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (month == 0 || day == 0) {
            return null; // MySQL zero date or zero-in-date
        }
        if ("BC".equals(m.group(8))) {
            year = 1 - year; // 1 BC is proleptic year 0
        }
        LocalDate date = LocalDate.of(year, month, day);
        if (m.group(4) == null) {
            return date.atStartOfDay();
        }
        long micros = fraction(m.group(7));
        return LocalDateTime.of(date, LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                Integer.parseInt(m.group(6)))).plusNanos(micros * 1000L);
    }

    /**
     * The common shape {@code YYYY-MM-DD HH:MM:SS[.f…]} (a four-digit year, no era, no blanks, a real date) read
     * without the regular expression, which costs more than the rest of a row's canonical form; anything else is
     * null here and goes the general way.
     */
    private static LocalDateTime plainDateTime(String t) {
        int n = t.length();
        if (n < 19 || n == 20 || n > 29 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' '
                || t.charAt(13) != ':' || t.charAt(16) != ':' || (n > 19 && t.charAt(19) != '.')) {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int fraction = n > 19 ? digits(t, 20, n) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || fraction < 0) {
            return null;
        }
        long nanos = fraction;
        for (int i = n; i < 29; i++) {
            nanos *= 10;
        }
        nanos = nanos / 1000 * 1000; // microseconds, as the general way keeps
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, (int) nanos);
        } catch (java.time.DateTimeException notADate) {
            return null; // e.g. February 30th: let the general way decide
        }
    }

    /** The decimal digits {@code t[from, to)} as an int, or -1 when one is not a digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static long fraction(String digits) {
        if (digits == null) {
            return 0;
        }
        String six = (digits + "000000").substring(0, 6);
        return Long.parseLong(six);
    }

    /** Brings microseconds to {@code digits} fractional digits: half up (as both engines store) or down. */
    static long reduce(long micros, int digits, boolean truncate) {
        if (digits >= 6) {
            return micros;
        }
        long unit = (long) Math.pow(10, 6 - Math.max(0, digits));
        long offset = truncate ? 0 : unit / 2;
        return Math.floorDiv(micros + offset, unit) * unit;
    }
}
