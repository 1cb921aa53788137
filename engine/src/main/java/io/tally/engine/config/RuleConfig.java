package io.tally.engine.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A business rule (docs/rules.md), checked on the rows verify already holds, in the same pass as the diff. Columns
 * are named as the report names them (source names), on both sides.
 *
 * @param kind      {@code row}: {@code check} must hold for every row of {@code side} (a NULL result passes, as in a
 *                  CHECK constraint); {@code aggregate}: {@code expr} (an aggregate such as {@code sum(amount)}),
 *                  optionally per {@code by}, equal on both sides within {@code tolerance}; {@code count}: rows per
 *                  {@code by} equal on both sides; {@code balance}: {@code expr} per {@code by} equals
 *                  {@code equals} (default 0) within {@code tolerance} on {@code side}; {@code transition}: a target
 *                  row's {@code column} equals the source row's or is reachable from it through {@code allowed}
 * @param side      {@code source}, {@code target} (default) or {@code both}, for row and balance rules
 * @param by        grouping expressions ({@code customer_id}, {@code date(created_at)}); none for one total
 * @param severity  {@code error} (default: a violation makes the verdict DRIFT, exit 1) or {@code warn} (reported only)
 */
public record RuleConfig(String name, String table, String kind, String side, String check, String expr,
                         List<String> by, BigDecimal tolerance, BigDecimal equals, String column,
                         Map<String, List<String>> allowed, String severity) {

    public static final Set<String> KINDS = Set.of("row", "aggregate", "count", "balance", "transition");
    public static final Set<String> SIDES = Set.of("source", "target", "both");
    public static final Set<String> SEVERITIES = Set.of("error", "warn");

    public RuleConfig {
        side = side == null ? "target" : side;
        by = by == null ? List.of() : List.copyOf(by);
        tolerance = tolerance == null ? BigDecimal.ZERO : tolerance;
        equals = equals == null ? BigDecimal.ZERO : equals;
        allowed = allowed == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(allowed));
        severity = severity == null ? "error" : severity;
    }

    public boolean isError() {
        return "error".equals(severity);
    }
}
