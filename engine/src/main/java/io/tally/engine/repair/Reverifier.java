package io.tally.engine.repair;

import io.tally.engine.plan.PlanFiles;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.config.EndpointConfig;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The repair's proof: every planned key (upserts and deletes) is read again on both sides through the same
 * canonical rules and must have the same state, and both tables must hold the same number of rows. This is
 * checked against the source as it is now, not as the plan captured it. A key deleted because a dedupe rule set
 * its source row aside must be absent from the target, and the target holds that many rows fewer.
 */
final class Reverifier {

    private final SparkSession spark;
    private final EndpointConfig src;
    private final EndpointConfig tgt;
    private final int batchSize;
    private final int sampleSize;

    Reverifier(SparkSession spark, EndpointConfig src, EndpointConfig tgt, int batchSize, int sampleSize) {
        this.spark = spark;
        this.src = src;
        this.tgt = tgt;
        this.batchSize = batchSize;
        this.sampleSize = sampleSize;
    }

    RepairReport.Verification verify(PlanFiles.Loaded plan, PlanManifest.PlannedTable t) {
        long checked = 0;
        long matching = 0;
        List<RepairReport.Mismatch> samples = new ArrayList<>();
        try (KeyStates s = KeyStates.open("source", src, t, true); KeyStates g = KeyStates.open("target", tgt, t, false)) {
            for (PlanManifest.PlanSet set : List.of(t.upserts(), t.deletes())) {
                if (set.rows() == 0) {
                    continue;
                }
                Iterator<PlanRow> it = SetRepair.rows(spark, plan.set(set), set == t.deletes());
                while (it.hasNext()) {
                    List<PlanRow> batch = new ArrayList<>();
                    while (it.hasNext() && batch.size() < batchSize) {
                        batch.add(it.next());
                    }
                    List<List<String>> keys = batch.stream().map(r -> r.keyTokens(t.keyCount())).toList();
                    Map<String, String> fs = s.states(keys);
                    Map<String, String> ft = g.states(keys);
                    for (PlanRow r : batch) {
                        checked++;
                        String a = fs.getOrDefault(r.key(), RowFetcher.ABSENT);
                        String b = ft.getOrDefault(r.key(), RowFetcher.ABSENT);
                        if (r.action().equals("dedupe") ? b.equals(RowFetcher.ABSENT) : a.equals(b)) {
                            matching++;
                        } else if (samples.size() < sampleSize) {
                            samples.add(new RepairReport.Mismatch(SetRepair.display(r, t), a, b));
                        }
                    }
                }
            }
            long sourceRows = s.count();
            long targetRows = g.count();
            long unplanned = t.unplanned().sourceDuplicateKeys() + t.unplanned().nullKeyRows();
            long setAside = t.setAside() == null ? 0 : t.setAside().rows(); // rows the dedupe rule keeps out
            return new RepairReport.Verification(checked, matching, samples, sourceRows, targetRows,
                    checked == matching && sourceRows - setAside == targetRows && unplanned == 0);
        }
    }
}
