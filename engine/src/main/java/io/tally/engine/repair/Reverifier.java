package io.tally.engine.repair;

import io.tally.engine.TallyError;
import io.tally.engine.plan.PlanFiles;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.source.Endpoint;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The repair's proof: every planned key (upserts and deletes) is read again on both sides through the same
 * canonical rules and must have the same state, and both tables must hold the same number of rows. This is
 * checked against the source as it is now, not as the plan captured it.
 */
final class Reverifier {

    private final SparkSession spark;
    private final Endpoint src;
    private final Endpoint tgt;
    private final int batchSize;
    private final int sampleSize;
    private final RowFetcher fetcher = new RowFetcher();

    Reverifier(SparkSession spark, Endpoint src, Endpoint tgt, int batchSize, int sampleSize) {
        this.spark = spark;
        this.src = src;
        this.tgt = tgt;
        this.batchSize = batchSize;
        this.sampleSize = sampleSize;
    }

    RepairReport.Verification verify(PlanFiles.Loaded plan, PlanManifest.PlannedTable t) {
        SideAccess s = SideAccess.of(src.dialect(), t, true);
        SideAccess g = SideAccess.of(tgt.dialect(), t, false);
        long checked = 0;
        long matching = 0;
        List<RepairReport.Mismatch> samples = new ArrayList<>();
        try (Connection sc = src.connect(); Connection tc = tgt.connect()) {
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
                    RowFetcher.Fetched fs = fetcher.fetch(sc, s, keys, false);
                    RowFetcher.Fetched ft = fetcher.fetch(tc, g, keys, false);
                    for (PlanRow r : batch) {
                        checked++;
                        String a = fs.state(r.key());
                        String b = ft.state(r.key());
                        if (a.equals(b)) {
                            matching++;
                        } else if (samples.size() < sampleSize) {
                            samples.add(new RepairReport.Mismatch(SetRepair.display(r, t), a, b));
                        }
                    }
                }
            }
            long sourceRows = count(sc, s);
            long targetRows = count(tc, g);
            long unplanned = t.unplanned().sourceDuplicateKeys() + t.unplanned().nullKeyRows();
            return new RepairReport.Verification(checked, matching, samples, sourceRows, targetRows,
                    checked == matching && sourceRows == targetRows && unplanned == 0);
        } catch (SQLException e) {
            throw new TallyError("re-verifying " + t.name() + " failed: " + src.scrub(tgt.scrub(e.getMessage()))
                    + "; the repair itself is committed, run 'tally verify' to check the table", e);
        }
    }

    private static long count(Connection c, SideAccess side) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + side.qualified())) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
