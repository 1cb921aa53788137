package io.tally.engine.verify;

import io.tally.engine.config.JobConfig;
import io.tally.engine.model.TableRef;
import io.tally.engine.plan.PlanManifest;

import java.util.List;
import java.util.Map;

/** What a plan, and a recheck's reads by key, record of a table's two sides: names as resolved, document settings. */
final class PlannedSides {

    private PlannedSides() {
    }

    /** A collection is planned as database.collection; a table as configured (the repair resolves it again). */
    static TableRef planned(VerifySide side, TableRef table) {
        return side.isDocument() ? side.qualify(table) : table;
    }

    /** A plan's record of how document fields were compared and are written; null between relational sides. */
    static io.tally.engine.plan.PlanManifest.Documents documents(TablePlan plan, VerifySide src, VerifySide tgt,
                                                                        JobConfig config) {
        if (!src.isDocument() && !tgt.isDocument()) {
            return null;
        }
        Map<String, String> bson = new java.util.TreeMap<>();
        plan.config().columns().forEach((name, o) -> {
            if (o.bson() != null) {
                bson.put(name, o.bson());
            }
        });
        return new io.tally.engine.plan.PlanManifest.Documents(config.options().documentNumbers(),
                plan.config().documents(), bson, DocumentSide.ignored(plan, true), DocumentSide.ignored(plan, false));
    }

    /** The table as {@link io.tally.engine.repair.KeyStates} reads it by key: its columns and sides, no sets. */
    static PlanManifest.PlannedTable forLookup(TablePlan plan, VerifySide src, VerifySide tgt, TableRef sref,
                                               TableRef tref, JobConfig config) {
        return new PlanManifest.PlannedTable(plan.name(), planned(src, sref), planned(tgt, tref), plan.keyCount(),
                plan.columns(), null, null, 0, 0, 0, null, List.of(), documents(plan, src, tgt, config), null);
    }
}
