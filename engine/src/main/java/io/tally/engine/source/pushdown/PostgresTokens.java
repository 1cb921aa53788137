package io.tally.engine.source.pushdown;

import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;

import java.util.List;

/** Canonical tokens and row hashes in PostgreSQL (13 or later: {@code trim_scale}, {@code sha256}). */
public final class PostgresTokens implements SqlTokens {

    private static final String UUID_TEXT =
            "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'";

    /** {@code <tag><utf8 byte length>:<payload>}, or {@code N} when the column is NULL. */
    static String framed(String c, char tag, String payload) {
        return "CASE WHEN " + c + " IS NULL THEN 'N' ELSE '" + tag + "' || octet_length(" + payload + ")::text || ':' || "
                + payload + " END";
    }

    @Override
    public String token(String c, ColumnInfo col, ColumnRule rule) {
        LogicalType t = col.type();
        return switch (rule.kind()) {
            case EXACT -> switch (t) {
                case INTEGER -> framed(c, 'I', c + "::text");
                case DECIMAL -> framed(c, 'I', "CASE WHEN " + c + " = 0 THEN '0' ELSE trim_scale(" + c + ")::text END");
                case BOOLEAN -> framed(c, 'I', "(" + c + ")::int::text");
                default -> null;
            };
            case FLOAT -> t.isFloat() ? framed(c, 'F', "CASE WHEN " + c + " = 0 THEN '0000000000000000' ELSE encode(float8send("
                    + c + (rule.singlePrecision() ? "::float4" : "") + "::float8), 'hex') END") : null;
            case BOOLEAN -> t == LogicalType.BOOLEAN
                    ? "CASE WHEN " + c + " IS NULL THEN 'N' WHEN " + c + " THEN 'B4:true' ELSE 'B5:false' END" : null;
            case STRING -> t.isText() && !(rule.nfc() || rule.casefold() || rule.trim())
                    ? framed(c, 'S', rule.stripPadding() ? "rtrim(" + c + "::text, ' ')" : c + "::text") : null;
            case BINARY -> t == LogicalType.BINARY
                    ? framed(c, 'X', "encode(" + (rule.stripPadding() ? "rtrim(" + c + ", '\\x00'::bytea)" : c) + ", 'hex')")
                    : null;
            case UUID -> t == LogicalType.UUID ? framed(c, 'U', c + "::text")
                    : t.isText() ? "CASE WHEN " + c + " IS NULL THEN 'N' WHEN " + c + " ~ " + UUID_TEXT + " THEN 'U36:' || lower("
                    + c + ") ELSE 'S' || octet_length(" + c + ")::text || ':' || " + c + " END" : null;
            case INSTANT -> instant(c, col, rule);
            case DATE -> t == LogicalType.DATE ? "CASE WHEN " + c + " IS NULL THEN 'N' WHEN isfinite(" + c + ") THEN "
                    + "'D' || length((" + c + " - DATE '1970-01-01')::text)::text || ':' || (" + c
                    + " - DATE '1970-01-01')::text ELSE " + framed(c, 'D', c + "::text") + " END" : null;
            case TIME -> t == LogicalType.TIME && !col.nativeType().contains("with time zone")
                    ? framed(c, 'H', reduce("(extract(epoch from " + c + ") * 1000000)::bigint", rule)) : null;
            default -> null; // json, bson
        };
    }

    private static String instant(String c, ColumnInfo col, ColumnRule rule) {
        boolean utc = rule.zone().equals("UTC") || rule.zone().equals("Z") || rule.zone().equals("+00:00");
        // the epoch of a zone-less timestamp is its wall clock read as UTC: no conversion needed for UTC
        String at = col.type() == LogicalType.TIMESTAMP_TZ || (col.type() == LogicalType.TIMESTAMP && utc) ? c
                : col.type() == LogicalType.TIMESTAMP ? "(" + c + " AT TIME ZONE '" + rule.zone().replace("'", "''") + "')"
                : null;
        if (at == null) {
            return null;
        }
        String micros = reduce("(extract(epoch from " + at + ") * 1000000)::bigint", rule);
        return "CASE WHEN " + c + " IS NULL THEN 'N' WHEN isfinite(" + c + ") THEN 'T' || length(" + micros + ")::text || ':' || "
                + micros + " ELSE " + framed(c, 'T', c + "::text") + " END";
    }

    /** Microseconds brought to the rule's digits: half up or down, flooring as {@code Math.floorDiv}. */
    private static String reduce(String micros, ColumnRule rule) {
        if (rule.fractionalDigits() >= 6) {
            return micros + "::text";
        }
        long unit = (long) Math.pow(10, 6 - Math.max(0, rule.fractionalDigits()));
        long offset = rule.truncate() ? 0 : unit / 2;
        return "(floor((" + micros + " + " + offset + ")::numeric / " + unit + ")::bigint * " + unit + ")::text";
    }

    @Override
    public String rowHash(List<String> tokens) {
        return "left(encode(sha256(convert_to(" + String.join(" || ", tokens) + ", 'UTF8')), 'hex'), 32)";
    }

    @Override
    public String first64(String hash) {
        return "('x' || substr(" + hash + ", 1, 16))::bit(64)::bigint";
    }

    @Override
    public String segmentOf(String quotedKey, long lo, long width) {
        return "((" + quotedKey + " - (" + lo + ")) / " + width + ")";
    }
}
