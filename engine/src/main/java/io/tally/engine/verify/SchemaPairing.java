package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.config.TableConfig;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;
import io.tally.engine.model.TableRef;
import io.tally.engine.model.TableSchema;
import io.tally.engine.source.mongo.DocumentColumns;
import io.tally.engine.source.mongo.MongoCollectionRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The two schemas a table pair is planned with. Relational sides declare theirs. A collection facing a table
 * mirrors the table: each column becomes the field its {@code rename} names (a dotted path for a nested field),
 * typed as the BSON counterpart of the column's type (a Date for a timestamp, at millisecond precision). Two
 * collections are compared field by field over the union of the top-level fields sampled on both sides, plus
 * {@link DocumentColumns#REST}, so a field no sample showed is still compared.
 */
final class SchemaPairing {

    private SchemaPairing() {
    }

    static TableSchema[] pair(TableConfig cfg, String at, VerifySide src, VerifySide tgt, TableRef sref, TableRef tref) {
        if (!src.isDocument() && !tgt.isDocument()) {
            return new TableSchema[]{((JdbcSide) src).describe(sref, at + ".source"),
                    ((JdbcSide) tgt).describe(tref, at + ".target")};
        }
        DocumentSide ds = (DocumentSide) (src.isDocument() ? src : tgt);
        if (src.isDocument() && !ds.exists(ds.collection(sref, at + ".source"))) {
            throw new TallyError("source collection " + ds.collection(sref, at + ".source") + " not found in "
                    + src.describe() + "; check " + at + ".source (database.collection, names are case-sensitive)");
        }
        if (!cfg.columns().values().stream().allMatch(o -> o.normalize().isEmpty())) {
            throw new TallyError(at + ": normalize is not supported with a MongoDB side yet; compare the fields "
                    + "exactly or keep the normalized column relational on both sides");
        }
        if (src.isDocument() && tgt.isDocument()) {
            return discovered(cfg, (DocumentSide) src, (DocumentSide) tgt, sref, tref, at);
        }
        if (tgt.isDocument()) {
            TableSchema rel = ((JdbcSide) src).describe(sref, at + ".source");
            List<ColumnInfo> mirrored = new ArrayList<>();
            for (ColumnInfo c : rel.columns()) {
                mirrored.add(mirror(c, cfg.rename().getOrDefault(c.name(), c.name())));
            }
            return new TableSchema[]{rel, new TableSchema(tref, mirrored, List.of())};
        }
        TableSchema rel = ((JdbcSide) tgt).describe(tref, at + ".target");
        Map<String, String> inverse = new LinkedHashMap<>();
        cfg.rename().forEach((k, v) -> inverse.put(v, k));
        List<ColumnInfo> mirrored = new ArrayList<>();
        for (ColumnInfo c : rel.columns()) {
            mirrored.add(mirror(c, inverse.getOrDefault(c.name(), c.name())));
        }
        List<String> key = rel.primaryKey().stream().map(k -> inverse.getOrDefault(k, k)).toList();
        return new TableSchema[]{new TableSchema(sref, mirrored, key), rel};
    }

    /**
     * The table's config as planned: between two collections the migration marker's fields are excluded from
     * the comparison (they exist only in the target by design; the marker is checked on its own, and repair sets
     * it), so is {@code _id} when the key is another field, and with a relational target a missing field reads as null (a row cannot hold "missing").
     */
    static TableConfig effective(TableConfig cfg, VerifySide src, VerifySide tgt) {
        var rules = cfg.documents();
        List<String> exclude = new ArrayList<>(cfg.exclude());
        if (src.isDocument() && tgt.isDocument() && rules.marker() != null && cfg.include().isEmpty()) {
            for (String f : java.util.Arrays.asList(rules.marker().field(), rules.marker().statusField())) {
                if (f != null && !exclude.contains(f)) {
                    exclude.add(f);
                }
            }
        }
        // Compared by a logical key, two collections' _ids are expected to differ (new ObjectIds): not compared.
        if (src.isDocument() && tgt.isDocument() && !cfg.key().isEmpty() && !cfg.key().contains("_id")
                && cfg.include().isEmpty() && !exclude.contains("_id") && !cfg.rename().containsKey("_id")) {
            exclude.add("_id");
        }
        if (src.isDocument() && !tgt.isDocument() && !rules.missingIsNull()) {
            rules = rules.withMissingFields("null");
        }
        return new TableConfig(cfg.name(), cfg.source(), cfg.target(), cfg.key(), cfg.include(), exclude, cfg.rename(),
                cfg.columns(), cfg.batchColumn(), cfg.timeColumn(), cfg.timeWindow(), cfg.partitions(), rules,
                cfg.references(), cfg.indexes(), cfg.naturalKeys(), cfg.dedupe(), cfg.incremental(), cfg.nullKeys());
    }

    private static TableSchema[] discovered(TableConfig cfg, DocumentSide src, DocumentSide tgt, TableRef sref,
                                            TableRef tref, String at) {
        MongoCollectionRef sc = src.collection(sref, at + ".source");
        MongoCollectionRef tc = tgt.collection(tref, at + ".target");
        Set<String> sf = new TreeSet<>(src.sampleFields(sc));
        for (String k : cfg.key()) {
            String top = k.contains(".") ? k.substring(0, k.indexOf('.')) : k;
            if (!sf.isEmpty() && !sf.contains(top)) {
                throw new TallyError(at + ".key names field '" + k + "', which none of the first "
                        + DocumentSide.FIELD_SAMPLE + " documents of " + sc + " holds; its fields are "
                        + String.join(", ", sf));
            }
        }
        Set<String> tf = new TreeSet<>(tgt.exists(tc) ? tgt.sampleFields(tc) : Set.of());
        Map<String, String> inverse = new LinkedHashMap<>();
        cfg.rename().forEach((k, v) -> inverse.put(v, k));
        // Fields the config names (possibly dotted) are columns too, on the side they belong to.
        sf.addAll(cfg.key());
        sf.addAll(cfg.rename().keySet());
        sf.addAll(cfg.include());
        sf.addAll(cfg.exclude());
        sf.add("_id"); // every document has one, even when a collection is empty
        tf.add("_id");
        sf.addAll(cfg.columns().keySet());
        if (cfg.batchColumn() != null) {
            sf.add(cfg.batchColumn());
        }
        Set<String> sourceFields = new TreeSet<>(sf);
        tf.forEach(f -> sourceFields.add(inverse.getOrDefault(f, f)));
        Set<String> targetFields = new TreeSet<>(tf);
        sf.forEach(f -> targetFields.add(cfg.rename().getOrDefault(f, f)));
        return new TableSchema[]{documentSchema(sref, sourceFields), documentSchema(tref, targetFields)};
    }

    private static TableSchema documentSchema(TableRef ref, Set<String> fields) {
        List<ColumnInfo> cols = new ArrayList<>();
        if (fields.contains("_id")) {
            cols.add(field("_id"));
        }
        fields.stream().filter(f -> !f.equals("_id")).forEach(f -> cols.add(field(f)));
        cols.add(field(DocumentColumns.REST));
        return new TableSchema(ref, cols, fields.contains("_id") ? List.of("_id") : List.of());
    }

    private static ColumnInfo field(String path) {
        return new ColumnInfo(path, "bson", LogicalType.DOCUMENT, -1, -1, -1, true);
    }

    /** The field a relational column maps to, typed as what a faithful migration stores there. */
    static ColumnInfo mirror(ColumnInfo c, String path) {
        LogicalType t = switch (c.type()) {
            case FIXED_STRING -> LogicalType.STRING;
            case FIXED_BINARY -> LogicalType.BINARY;
            case FLOAT32 -> LogicalType.FLOAT64;
            case TIMESTAMP -> LogicalType.TIMESTAMP_TZ;
            default -> c.type();
        };
        String bson = switch (t) {
            case INTEGER -> "int or long";
            case DECIMAL -> "decimal";
            case FLOAT64 -> "double";
            case BOOLEAN -> "bool";
            case STRING -> "string";
            case BINARY -> "binData";
            case UUID -> "binData subtype 4 or uuid string";
            case JSON -> "object or array";
            case TIMESTAMP_TZ -> "date";
            case DATE -> "date at UTC midnight";
            case TIME -> "string";
            default -> "unsupported";
        };
        int precision = t == LogicalType.TIMESTAMP_TZ ? 3 : t == LogicalType.TIME ? c.precision() : -1;
        return new ColumnInfo(path, "bson " + bson, t, precision, -1, -1, true);
    }
}
