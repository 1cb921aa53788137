package io.tally.engine.report;

import java.util.List;
import java.util.Map;

/**
 * One business rule's outcome on one table (docs/rules.md).
 *
 * @param side       where it was evaluated: {@code source}, {@code target}, or {@code both} (compared across sides)
 * @param checked    rows (row and transition rules) or groups (aggregate, count and balance rules) evaluated
 * @param violations rows or groups that broke the rule
 * @param samples    up to {@code sample_size} violations, ordered, with the key or group and the values involved
 */
public record RuleResult(String name, String kind, String severity, String side, String rule, long checked,
                         long violations, List<Map<String, String>> samples) {

    /** Whether this result makes the verdict DRIFT: an error-severity rule with a violation. */
    public boolean fails() {
        return "error".equals(severity) && violations > 0;
    }
}
