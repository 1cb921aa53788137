package io.tally.engine.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders tables so that parents come before children, from each table's set of parents (other planned tables
 * its foreign keys reference). Ties keep the configured order; tables in a cycle follow in configured order
 * (their writes may then need deferred constraints, which the repair reports as a failed batch).
 */
public final class TableOrder {

    private TableOrder() {
    }

    /** Parents first. {@code parents} maps each table (in configured order) to the tables it references. */
    public static List<String> parentsFirst(Map<String, Set<String>> parents) {
        Map<String, Set<String>> waiting = new LinkedHashMap<>();
        parents.forEach((table, refs) -> {
            Set<String> r = new LinkedHashSet<>(refs);
            r.retainAll(parents.keySet());
            r.remove(table); // a self-reference orders nothing between tables
            waiting.put(table, r);
        });
        List<String> order = new ArrayList<>();
        while (!waiting.isEmpty()) {
            String next = waiting.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey)
                    .findFirst().orElse(waiting.keySet().iterator().next()); // a cycle: take the first
            order.add(next);
            waiting.remove(next);
            waiting.values().forEach(r -> r.remove(next));
        }
        return order;
    }
}
