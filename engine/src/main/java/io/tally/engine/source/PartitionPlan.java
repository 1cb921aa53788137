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

    /**
     * At most {@code tasks} partitions: neighbouring predicates are joined with OR (they are disjoint, so every row
     * still lands in exactly one), so no more than {@code tasks} connections read at once.
     */
    public PartitionPlan cappedAt(int tasks) {
        if (predicates.size() <= tasks) {
            return this;
        }
        List<String> joined = new java.util.ArrayList<>();
        int n = predicates.size();
        for (int t = 0; t < tasks; t++) { // even groups: sizes differ by at most one
            joined.add("(" + String.join(") OR (", predicates.subList(t * n / tasks, (t + 1) * n / tasks)) + ")");
        }
        return new PartitionPlan(joined, method + ", joined into " + joined.size() + " task(s) by max_connections",
                filter);
    }

    /** These partitions over only the rows {@code condition} holds for. */
    public PartitionPlan narrowedTo(String condition) {
        return new PartitionPlan(predicates, method, condition);
    }

    public int size() {
        return predicates.size();
    }
}
