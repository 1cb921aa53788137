package io.tally.engine.repair;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;
import org.apache.commons.codec.DecoderException;
import org.apache.commons.codec.binary.Hex;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The inverse of canonicalization: binds a canonical token as a JDBC parameter that the target column stores as
 * that same value. Numbers go as numbers, bytes as bytes, temporals as text in the column's own zone (sessions
 * run in UTC), everything else as text; the dialect's placeholder casts where the engine needs it. Reading the
 * written row back gives the same token, which is what the repair's re-verification checks.
 */
public final class ValueBinder {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");

    private ValueBinder() {
    }

    public static void bind(PreparedStatement ps, int index, String token, ColumnInfo column, ColumnRule rule)
            throws SQLException {
        if (CanonicalForm.isNull(token) || io.tally.engine.canonical.FieldCanonicalizer.MISSING.equals(token)) {
            ps.setNull(index, Types.NULL); // a missing document field is written as NULL, the closest a row has
            return;
        }
        String p = CanonicalForm.payload(token);
        switch (CanonicalForm.tag(token)) {
            case 'I' -> bindExact(ps, index, p);
            case 'F' -> ps.setDouble(index, Double.longBitsToDouble(Long.parseUnsignedLong(p, 16)));
            case 'B' -> ps.setBoolean(index, p.equals("true"));
            case 'X' -> ps.setBytes(index, hex(p));
            case 'U' -> {
                if (column.type() == LogicalType.BINARY || column.type() == LogicalType.FIXED_BINARY) {
                    UUID u = UUID.fromString(p);
                    ps.setBytes(index, ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                            .putLong(u.getLeastSignificantBits()).array());
                } else {
                    ps.setString(index, p);
                }
            }
            case 'T' -> ps.setString(index, instantText(p, column, rule));
            case 'D' -> ps.setString(index, dateText(p, column));
            case 'H' -> ps.setString(index, timeText(p));
            case 'S', 'J' -> ps.setString(index, p);
            default -> throw new io.tally.engine.TallyError("column " + column.name() + " (" + column.nativeType()
                    + ") cannot take the source value " + CanonicalForm.display(token) + ", a document value of "
                    + "another type; fix the source document or exclude the column");
        }
    }

    /** The value a token binds to, for dry-run listings: text, or 0x-hex for bytes. */
    public static String display(String token, ColumnInfo column, ColumnRule rule) {
        if (CanonicalForm.isNull(token) || io.tally.engine.canonical.FieldCanonicalizer.MISSING.equals(token)) {
            return "NULL";
        }
        String p = CanonicalForm.payload(token);
        return switch (CanonicalForm.tag(token)) {
            case 'T' -> "'" + instantText(p, column, rule) + "'";
            case 'D' -> "'" + dateText(p, column) + "'";
            case 'H' -> "'" + timeText(p) + "'";
            case 'I', 'F', 'B', 'X' -> CanonicalForm.display(token);
            default -> "'" + p.replace("'", "''") + "'";
        };
    }

    private static void bindExact(PreparedStatement ps, int index, String p) throws SQLException {
        if (p.equals("NaN") || p.endsWith("Infinity")) {
            ps.setString(index, p);
            return;
        }
        BigDecimal d = new BigDecimal(p);
        if (d.scale() <= 0 && d.precision() - d.scale() <= 18) {
            ps.setLong(index, d.longValueExact());
        } else {
            ps.setBigDecimal(index, d);
        }
    }

    private static byte[] hex(String p) {
        try {
            return Hex.decodeHex(p);
        } catch (DecoderException e) {
            throw new IllegalStateException("plan holds a malformed binary token", e);
        }
    }

    /** Microseconds since the epoch as the column's text: UTC for zoned columns, the side's zone otherwise. */
    static String instantText(String payload, ColumnInfo column, ColumnRule rule) {
        if (!payload.matches("-?\\d+")) {
            return payload; // infinity, a zero date: passed through as the engine spelled it
        }
        long micros = Long.parseLong(payload);
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000L);
        ZoneId zone = column.type() == LogicalType.TIMESTAMP_TZ ? ZoneOffset.UTC : ZoneId.of(rule.zone());
        LocalDateTime wall = LocalDateTime.ofInstant(instant, zone);
        return column.type() == LogicalType.DATE ? wall.toLocalDate().format(DATE) : wall.format(DATE_TIME);
    }

    static String dateText(String payload, ColumnInfo column) {
        if (!payload.matches("-?\\d+")) {
            return payload;
        }
        String day = LocalDate.ofEpochDay(Long.parseLong(payload)).format(DATE);
        return column.type().isTimestamp() ? day + " 00:00:00" : day;
    }

    static String timeText(String payload) {
        if (!payload.matches("-?\\d+")) {
            return payload;
        }
        long micros = Long.parseLong(payload);
        long abs = Math.abs(micros);
        return (micros < 0 ? "-" : "") + String.format("%02d:%02d:%02d.%06d", abs / 3_600_000_000L,
                abs / 60_000_000L % 60, abs / 1_000_000L % 60, abs % 1_000_000L);
    }
}
