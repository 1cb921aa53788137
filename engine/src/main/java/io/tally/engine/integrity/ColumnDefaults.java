package io.tally.engine.integrity;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Column defaults as the catalogs print them, brought to one form so that the same default declared on two
 * engines compares equal: PostgreSQL's casts ({@code 'new'::character varying}) and MariaDB's quotes dropped,
 * numbers compared by value ({@code 0} and {@code 0.00}), PostgreSQL booleans as MySQL's {@code 1}/{@code 0},
 * the current-time functions ({@code now()}, {@code CURRENT_TIMESTAMP(6)}, ...) as {@code CURRENT_TIMESTAMP},
 * sequences ({@code nextval(...)}, identity, {@code AUTO_INCREMENT}) as {@code auto-increment}. Other expressions
 * compare as their text, so a default both engines spell differently is reported, never hidden.
 */
final class ColumnDefaults {

    /** A trailing PostgreSQL cast: {@code ::name}, schema-qualified or quoted, with modifiers and words after. */
    private static final Pattern CAST = Pattern.compile("^(.*)::(?:\"[^\"]+\"|[a-z_][a-z0-9_]*)(?:\\.(?:\"[^\"]+\"|"
            + "[a-z_][a-z0-9_]*))?(?:\\(\\d+(?:,\\s*\\d+)?\\))?(?: [a-z ]+)?(?:\\[\\])?$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern NOW = Pattern.compile("^(?:now|current_timestamp|localtimestamp|statement_timestamp|"
            + "transaction_timestamp)(?:\\(\\d?\\))?$|^current_timestamp$|^localtimestamp$");
    private static final Pattern TODAY = Pattern.compile("^(?:current_date|curdate)(?:\\(\\))?$");

    private ColumnDefaults() {
    }

    /** The default in comparable form; null when the column has none (or its default is NULL). */
    static String canonical(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim();
        if (s.equals("auto-increment") || s.toLowerCase(Locale.ROOT).startsWith("nextval(")) {
            return "auto-increment";
        }
        for (Matcher m = CAST.matcher(s); m.matches() && !quotedWhole(s); m = CAST.matcher(s)) {
            s = unwrap(m.group(1).trim());
        }
        s = unwrap(s);
        if (s.equalsIgnoreCase("NULL")) {
            return null;
        }
        if (quotedWhole(s)) {
            return number(s.substring(1, s.length() - 1).replace("''", "'"));
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (NOW.matcher(lower).matches()) {
            return "CURRENT_TIMESTAMP";
        }
        if (TODAY.matcher(lower).matches()) {
            return "CURRENT_DATE";
        }
        if (lower.equals("true")) {
            return "1";
        }
        if (lower.equals("false")) {
            return "0";
        }
        return number(s); // MySQL prints a string default bare: its case is the value's
    }

    /** Text that is a number, by value (trailing zeros dropped); anything else unchanged. */
    private static String number(String s) {
        try {
            return new BigDecimal(s.trim()).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException notANumber) {
            return s;
        }
    }

    /** Drops parentheses around the whole expression ({@code (-1)}, {@code ('x'::text)}). */
    private static String unwrap(String s) {
        while (s.length() > 1 && s.startsWith("(") && s.endsWith(")") && balanced(s.substring(1, s.length() - 1))) {
            s = s.substring(1, s.length() - 1).trim();
        }
        return s;
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /** Whether the text is one single-quoted literal ({@code 'it''s'}), so a {@code ::} inside it is no cast. */
    private static boolean quotedWhole(String s) {
        if (s.length() < 2 || s.charAt(0) != '\'' || s.charAt(s.length() - 1) != '\'') {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            if (s.charAt(i) == '\'') {
                if (s.charAt(i + 1) != '\'' || i + 1 == s.length() - 1) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
