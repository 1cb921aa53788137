package io.tally.engine.source.pushdown;

import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;

import java.util.List;

/**
 * Canonical tokens and row hashes in MySQL 8 and MariaDB. Doubles have no bit-exact rendering in SQL here, and
 * time zones other than UTC need the server's zone tables: such columns fall back to fetching.
 */
public final class MySqlTokens implements SqlTokens {

    private static final String UUID_TEXT =
            "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'";

    /** {@code <tag><utf8 byte length>:<payload>}, or {@code N} when the column is NULL; text in any charset. */
    static String framed(String c, char tag, String payload) {
        return ascii(c, tag, "CONVERT(" + payload + " USING utf8mb4)");
    }

    /** As {@link #framed} for a payload of digits, signs and punctuation only: its bytes are the same in UTF-8. */
    static String ascii(String c, char tag, String payload) {
        return "CASE WHEN " + c + " IS NULL THEN 'N' ELSE CONCAT('" + tag + "', LENGTH(" + payload + "), ':', " + payload
                + ") END";
    }

    @Override
    public String token(String c, ColumnInfo col, ColumnRule rule) {
        LogicalType t = col.type();
        boolean bitOrYear = col.nativeType().startsWith("bit") || col.nativeType().startsWith("year");
        return switch (rule.kind()) {
            case EXACT -> switch (t) {
                case INTEGER, BOOLEAN -> ascii(c, 'I', "CAST(" + c + (bitOrYear ? " AS UNSIGNED)" : " AS CHAR)"));
                case DECIMAL -> {
                    String s = "CAST(" + c + " AS CHAR)";
                    String trimmed = "TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM " + s + "))";
                    // a declared scale always prints its point ('0.00' trims to '0'); otherwise look for one
                    yield ascii(c, 'I', col.scale() > 0 && col.nativeType().startsWith("decimal") ? trimmed
                            : "CASE WHEN " + c + " = 0 THEN '0' WHEN INSTR(" + s + ", '.') > 0 THEN " + trimmed + " ELSE "
                            + s + " END");
                }
                default -> null;
            };
            case BOOLEAN -> t == LogicalType.BOOLEAN && !bitOrYear ? "CASE WHEN " + c + " IS NULL THEN 'N' WHEN " + c
                    + " = 1 THEN 'B4:true' WHEN " + c + " = 0 THEN 'B5:false' ELSE " + framed(c, 'I', "CAST(" + c + " AS CHAR)")
                    + " END" : null;
            case STRING -> t.isText() && !(rule.nfc() || rule.casefold() || rule.trim())
                    ? framed(c, 'S', rule.stripPadding() ? "TRIM(TRAILING ' ' FROM " + c + ")" : c) : null;
            case BINARY -> t == LogicalType.BINARY || t == LogicalType.FIXED_BINARY
                    ? ascii(c, 'X', "LOWER(HEX(" + (rule.stripPadding() ? "TRIM(TRAILING X'00' FROM " + c + ")" : c) + "))")
                    : null;
            case UUID -> t.isText() ? "CASE WHEN " + c + " IS NULL THEN 'N' WHEN " + c + " REGEXP " + UUID_TEXT
                    + " THEN CONCAT('U36:', LOWER(" + c + ")) ELSE " + framed(c, 'S', c) + " END" : null;
            case INSTANT -> instant(c, col, rule);
            case DATE -> t == LogicalType.DATE ? "CASE WHEN " + c + " IS NULL THEN 'N' WHEN DATEDIFF(" + c
                    + ", '1970-01-01') IS NULL THEN " + ascii(c, 'D', "DATE_FORMAT(" + c + ", '%Y-%m-%d')")
                    + " ELSE " + ascii(c, 'D', "CAST(DATEDIFF(" + c + ", '1970-01-01') AS CHAR)") + " END" : null;
            default -> null; // float, time, json, bson
        };
    }

    private static String instant(String c, ColumnInfo col, ColumnRule rule) {
        boolean utc = rule.zone().equals("UTC") || rule.zone().equals("Z") || rule.zone().equals("+00:00");
        if (!col.type().isTimestamp() || (col.type() == LogicalType.TIMESTAMP && !utc)) {
            return null; // a zone-less DATETIME in another zone needs CONVERT_TZ and the server's zone tables
        }
        // TO_SECONDS counts from year 0; cheaper than TIMESTAMPDIFF, and NULL for zero dates like it
        String micros = "((TO_SECONDS(" + c + ") - 62167219200) * 1000000 + MICROSECOND(" + c + "))";
        String reduced = micros;
        if (rule.fractionalDigits() < 6) {
            long unit = (long) Math.pow(10, 6 - Math.max(0, rule.fractionalDigits()));
            long offset = rule.truncate() ? 0 : unit / 2;
            reduced = "(FLOOR((" + micros + " + " + offset + ") / " + unit + ") * " + unit + ")";
        }
        return "CASE WHEN " + c + " IS NULL THEN 'N' WHEN TO_SECONDS(" + c + ") IS NULL THEN "
                + ascii(c, 'T', "DATE_FORMAT(" + c + ", '%Y-%m-%d %H:%i:%s.%f')") + " ELSE " + ascii(c, 'T', reduced) + " END";
    }

    @Override
    public String rowHash(List<String> tokens) {
        return "LEFT(SHA2(CONCAT(" + String.join(", ", tokens) + "), 256), 32)";
    }

    @Override
    public String first64(String hash) {
        return "CAST(CONV(SUBSTR(" + hash + ", 1, 16), 16, 10) AS DECIMAL(20))";
    }

    @Override
    public String segmentOf(String quotedKey, long lo, long width) {
        return "((" + quotedKey + " - (" + lo + ")) DIV " + width + ")";
    }
}
