package io.tally.engine.repair;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.model.LogicalType;
import org.apache.commons.codec.DecoderException;
import org.apache.commons.codec.binary.Hex;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The inverse of {@link io.tally.engine.canonical.FieldCanonicalizer} for a relational source: the BSON value a
 * repair writes into a document field for a canonical token, so that reading it back gives the same token. The
 * BSON type follows the source column's type (an integer column as Int32, or Int64 when it is a bigint or the value
 * needs it; a decimal as Decimal128; a timestamp as a Date; a uuid as a standard UUID binary), unless the column's
 * {@code bson} option asks for {@code string} or {@code objectid}.
 */
final class DocumentValues {

    private static final java.util.regex.Pattern OBJECT_ID = java.util.regex.Pattern.compile("[0-9a-fA-F]{24}");

    private DocumentValues() {
    }

    static BsonValue write(String token, ColumnPair pair, String bson) {
        try {
            return convert(token, pair, bson);
        } catch (NumberFormatException | ArithmeticException | IllegalStateException e) {
            throw new TallyError("field " + pair.target().name() + " cannot hold the source value "
                    + CanonicalForm.display(token) + " (" + e.getClass().getSimpleName() + "); fix the source row, "
                    + "or exclude the column");
        }
    }

    private static BsonValue convert(String token, ColumnPair pair, String bson) {
        if (CanonicalForm.isNull(token)) {
            return BsonNull.VALUE;
        }
        String p = CanonicalForm.payload(token);
        char tag = CanonicalForm.tag(token);
        if ("string".equals(bson) && tag != 'S') {
            return new BsonString(CanonicalForm.display(token));
        }
        return switch (tag) {
            case 'I' -> exact(p, pair.source().type(), pair.source().nativeType());
            case 'F' -> new BsonDouble(Double.longBitsToDouble(Long.parseUnsignedLong(p, 16)));
            case 'B' -> BsonBoolean.valueOf(p.equals("true"));
            case 'S' -> "objectid".equals(bson) && OBJECT_ID.matcher(p).matches() ? new BsonObjectId(new ObjectId(p))
                    : new BsonString(p);
            case 'X' -> new BsonBinary(hex(p));
            case 'U' -> new BsonBinary(UUID.fromString(p), UuidRepresentation.STANDARD);
            case 'J' -> BsonDocument.parse("{\"v\": " + p + "}").get("v");
            case 'T' -> new BsonDateTime(Math.floorDiv(Long.parseLong(p), 1000L));
            case 'D' -> new BsonDateTime(Long.parseLong(p) * 86_400_000L);
            case 'H' -> new BsonString(CanonicalForm.display(token));
            default -> throw new TallyError("field " + pair.target().name() + " cannot be written from the source "
                    + "value " + CanonicalForm.display(token) + "; exclude the column or fix the source row");
        };
    }

    private static BsonValue exact(String p, LogicalType type, String nativeType) {
        if (p.equals("NaN") || p.endsWith("Infinity")) {
            return type == LogicalType.DECIMAL ? new BsonDecimal128(Decimal128.parse(p))
                    : new BsonDouble(Double.parseDouble(p));
        }
        BigDecimal d = new BigDecimal(p);
        if (type == LogicalType.INTEGER || (type == LogicalType.BOOLEAN && d.scale() <= 0)) {
            boolean big = nativeType.toLowerCase(java.util.Locale.ROOT).contains("big")
                    || d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0
                    || d.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0;
            if (d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 || d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
                return new BsonDecimal128(new Decimal128(d));
            }
            return big ? new BsonInt64(d.longValueExact()) : new BsonInt32(d.intValueExact());
        }
        if (type.isFloat()) {
            return new BsonDouble(d.doubleValue());
        }
        return new BsonDecimal128(new Decimal128(d));
    }

    private static byte[] hex(String p) {
        try {
            return Hex.decodeHex(p);
        } catch (DecoderException e) {
            throw new IllegalStateException("a binary token holds non-hex text", e);
        }
    }

    /**
     * The BSON values a key token can be stored as, for finding a key's documents: a number under any numeric
     * type (MongoDB compares numbers by value), text also as an ObjectId or UUID when it reads as one, a UUID as
     * binary and as text.
     */
    static List<BsonValue> candidates(String token) {
        try {
            return lookups(token);
        } catch (NumberFormatException | IllegalStateException e) {
            throw new TallyError("the key " + CanonicalForm.display(token) + " cannot be looked up in MongoDB ("
                    + e.getClass().getSimpleName() + "); use scalar keys (ObjectId, string, number, UUID, date)");
        }
    }

    private static List<BsonValue> lookups(String token) {
        List<BsonValue> out = new ArrayList<>();
        String p = CanonicalForm.payload(token);
        switch (CanonicalForm.tag(token)) {
            case 'I', 'i', 'l', 'd' -> out.add(p.matches("-?\\d{1,18}") ? new BsonInt64(Long.parseLong(p))
                    : new BsonDecimal128(Decimal128.parse(p)));
            case 'F' -> out.add(new BsonDouble(Double.longBitsToDouble(Long.parseUnsignedLong(p, 16))));
            case 'B' -> out.add(BsonBoolean.valueOf(p.equals("true")));
            case 'K' -> out.add(new BsonObjectId(new ObjectId(p)));
            case 'S' -> {
                out.add(new BsonString(p));
                if (OBJECT_ID.matcher(p).matches()) {
                    out.add(new BsonObjectId(new ObjectId(p)));
                }
            }
            case 'U' -> {
                out.add(new BsonBinary(UUID.fromString(p), UuidRepresentation.STANDARD));
                out.add(new BsonString(p));
                out.add(new BsonString(p.toUpperCase(java.util.Locale.ROOT)));
            }
            case 'X' -> out.add(new BsonBinary(hex(p)));
            case 'T' -> out.add(new BsonDateTime(Math.floorDiv(Long.parseLong(p), 1000L)));
            case 'D' -> out.add(new BsonDateTime(Long.parseLong(p) * 86_400_000L));
            default -> throw new TallyError("a key of this kind (" + CanonicalForm.display(token) + ") cannot be "
                    + "looked up in MongoDB; use scalar keys (ObjectId, string, number, UUID, date)");
        }
        return out;
    }
}
