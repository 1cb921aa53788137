package io.tally.engine.config;

import java.util.List;

/**
 * Per-column comparison options, shown in the report whenever they apply.
 *
 * @param type      compare as this logical type on both sides: {@code string}, {@code json} or {@code uuid}
 * @param normalize string folds applied on both sides before hashing: {@code nfc}, {@code casefold}, {@code trim}
 * @param bson      for a column mapped to a MongoDB field, the BSON type a repair writes instead of the default for
 *                  the column's type: {@code string} (e.g. a uuid kept as text) or {@code objectid} (24 hex digits)
 */
public record ColumnOptions(String type, List<String> normalize, String bson) {

    public static final List<String> TYPES = List.of("string", "json", "uuid");
    public static final List<String> NORMALIZATIONS = List.of("nfc", "casefold", "trim");
    public static final List<String> BSON_TYPES = List.of("string", "objectid");

    public ColumnOptions(String type, List<String> normalize) {
        this(type, normalize, null);
    }

    public ColumnOptions {
        normalize = normalize == null ? List.of() : List.copyOf(normalize);
    }

    public static ColumnOptions none() {
        return new ColumnOptions(null, List.of(), null);
    }
}
