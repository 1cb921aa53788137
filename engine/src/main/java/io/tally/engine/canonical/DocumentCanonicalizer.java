package io.tally.engine.canonical;

import org.apache.commons.codec.binary.Hex;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The canonical token of a BSON value, field-order-insensitive for documents. Scalars use the relational tags
 * where the meaning is the same (so a PostgreSQL bigint and a MongoDB Int64 can compare equal); documents,
 * arrays and MongoDB-only types have tags of their own. A field that is missing is simply not in its
 * document's token, while a field holding null contributes its key and {@code N}: the two never compare equal.
 * See docs/canonical-form.md, "Documents".
 */
public final class DocumentCanonicalizer {

    /** How BSON numbers of different types compare. */
    public enum NumericPolicy {
        /** Int32, Int64 and Decimal128 by exact value (tag I, as SQL integers and decimals); Double as a double (F). */
        EXACT,
        /** Every number by value; a Double by the shortest decimal that reads back as the same double. */
        VALUE,
        /** Type and value: Int32 5, Int64 5, Decimal128 5 and Double 5.0 all differ. */
        STRICT
    }

    private final NumericPolicy numbers;

    public DocumentCanonicalizer(NumericPolicy numbers) {
        this.numbers = numbers;
    }

    public String token(BsonValue v) {
        if (v == null || v.isNull()) {
            return CanonicalForm.NULL;
        }
        return switch (v.getBsonType()) {
            case DOCUMENT -> document(v.asDocument());
            case ARRAY -> {
                StringBuilder sb = new StringBuilder();
                v.asArray().forEach(e -> sb.append(token(e)));
                yield CanonicalForm.token('L', sb.toString());
            }
            case STRING -> CanonicalForm.token('S', v.asString().getValue());
            case SYMBOL -> CanonicalForm.token('S', v.asSymbol().getSymbol());
            case BOOLEAN -> CanonicalForm.token('B', v.asBoolean().getValue() ? "true" : "false");
            case INT32 -> integral(v.asInt32().getValue(), 'i');
            case INT64 -> integral(v.asInt64().getValue(), 'l');
            case DECIMAL128 -> decimal(v.asDecimal128().getValue());
            case DOUBLE -> dbl(v.asDouble().getValue());
            case OBJECT_ID -> CanonicalForm.token('K', v.asObjectId().getValue().toHexString());
            case DATE_TIME -> date(v.asDateTime().getValue());
            case BINARY -> binary(v.asBinary());
            case TIMESTAMP -> CanonicalForm.token('Z', v.asTimestamp().getTime() + ":" + v.asTimestamp().getInc());
            case REGULAR_EXPRESSION -> CanonicalForm.token('R', v.asRegularExpression().getPattern() + "/"
                    + sorted(v.asRegularExpression().getOptions()));
            case JAVASCRIPT -> CanonicalForm.token('Q', "js:" + v.asJavaScript().getCode());
            case JAVASCRIPT_WITH_SCOPE -> CanonicalForm.token('Q', "js:" + v.asJavaScriptWithScope().getCode()
                    + document(v.asJavaScriptWithScope().getScope()));
            case DB_POINTER -> CanonicalForm.token('Q', "dbpointer:" + v.asDBPointer().getNamespace() + ":"
                    + v.asDBPointer().getId().toHexString());
            case MIN_KEY -> CanonicalForm.token('Q', "minkey");
            case MAX_KEY -> CanonicalForm.token('Q', "maxkey");
            case UNDEFINED -> CanonicalForm.token('Q', "undefined");
            default -> CanonicalForm.token('Q', v.getBsonType().name().toLowerCase(java.util.Locale.ROOT));
        };
    }

    /** A document: its fields sorted by key (code point order), each as the key's S token and the value's token. */
    public String document(BsonDocument d) {
        List<Map.Entry<String, BsonValue>> fields = new ArrayList<>(d.entrySet());
        fields.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, BsonValue> f : fields) {
            sb.append(CanonicalForm.token('S', f.getKey())).append(token(f.getValue()));
        }
        return CanonicalForm.token('M', sb.toString());
    }

    /** The value at a dotted path ({@code address.city}); null when a step is missing or not a document. */
    public static BsonValue at(BsonDocument d, String path) {
        BsonValue v = d;
        for (String step : path.split("\\.", -1)) {
            if (!(v instanceof BsonDocument doc) || !doc.containsKey(step)) {
                return null;
            }
            v = doc.get(step);
        }
        return v;
    }

    /** Milliseconds as microseconds, like SQL instants; beyond ±292,000 years the milliseconds stay as text. */
    private static String date(long millis) {
        try {
            return CanonicalForm.token('T', Long.toString(Math.multiplyExact(millis, 1000L)));
        } catch (ArithmeticException outsideMicroseconds) {
            return CanonicalForm.token('T', millis + "ms");
        }
    }

    private String integral(long value, char strictTag) {
        return numbers == NumericPolicy.STRICT ? CanonicalForm.token(strictTag, Long.toString(value))
                : CanonicalForm.token('I', Long.toString(value));
    }

    private String decimal(Decimal128 d) {
        String text;
        if (d.isNaN()) {
            text = "NaN";
        } else if (d.isInfinite()) {
            text = d.isNegative() ? "-Infinity" : "Infinity";
        } else {
            // Through the text: bigDecimalValue() refuses a negative zero, which equals 0 as SQL compares decimals.
            BigDecimal b = new BigDecimal(d.toString()).stripTrailingZeros();
            text = b.signum() == 0 ? "0" : b.toPlainString();
        }
        return CanonicalForm.token(numbers == NumericPolicy.STRICT ? 'd' : 'I', text);
    }

    private String dbl(double d) {
        if (numbers == NumericPolicy.VALUE) {
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return CanonicalForm.token('I', Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
            }
            BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
            return CanonicalForm.token('I', b.signum() == 0 ? "0" : b.toPlainString());
        }
        return ValueCanonicalizer.floating(d, false);
    }

    private static String binary(BsonBinary b) {
        byte[] data = b.getData();
        if (b.getType() == BsonBinarySubType.UUID_STANDARD.getValue() && data.length == 16) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            return CanonicalForm.token('U', new UUID(buf.getLong(), buf.getLong()).toString());
        }
        if (b.getType() == BsonBinarySubType.BINARY.getValue()) {
            return CanonicalForm.token('X', Hex.encodeHexString(data));
        }
        return CanonicalForm.token('Y', String.format("%02x:", b.getType() & 0xff) + Hex.encodeHexString(data));
    }

    private static String sorted(String options) {
        char[] c = options.toCharArray();
        java.util.Arrays.sort(c);
        return new String(c);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
