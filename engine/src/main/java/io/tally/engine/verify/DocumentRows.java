package io.tally.engine.verify;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.canonical.FieldCanonicalizer;
import io.tally.engine.canonical.RowHasher;
import io.tally.engine.source.mongo.DocumentColumns;
import io.tally.engine.source.mongo.MongoReader;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.bson.BsonDocument;

import java.util.Iterator;

/**
 * The per-partition step that turns documents (read as canonical extended JSON) into the same canonical rows as
 * {@link CanonicalRows}: one token per compared field path under the pair's rule, the row hash, the key. A key
 * field that is missing or null gives a content-matched row, as a NULL key does. With {@code keepDoc} the document
 * itself travels along (a plan copies it whole into a MongoDB target).
 */
public final class DocumentRows implements MapPartitionsFunction<Row, Row> {

    private final DocumentColumns columns;
    private final ColumnRule[] rules;
    private final int keyCount;
    private final int timeIndex;
    private final long windowMicros;
    private final FieldCanonicalizer fields;
    private final boolean keepDoc;

    public DocumentRows(DocumentColumns columns, java.util.List<ColumnRule> rules, int keyCount, int timeIndex,
                        long windowMicros, FieldCanonicalizer fields, boolean keepDoc) {
        this.columns = columns;
        this.rules = rules.toArray(ColumnRule[]::new);
        this.keyCount = keyCount;
        this.timeIndex = timeIndex;
        this.windowMicros = windowMicros;
        this.fields = fields;
        this.keepDoc = keepDoc;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        RowHasher hasher = new RowHasher();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return input.hasNext();
            }

            @Override
            public Row next() {
                String json = input.next().getString(0);
                BsonDocument doc = MongoReader.parse(json);
                String[] tokens = columns.tokens(doc, rules, fields);
                StringBuilder key = new StringBuilder();
                boolean nullKey = false;
                for (int i = 0; i < keyCount; i++) {
                    nullKey |= CanonicalForm.isNull(tokens[i]) || FieldCanonicalizer.MISSING.equals(tokens[i]);
                    key.append(tokens[i]);
                }
                String hash = hasher.hash(columns.hashed(tokens, doc));
                Object[] rawKeys = new Object[keyCount];
                for (int k = 0; k < keyCount; k++) {
                    rawKeys[k] = CanonicalForm.display(tokens[k]);
                }
                // Document fields are never folded: the tokens are the write-back values (no unfolded copy).
                return CanonicalRows.canonicalRow(key.toString(), nullKey, hash, tokens,
                        timeIndex < 0 ? null : CanonicalRows.bucket(tokens[timeIndex], windowMicros), null, null,
                        keepDoc ? json : null, rawKeys);
            }
        };
    }
}
