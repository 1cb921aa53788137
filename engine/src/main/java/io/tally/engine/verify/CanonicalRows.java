package io.tally.engine.verify;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.canonical.RowHasher;
import io.tally.engine.canonical.ValueCanonicalizer;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The per-partition step that turns read rows into canonical rows: the key (concatenated key tokens, or a
 * content key for rows whose key has a NULL), the 128-bit row hash, every column's token, and the time bucket.
 * Runs on executors; holds only serializable rules.
 */
public final class CanonicalRows implements MapPartitionsFunction<Row, Row> {

    /** Prefix of the key of a row whose key has a NULL: such rows are matched by content. */
    public static final String NULL_KEY_PREFIX = "~nullkey:";

    private final ColumnRule[] rules;
    /** The rules without NFC, case and trim folding, when any rule folds: a plan writes unfolded values. */
    private final ColumnRule[] unfolded;
    private final int keyCount;
    private final int timeIndex;
    private final long windowMicros;

    public CanonicalRows(List<ColumnRule> rules, int keyCount, int timeIndex, long windowMicros) {
        this.rules = rules.toArray(ColumnRule[]::new);
        this.unfolded = rules.stream().anyMatch(CanonicalRows::folds)
                ? rules.stream().map(r -> r.withFolds(false, false, false)).toArray(ColumnRule[]::new) : null;
        this.keyCount = keyCount;
        this.timeIndex = timeIndex;
        this.windowMicros = windowMicros;
    }

    static boolean folds(ColumnRule r) {
        return r.nfc() || r.casefold() || r.trim();
    }

    public static StructType schema(StructType read, int keyCount) {
        List<org.apache.spark.sql.types.DataType> keyTypes = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            keyTypes.add(read.fields()[read.fields().length - keyCount + i].dataType());
        }
        return schema(keyTypes);
    }

    /**
     * The canonical rows' schema: key, hash, tokens, NULL-key flag, time bucket, unfolded tokens and hash (when a
     * rule folds), the source document as canonical extended JSON (document sides only), then the raw keys.
     */
    public static StructType schema(List<org.apache.spark.sql.types.DataType> keyTypes) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("__key", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("__hash", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("__vals", DataTypes.createArrayType(DataTypes.StringType, false), false));
        fields.add(DataTypes.createStructField("__knull", DataTypes.BooleanType, false));
        fields.add(DataTypes.createStructField("__tbucket", DataTypes.LongType, true));
        fields.add(DataTypes.createStructField("__wvals", DataTypes.createArrayType(DataTypes.StringType, false), true));
        fields.add(DataTypes.createStructField("__whash", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("__doc", DataTypes.StringType, true));
        for (int i = 0; i < keyTypes.size(); i++) {
            fields.add(DataTypes.createStructField("__k" + i, keyTypes.get(i), true));
        }
        return DataTypes.createStructType(fields);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        RowHasher hasher = new RowHasher();
        int n = rules.length;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return input.hasNext();
            }

            @Override
            public Row next() {
                Row row = input.next();
                String[] tokens = new String[n];
                StringBuilder key = new StringBuilder();
                boolean nullKey = false;
                for (int i = 0; i < n; i++) {
                    tokens[i] = ValueCanonicalizer.token(row.get(i), rules[i]);
                    if (i < keyCount) {
                        nullKey |= CanonicalForm.isNull(tokens[i]);
                        key.append(tokens[i]);
                    }
                }
                String hash = hasher.hash(tokens);
                String[] whole = unfolded == null ? null : unfoldedTokens(row, tokens);
                Object[] rawKeys = new Object[keyCount];
                for (int k = 0; k < keyCount; k++) {
                    rawKeys[k] = row.get(n + k);
                }
                return canonicalRow(key.toString(), nullKey, hash, tokens,
                        timeIndex < 0 ? null : bucket(tokens[timeIndex], windowMicros), whole,
                        whole == null ? null : hasher.hash(whole), null, rawKeys); // the guard's hash: folds hide no write
            }
        };
    }

    private String[] unfoldedTokens(Row row, String[] tokens) {
        String[] out = tokens.clone();
        for (int i = 0; i < out.length; i++) {
            if (folds(rules[i])) {
                out[i] = ValueCanonicalizer.token(row.get(i), unfolded[i]);
            }
        }
        return out;
    }

    /** One row in the layout of {@link #schema(List)}. */
    static Row canonicalRow(String key, boolean nullKey, String hash, String[] tokens, Long bucket, String[] whole,
                            String wholeHash, String doc, Object[] rawKeys) {
        Object[] out = new Object[8 + rawKeys.length];
        out[0] = nullKey ? NULL_KEY_PREFIX + hash : key;
        out[1] = hash;
        out[2] = tokens;
        out[3] = nullKey;
        out[4] = bucket;
        out[5] = whole;
        out[6] = wholeHash;
        out[7] = doc;
        System.arraycopy(rawKeys, 0, out, 8, rawKeys.length);
        return RowFactory.create(out);
    }

    static Long bucket(String token, long windowMicros) {
        if (CanonicalForm.isNull(token)) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(CanonicalForm.payload(token));
        } catch (NumberFormatException outsideTheCalendar) {
            return null; // infinity or a zero date: no window holds it
        }
        long micros = CanonicalForm.tag(token) == 'D' ? value * 86_400_000_000L : value;
        return Math.floorDiv(micros, windowMicros) * windowMicros;
    }
}
