package io.tally.engine.canonical;

import org.apache.commons.codec.binary.Hex;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.text.Normalizer;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns one value, as read by Spark from a dialect's read expression, into its canonical token under a
 * {@link ColumnRule}. A value that cannot take the rule's kind (a non-UUID string in a UUID column, text that
 * is not JSON) keeps a token of its raw kind, so it can never equal a well-formed value on the other side.
 */
public final class ValueCanonicalizer {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ValueCanonicalizer() {
    }

    public static String token(Object value, ColumnRule rule) {
        if (value == null) {
            return CanonicalForm.NULL;
        }
        return switch (rule.kind()) {
            case EXACT -> exact(value);
            case FLOAT -> floating(value, rule.singlePrecision());
            case BOOLEAN -> bool(value);
            case STRING -> string(value, rule);
            case BINARY -> binary(value, rule.stripPadding());
            case UUID -> uuid(value);
            case JSON -> json(value);
            case INSTANT -> instant(value, rule);
            case DATE -> date(value);
            case TIME -> time(value, rule);
            case BSON -> CanonicalForm.token('S', value.toString()); // documents go through FieldCanonicalizer
        };
    }

    static String exact(Object value) {
        BigDecimal d;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            d = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof BigDecimal b) {
            d = b;
        } else if (value instanceof BigInteger b) {
            d = new BigDecimal(b);
        } else if (value instanceof Boolean b) {
            d = b ? BigDecimal.ONE : BigDecimal.ZERO;
        } else if (value instanceof Float f) {
            if (f.isNaN() || f.isInfinite()) {
                return CanonicalForm.token('I', f.isNaN() ? "NaN" : f > 0 ? "Infinity" : "-Infinity");
            }
            d = new BigDecimal(Float.toString(f));
        } else if (value instanceof Double f) {
            if (f.isNaN() || f.isInfinite()) {
                return CanonicalForm.token('I', f.isNaN() ? "NaN" : f > 0 ? "Infinity" : "-Infinity");
            }
            d = new BigDecimal(Double.toString(f));
        } else {
            String s = value.toString().trim();
            if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) {
                return CanonicalForm.token('I', s);
            }
            try {
                d = new BigDecimal(s);
            } catch (NumberFormatException e) {
                return CanonicalForm.token('S', value.toString());
            }
        }
        d = d.stripTrailingZeros();
        return CanonicalForm.token('I', d.signum() == 0 ? "0" : d.toPlainString());
    }

    static String floating(Object value, boolean single) {
        double d;
        if (value instanceof Float f) {
            d = f; // widening a float to double is exact
        } else if (value instanceof Number n) {
            d = single ? (double) (float) n.doubleValue() : n.doubleValue();
        } else {
            try {
                d = Double.parseDouble(value.toString().trim());
            } catch (NumberFormatException e) {
                return CanonicalForm.token('S', value.toString());
            }
            d = single ? (double) (float) d : d;
        }
        if (d == 0.0) {
            d = 0.0; // -0.0 equals 0.0, as SQL compares them
        }
        return CanonicalForm.token('F', String.format("%016x", Double.doubleToLongBits(d)));
    }

    static String bool(Object value) {
        if (value instanceof Boolean b) {
            return CanonicalForm.token('B', b ? "true" : "false");
        }
        if (value instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString());
            if (d.compareTo(BigDecimal.ZERO) == 0) {
                return CanonicalForm.token('B', "false");
            }
            if (d.compareTo(BigDecimal.ONE) == 0) {
                return CanonicalForm.token('B', "true");
            }
            return exact(value); // a tinyint(1) holding 2 is not a boolean
        }
        String s = value.toString().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "t", "true" -> CanonicalForm.token('B', "true");
            case "f", "false" -> CanonicalForm.token('B', "false");
            default -> CanonicalForm.token('S', value.toString());
        };
    }

    static String string(Object value, ColumnRule rule) {
        String s = value instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : value.toString();
        if (rule.nfc()) {
            s = Normalizer.normalize(s, Normalizer.Form.NFC);
        }
        if (rule.casefold()) {
            s = s.toLowerCase(Locale.ROOT);
        }
        if (rule.trim()) {
            s = s.strip();
        }
        if (rule.stripPadding()) {
            int end = s.length();
            while (end > 0 && s.charAt(end - 1) == ' ') {
                end--;
            }
            s = s.substring(0, end);
        }
        return CanonicalForm.token('S', s);
    }

    static String binary(Object value, boolean stripPadding) {
        byte[] b = value instanceof byte[] bytes ? bytes : value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (stripPadding) {
            int end = b.length;
            while (end > 0 && b[end - 1] == 0) {
                end--;
            }
            b = Arrays.copyOf(b, end);
        }
        return CanonicalForm.token('X', Hex.encodeHexString(b));
    }

    static String uuid(Object value) {
        if (value instanceof byte[] b) {
            if (b.length != 16) {
                return binary(b, false);
            }
            ByteBuffer buf = ByteBuffer.wrap(b);
            return CanonicalForm.token('U', new java.util.UUID(buf.getLong(), buf.getLong()).toString());
        }
        String s = value.toString().trim();
        if (UUID_TEXT.matcher(s).matches()) {
            return CanonicalForm.token('U', s.toLowerCase(Locale.ROOT));
        }
        return CanonicalForm.token('S', value.toString());
    }

    static String json(Object value) {
        String text = value instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : value.toString();
        String canonical = JsonCanonicalizer.canonical(text);
        return canonical == null ? CanonicalForm.token('S', text) : CanonicalForm.token('J', canonical);
    }

    static String instant(Object value, ColumnRule rule) {
        String text = value.toString();
        Long micros = TemporalText.instantMicros(text, ZoneId.of(rule.zone()), rule.fractionalDigits(),
                rule.truncate());
        return CanonicalForm.token('T', micros == null ? text.trim() : Long.toString(micros));
    }

    static String date(Object value) {
        String text = value.toString();
        Long day = TemporalText.epochDay(text);
        return CanonicalForm.token('D', day == null ? text.trim() : Long.toString(day));
    }

    static String time(Object value, ColumnRule rule) {
        String text = value.toString();
        Long micros = TemporalText.timeMicros(text, rule.fractionalDigits(), rule.truncate());
        return CanonicalForm.token('H', micros == null ? text.trim() : Long.toString(micros));
    }
}
