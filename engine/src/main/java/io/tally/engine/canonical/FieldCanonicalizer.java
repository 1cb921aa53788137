package io.tally.engine.canonical;

import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.io.Serializable;

/**
 * The token of one document field compared as a column. Between two MongoDB fields (kind {@code BSON}) it is the
 * field's {@link DocumentCanonicalizer} token. Against a relational column, the BSON value is brought to the
 * column's canonical kind by the type pairs of docs/canonical-form.md ("Relational columns and document fields"):
 * integers and Decimal128 by value, a Date as an instant (or a day at UTC midnight), a UUID binary or UUID text,
 * an ObjectId as its hex text, an embedded document as JSON. A value of any other BSON type keeps its own token,
 * so it never equals a relational value: a number stored as a string is a difference, not a match.
 *
 * <p>A missing field is {@link #MISSING}, which equals nothing but itself, unless {@code missingIsNull}.
 */
public final class FieldCanonicalizer implements Serializable {

    /** The token of a field that is not in the document (bare tag {@code A}, distinct from a null's {@code N}). */
    public static final String MISSING = "A";

    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private final DocumentCanonicalizer.NumericPolicy numbers;
    private final boolean missingIsNull;
    private transient DocumentCanonicalizer documents;

    public FieldCanonicalizer(DocumentCanonicalizer.NumericPolicy numbers, boolean missingIsNull) {
        this.numbers = numbers;
        this.missingIsNull = missingIsNull;
    }

    public DocumentCanonicalizer documents() {
        if (documents == null) {
            documents = new DocumentCanonicalizer(numbers);
        }
        return documents;
    }

    /** The token of the value at {@code path} of {@code doc} under {@code rule}. */
    public String token(BsonDocument doc, String path, ColumnRule rule) {
        return token(DocumentCanonicalizer.at(doc, path), rule);
    }

    /** The token of {@code v} (null when the field is missing) under {@code rule}. */
    public String token(BsonValue v, ColumnRule rule) {
        if (v == null) {
            return missingIsNull ? CanonicalForm.NULL : MISSING;
        }
        if (v.isNull()) {
            return CanonicalForm.NULL;
        }
        BsonType type = v.getBsonType();
        return switch (rule.kind()) {
            case BSON -> documents().token(v);
            case EXACT -> exactColumn(v);
            case FLOAT -> floatColumn(v, rule.singlePrecision());
            case BOOLEAN -> type == BsonType.BOOLEAN ? ValueCanonicalizer.bool(v.asBoolean().getValue())
                    : documents().token(v);
            case STRING -> switch (type) {
                case STRING -> ValueCanonicalizer.string(v.asString().getValue(), rule);
                case SYMBOL -> ValueCanonicalizer.string(v.asSymbol().getSymbol(), rule);
                case OBJECT_ID -> ValueCanonicalizer.string(v.asObjectId().getValue().toHexString(), rule);
                default -> documents().token(v);
            };
            case BINARY -> type == BsonType.BINARY && v.asBinary().getType() == 0
                    ? ValueCanonicalizer.binary(v.asBinary().getData(), rule.stripPadding()) : documents().token(v);
            case UUID -> type == BsonType.STRING ? ValueCanonicalizer.uuid(v.asString().getValue())
                    : documents().token(v); // a standard (subtype 4) UUID binary is already a U token
            case JSON -> json(v);
            case INSTANT -> type == BsonType.DATE_TIME ? instant(v.asDateTime().getValue(), rule) : documents().token(v);
            case DATE -> type == BsonType.DATE_TIME ? date(v.asDateTime().getValue()) : documents().token(v);
            case TIME -> type == BsonType.STRING ? ValueCanonicalizer.time(v.asString().getValue(), rule)
                    : documents().token(v);
        };
    }

    /**
     * Against an integer or decimal column: Int32, Int64 and Decimal128 by value; a Double only under the
     * {@code value} policy (by its shortest decimal), else as a double, which no exact number equals.
     */
    private String exactColumn(BsonValue v) {
        if (v.getBsonType() == BsonType.DOUBLE && numbers != DocumentCanonicalizer.NumericPolicy.VALUE) {
            return documents().token(v);
        }
        return v.isNumber() || v.isDecimal128() ? ValueCanonicalizer.exact(number(v)) : documents().token(v);
    }

    /**
     * Against a float column: a Double as a double; under the {@code value} policy also an integer or decimal
     * that a double holds exactly (2^53 + 1 is no double and stays an exact number, so it differs).
     */
    private String floatColumn(BsonValue v, boolean single) {
        if (v.getBsonType() == BsonType.DOUBLE) {
            return ValueCanonicalizer.floating(v.asDouble().getValue(), single);
        }
        if (numbers == DocumentCanonicalizer.NumericPolicy.VALUE && (v.isNumber() || v.isDecimal128())) {
            Object n = number(v);
            java.math.BigDecimal exact = n instanceof Long l ? java.math.BigDecimal.valueOf(l)
                    : v.isDecimal128() && v.asDecimal128().getValue().isFinite() ? new java.math.BigDecimal((String) n)
                    : null;
            if (exact != null) {
                double d = exact.doubleValue();
                if (Double.isFinite(d) && new java.math.BigDecimal(d).compareTo(exact) == 0) {
                    return ValueCanonicalizer.floating(d, single);
                }
                return ValueCanonicalizer.exact(exact);
            }
        }
        return documents().token(v);
    }

    private static Object number(BsonValue v) {
        return switch (v.getBsonType()) {
            case INT32 -> (long) v.asInt32().getValue();
            case INT64 -> v.asInt64().getValue();
            case DOUBLE -> v.asDouble().getValue();
            default -> v.asDecimal128().getValue().toString();
        };
    }

    /** A Date at the rule's precision: milliseconds are already within 3 digits, coarser rules reduce them. */
    private static String instant(long millis, ColumnRule rule) {
        long micros;
        try {
            micros = Math.multiplyExact(millis, 1000L);
        } catch (ArithmeticException outside) {
            return CanonicalForm.token('T', millis + "ms");
        }
        return CanonicalForm.token('T', Long.toString(TemporalText.reduce(micros, rule.fractionalDigits(),
                rule.truncate())));
    }

    /** A Date at UTC midnight is that day; any other Date keeps its instant token, which never equals a day. */
    private static String date(long millis) {
        if (Math.floorMod(millis, 86_400_000L) != 0) {
            return CanonicalForm.token('T', millis + "ms");
        }
        return CanonicalForm.token('D', Long.toString(Math.floorDiv(millis, 86_400_000L)));
    }

    /** Any BSON value as relaxed extended JSON, canonicalized like a relational JSON column. */
    private String json(BsonValue v) {
        String wrapped = new BsonDocument("v", v).toJson(RELAXED);
        String text = wrapped.substring(wrapped.indexOf(':') + 1, wrapped.length() - 1).strip();
        String canonical = JsonCanonicalizer.canonical(text);
        return canonical == null ? documents().token(v) : CanonicalForm.token('J', canonical);
    }
}
