package io.tally.engine.source;

import java.util.List;

/**
 * The WHERE predicates that split one side's read. They are complementary ranges on the first key column
 * evaluated by the database itself, plus one predicate for NULL keys, so every row lands in exactly one.
 *
 * @param method how the bounds were chosen, for the report
 */
public record PartitionPlan(List<String> predicates, String method) {

    public PartitionPlan {
        predicates = List.copyOf(predicates);
    }

    public int size() {
        return predicates.size();
    }
}
