package io.tally.engine.source;

import java.util.List;

/**
 * The WHERE predicates that split one side's read. They are complementary ranges on the first key column
 * evaluated by the database itself, plus one predicate for NULL keys, so every row lands in exactly one.
 *
 * @param method how the bounds were chosen, for the report
 * @param filter a condition on the table's own columns that narrows the whole read (an incremental audit's
 *               watermark), or null to read every row
 */
public record PartitionPlan(List<String> predicates, String method, String filter) {

    public PartitionPlan {
        predicates = List.copyOf(predicates);
    }

    public PartitionPlan(List<String> predicates, String method) {
        this(predicates, method, null);
    }

    /** These partitions over only the rows {@code condition} holds for. */
    public PartitionPlan narrowedTo(String condition) {
        return new PartitionPlan(predicates, method, condition);
    }

    public int size() {
        return predicates.size();
    }
}
