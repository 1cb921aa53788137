package io.tally.rules;

import io.tally.engine.canonical.CanonicalForm;
import org.apache.spark.sql.Row;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How rule violations are shown: the row's key as the report shows keys, then named values as text. */
final class Samples {

    private Samples() {
    }

    /** A row whose first field is the canonical key and whose next fields are {@code names}. */
    static Map<String, String> row(Row r, List<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("key", key(r.getString(0)));
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), text(r.get(i + 1)));
        }
        return out;
    }

    static String key(String canonicalKey) {
        if (canonicalKey.startsWith(io.tally.engine.verify.CanonicalRows.NULL_KEY_PREFIX)) {
            return "(a NULL in the key)";
        }
        return String.join(", ", CanonicalForm.split(canonicalKey).stream().map(CanonicalForm::display).toList());
    }

    static String text(Object v) {
        if (v instanceof java.math.BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        return v == null ? null : v.toString();
    }
}
