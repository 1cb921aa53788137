package io.tally.engine.canonical;

import io.tally.engine.model.ColumnInfo;

import java.io.Serializable;
import java.util.List;

/**
 * A compared column: its two declarations, the rule each side is canonicalized with, and the alignment
 * decisions a reader must know to trust the comparison.
 *
 * @param name the column's name in reports (its source name)
 */
public record ColumnPair(String name, ColumnInfo source, ColumnInfo target, ColumnRule sourceRule,
                         ColumnRule targetRule, List<String> decisions) implements Serializable {

    public ColumnPair {
        decisions = List.copyOf(decisions);
    }

    public String comparedAs() {
        return sourceRule.kind().name().toLowerCase(java.util.Locale.ROOT);
    }
}
