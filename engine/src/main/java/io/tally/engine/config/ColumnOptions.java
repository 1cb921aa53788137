package io.tally.engine.config;

import java.util.List;

/**
 * Per-column comparison options, shown in the report whenever they apply.
 *
 * @param type      compare as this logical type on both sides: {@code string}, {@code json} or {@code uuid}
 * @param normalize string folds applied on both sides before hashing: {@code nfc}, {@code casefold}, {@code trim}
 */
public record ColumnOptions(String type, List<String> normalize) {

    public static final List<String> TYPES = List.of("string", "json", "uuid");
    public static final List<String> NORMALIZATIONS = List.of("nfc", "casefold", "trim");

    public ColumnOptions {
        normalize = normalize == null ? List.of() : List.copyOf(normalize);
    }

    public static ColumnOptions none() {
        return new ColumnOptions(null, List.of());
    }
}
