package io.tally.engine.verify;

import io.tally.engine.integrity.IntegrityChecker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the integrity checks need to know of a planned table: its natural keys and its schema pair. */
final class IntegrityInputs {

    private IntegrityInputs() {
    }

    /** The configured natural keys as target column names, and as source ones when the source is relational. */
    static IntegrityChecker.NaturalKeys naturalKeys(TablePlan plan, boolean relationalSource) {
        List<List<String>> target = new ArrayList<>();
        List<List<String>> source = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>(plan.config().naturalKeys());
        if (plan.config().dedupe() != null && !keys.contains(plan.config().dedupe().key())) {
            keys.add(plan.config().dedupe().key()); // the rule's key is a natural key: its duplicates are reported
        }
        for (List<String> k : keys) {
            List<String> s = k.stream().map(n -> plan.source().column(n).orElseThrow().name()).toList();
            source.add(s);
            target.add(s.stream().map(n -> plan.config().rename().getOrDefault(n, n)).toList());
        }
        var rule = plan.config().dedupe();
        List<String> deduped = rule == null ? null : target.get(keys.indexOf(rule.key()));
        return new IntegrityChecker.NaturalKeys(target, relationalSource ? source : List.of(), deduped);
    }

    /** The schemas of a relational pair with the job's column mapping, for the schema drift check. */
    static io.tally.engine.integrity.SchemaDrift.Pair schemaPair(TablePlan plan) {
        Map<String, String> names = new LinkedHashMap<>(plan.config().rename());
        plan.columns().forEach(c -> names.put(c.source().name(), c.target().name()));
        Set<String> leftOut = new LinkedHashSet<>(); // as the planner resolved exclude/include to catalog names
        plan.exclusions().stream().filter(e -> e.reason().equals("excluded by configuration"))
                .forEach(e -> leftOut.add(e.column()));
        return new io.tally.engine.integrity.SchemaDrift.Pair(plan.name(), plan.source(), plan.target(), names, leftOut);
    }
}
