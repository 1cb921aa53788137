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

    static String framed(String c, char tag, String payload) {
        String p = "CONVERT(" + payload + " USING utf8mb4)";
        return "CASE WHEN " + c + " IS NULL THEN 'N' ELSE CONCAT('" + tag + "', LENGTH(" + p + "), ':', " + p + ") END";
    }

    @Override
    public String token(String c, ColumnInfo col, ColumnRule rule) {
        LogicalType t = col.type();
        boolean bitOrYear = col.nativeType().startsWith("bit") || col.nativeType().startsWith("year");
        return switch (rule.kind()) {
            case EXACT -> switch (t) {
                case INTEGER, BOOLEAN -> framed(c, 'I', "CAST(" + c + (bitOrYear ? " AS UNSIGNED)" : " AS CHAR)"));
                case DECIMAL -> {
                    String s = "CAST(" + c + " AS CHAR)";
                    yield framed(c, 'I', "CASE WHEN " + c + " = 0 THEN '0' WHEN INSTR(" + s + ", '.') > 0 THEN "
                            + "TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM " + s + ")) ELSE " + s + " END");
                }
                default -> null;
            };
            case BOOLEAN -> t == LogicalType.BOOLEAN && !bitOrYear ? "CASE WHEN " + c + " IS NULL THEN 'N' WHEN " + c
                    + " = 1 THEN 'B4:true' WHEN " + c + " = 0 THEN 'B5:false' ELSE " + framed(c, 'I', "CAST(" + c + " AS CHAR)")
                    + " END" : null;
            case STRING -> t.isText() && !(rule.nfc() || rule.casefold() || rule.trim())
                    ? framed(c, 'S', rule.stripPadding() ? "TRIM(TRAILING ' ' FROM " + c + ")" : c) : null;
            case BINARY -> t == LogicalType.BINARY || t == LogicalType.FIXED_BINARY
                    ? framed(c, 'X', "LOWER(HEX(" + (rule.stripPadding() ? "TRIM(TRAILING X'00' FROM " + c + ")" : c) + "))")
                    : null;
            case UUID -> t.isText() ? "CASE WHEN " + c + " IS NULL THEN 'N' WHEN " + c + " REGEXP " + UUID_TEXT
                    + " THEN CONCAT('U36:', LOWER(" + c + ")) ELSE " + framed(c, 'S', c) + " END" : null;
            case INSTANT -> instant(c, col, rule);
            case DATE -> t == LogicalType.DATE ? "CASE WHEN " + c + " IS NULL THEN 'N' WHEN DATEDIFF(" + c
                    + ", '1970-01-01') IS NULL THEN " + framed(c, 'D', "DATE_FORMAT(" + c + ", '%Y-%m-%d')")
                    + " ELSE " + framed(c, 'D', "CAST(DATEDIFF(" + c + ", '1970-01-01') AS CHAR)") + " END" : null;
            default -> null; // float, time, json, bson
        };
    }

    private static String instant(String c, ColumnInfo col, ColumnRule rule) {
        boolean utc = rule.zone().equals("UTC") || rule.zone().equals("Z") || rule.zone().equals("+00:00");
        if (!col.type().isTimestamp() || (col.type() == LogicalType.TIMESTAMP && !utc)) {
            return null; // a zone-less DATETIME in another zone needs CONVERT_TZ and the server's zone tables
        }
        String micros = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', " + c + ")";
        String reduced;
        if (rule.fractionalDigits() >= 6) {
            reduced = "CAST(" + micros + " AS CHAR)";
        } else {
            long unit = (long) Math.pow(10, 6 - Math.max(0, rule.fractionalDigits()));
            long offset = rule.truncate() ? 0 : unit / 2;
            reduced = "CAST(FLOOR((" + micros + " + " + offset + ") / " + unit + ") * " + unit + " AS CHAR)";
        }
        return "CASE WHEN " + c + " IS NULL THEN 'N' WHEN " + micros + " IS NULL THEN "
                + framed(c, 'T', "DATE_FORMAT(" + c + ", '%Y-%m-%d %H:%i:%s.%f')") + " ELSE " + framed(c, 'T', reduced) + " END";
    }

    @Override
    public String rowHash(List<String> tokens) {
        return "LEFT(SHA2(CONCAT(" + String.join(", ", tokens) + "), 256), 32)";
    }

    @Override
    public List<String> halves(String hash) {
        return List.of("CAST(CONV(SUBSTR(" + hash + ", 1, 16), 16, 10) AS DECIMAL(20))",
                "CAST(CONV(SUBSTR(" + hash + ", 17, 16), 16, 10) AS DECIMAL(20))");
    }

    @Override
    public String segmentOf(String quotedKey, long lo, long width) {
        return "((" + quotedKey + " - (" + lo + ")) DIV " + width + ")";
    }
}
