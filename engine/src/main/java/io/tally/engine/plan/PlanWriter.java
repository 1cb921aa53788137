package io.tally.engine.plan;

import io.tally.engine.TallyError;
import io.tally.engine.TallyVersion;
import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.config.JobConfig;
import io.tally.engine.model.TableRef;
import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.TableReport;
import io.tally.engine.verify.CanonicalRows;
import io.tally.engine.verify.TablePlan;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.when;

/**
 * Turns each table's differences into Parquet upsert and delete sets under {@code DIR/plan/}, then seals them
 * with {@code manifest.json}. Runs inside verify while the canonical rows are still cached; each set is written
 * as one file sorted by key, so its content digest (and the plan id) is the same for the same inputs.
 */
public final class PlanWriter {

    public static final int FIRST_KEYS = 5;

    private final SparkSession spark;
    private final Path planDir;
    private final List<PlanManifest.PlannedTable> tables = new ArrayList<>();

    public PlanWriter(SparkSession spark, Path outDir) {
        this.spark = spark;
        this.planDir = outDir.resolve("plan");
    }

    public Path dir() {
        return planDir;
    }

    /** Refuses, before anything is read, a table whose keys cannot be written back exactly. */
    public static void check(TablePlan plan, String at) {
        for (ColumnPair k : plan.keys()) {
            for (ColumnRule r : List.of(k.sourceRule(), k.targetRule())) {
                if (r.nfc() || r.casefold() || r.trim()) {
                    throw new TallyError(at + ": key column " + k.name() + " is compared with normalize folding; "
                            + "a plan needs exact keys, so drop the normalize option on key columns or verify "
                            + "without --plan");
                }
            }
            if (k.targetRule().kind() == ColumnRule.Kind.INSTANT || k.targetRule().kind() == ColumnRule.Kind.TIME) {
                if (k.target().precision() > k.targetRule().fractionalDigits()) {
                    throw new TallyError(at + ": key column " + k.name() + " is compared at "
                            + k.targetRule().fractionalDigits() + " fractional digits but the target keeps "
                            + k.target().precision() + "; target keys would not be found exactly, so verify "
                            + "without --plan or align the key types");
                }
            }
        }
    }

    /**
     * Writes one table's sets from the persisted differences ({@code diffs}) and the target's canonical rows. With
     * a dedupe rule, {@code setAside} holds the keys of the source rows it set aside ({@code __key}): their target
     * copies are deleted with reason {@code dedupe}, which re-verification expects absent whatever the source holds.
     */
    public void write(TablePlan plan, TableRef source, TableRef target, Dataset<Row> diffs, Dataset<Row> targetRows,
                      PlanManifest.Documents documents, Dataset<Row> setAside, TableReport.Dedupe dedupe) {
        String dirName = String.format("t%02d-%s", tables.size(), plan.name().replaceAll("[^A-Za-z0-9_.-]", "_"));
        Column nullKey = col("key").startsWith(CanonicalRows.NULL_KEY_PREFIX);
        Dataset<Row> dupKeys = diffs.filter(col("t_n").gt(1).and(not(nullKey))).select(col("key").as("dkey"));
        Dataset<Row> dupState = targetRows.join(dupKeys, targetRows.col("__key").equalTo(dupKeys.col("dkey")), "inner")
                .groupBy(col("dkey"))
                .agg(concat(lit("dup:"), count(lit(1)).cast("string"), lit(":"),
                        sha2(concat_ws(",", sort_array(collect_list(coalesce(col("__whash"), col("__hash"))))), 256))
                        .as("dup_state"));
        Dataset<Row> d = diffs.join(dupState, diffs.col("key").equalTo(dupState.col("dkey")), "left");
        Column expected = when(col("t_n").isNull(), lit("absent")).when(col("t_n").gt(1), col("dup_state"))
                .otherwise(col("t_ghash")); // unfolded: a write that folding would hide is still a conflict
        Column isUpsert = col("s_n").equalTo(1).and(not(nullKey))
                .and(col("kind").isin("missing", "changed").or(col("t_n").gt(1)));
        Column isDelete = col("s_n").isNull().and(not(nullKey));
        Dataset<Row> upserts = d.filter(isUpsert)
                .select(col("key"), when(col("t_n").isNull(), lit("insert")).when(col("t_n").gt(1), lit("replace"))
                                .otherwise(lit("update")).as("action"), col("s_hmin").as("source_hash"),
                        expected.as("expected"), col("s_wvals").as("vals"), col("s_doc").as("doc"));
        Dataset<Row> deletes = d.filter(isDelete);
        Column reason = lit("extra");
        if (setAside != null) {
            Dataset<Row> aside = setAside.select(col("__key").as("akey")).distinct();
            deletes = deletes.join(aside, deletes.col("key").equalTo(aside.col("akey")), "left");
            reason = when(col("akey").isNotNull(), lit("dedupe")).otherwise(lit("extra"));
        }
        deletes = deletes.select(col("key"), expected.as("expected"), slice(col("t_vals"), 1, plan.keyCount())
                .as("key_vals"), reason.as("reason"));
        // One pass over the (small, persisted) differences: what cannot be planned, and which sets are empty.
        Row u = diffs.agg(count(when(col("s_n").gt(1), 1)),
                count(when(nullKey.and(col("kind").notEqual("equal")), 1)),
                count(when(isUpsert, 1)), count(when(isDelete, 1))).first();
        Map<String, Long> actions = new java.util.HashMap<>();
        PlanManifest.PlanSet upsertSet = u.getLong(2) == 0 ? empty(dirName + "/upsert")
                : writeSet(upserts, dirName + "/upsert", plan, "vals", actions);
        Map<String, Long> reasons = new java.util.HashMap<>();
        PlanManifest.PlanSet deleteSet = u.getLong(3) == 0 ? empty(dirName + "/delete")
                : writeSet(deletes, dirName + "/delete", plan, "key_vals", reasons);
        tables.add(new PlanManifest.PlannedTable(plan.name(), source, target, plan.keyCount(), plan.columns(),
                upsertSet, deleteSet, actions.getOrDefault("insert", 0L), actions.getOrDefault("update", 0L),
                actions.getOrDefault("replace", 0L),
                new PlanManifest.Unplanned(u.getLong(0), u.getLong(1)), narrowing(plan), documents,
                dedupe == null ? null : new PlanManifest.SetAside(plan.config().dedupe(), dedupe.rowsSetAside(),
                        reasons.getOrDefault("dedupe", 0L))));
    }

    /** Columns whose target type cannot hold every source value: writing them rounds, and they still differ. */
    static List<String> narrowing(TablePlan plan) {
        List<String> warnings = new ArrayList<>();
        for (ColumnPair p : plan.columns()) {
            var s = p.source();
            var t = p.target();
            boolean decimals = s.type() == io.tally.engine.model.LogicalType.DECIMAL
                    && t.type() == io.tally.engine.model.LogicalType.DECIMAL && s.scale() >= 0 && t.scale() >= 0
                    && (t.scale() < s.scale() || (s.precision() > 0 && t.precision() > 0
                    && t.precision() - t.scale() < s.precision() - s.scale()));
            boolean text = s.type().isText() && t.type().isText() && t.length() > 0
                    && (s.length() < 0 || s.length() > t.length());
            if (decimals || text) {
                warnings.add("column " + p.name() + ": target " + t.nativeType() + " cannot hold every source "
                        + s.nativeType() + " value; rows written there are rounded or refused and still differ, "
                        + "so widen the target column first (roll forward) and plan again");
            }
        }
        return warnings;
    }

    /** A set with no rows has no file: repair skips it, and its digest is that of no rows. */
    private static PlanManifest.PlanSet empty(String relative) {
        return new PlanManifest.PlanSet(relative, 0, new PlanDigest().hex(), List.of(), List.of());
    }

    /** Writes a set as one key-sorted Parquet file, then reads it back once for its digest and action counts. */
    private PlanManifest.PlanSet writeSet(Dataset<Row> rows, String relative, TablePlan plan, String valsColumn,
                                          Map<String, Long> actions) {
        Path dir = planDir.resolve(relative);
        rows.repartition(1).sortWithinPartitions("key").write().mode(SaveMode.Overwrite).parquet(dir.toString());
        PlanDigest digest = new PlanDigest();
        long n = 0;
        List<Map<String, String>> first = new ArrayList<>();
        Iterator<Row> it = spark.read().parquet(dir.toString()).orderBy("key").toLocalIterator();
        while (it.hasNext()) {
            Row r = it.next();
            digest.add(r);
            actions.merge(r.getString(r.fieldIndex(valsColumn.equals("vals") ? "action" : "reason")), 1L, Long::sum);
            if (n++ < FIRST_KEYS) {
                List<String> vals = r.getList(r.fieldIndex(valsColumn));
                Map<String, String> key = new LinkedHashMap<>();
                for (int k = 0; k < plan.keyCount(); k++) {
                    key.put(plan.columns().get(k).name(), CanonicalForm.display(vals.get(k)));
                }
                first.add(key);
            }
        }
        return new PlanManifest.PlanSet(relative, n, digest.hex(), PlanFiles.checksums(dir), first);
    }

    /**
     * Writes the manifest once every table is written: the foreign-key order comes from the target catalog
     * ({@code parents}: each table name to the names of planned tables it references).
     */
    public PlanManifest finish(JobConfig config, Report report, Map<String, Set<String>> parents) {
        List<String> upsertOrder = TableOrder.parentsFirst(parents);
        List<String> deleteOrder = new ArrayList<>(upsertOrder);
        java.util.Collections.reverse(deleteOrder);
        String runId = Long.toHexString(new java.security.SecureRandom().nextLong() | Long.MIN_VALUE);
        PlanManifest m = new PlanManifest(PlanManifest.FORMAT, null, runId, CanonicalForm.VERSION, TallyVersion.get(),
                config.job(), java.time.Instant.now().toString(),
                new PlanManifest.VerifyRun(report.startedAt(), report.finishedAt(), report.status()),
                // URL parameters stay out of the plan but TLS settings (withoutUrlParameters); repair --config has all.
                config.source().withoutUrlParameters(), config.target().withoutUrlParameters(), tables, upsertOrder,
                deleteOrder, report.integrity().findings().stream()
                        .filter(f -> f.check().equals("sequence") && f.side().equals("target"))
                        .map(io.tally.engine.report.IntegrityFinding::table).distinct().toList());
        PlanManifest sealed = m.withId(PlanFiles.planId(m));
        ReportWriter.writeJson(sealed, planDir, "manifest.json");
        return sealed;
    }

    /** Removes an earlier plan in the same directory, so no stale set can be mistaken for part of this one. */
    public void clear() {
        if (!Files.exists(planDir)) {
            return;
        }
        try (var walk = Files.walk(planDir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new TallyError("cannot clear the old plan in " + planDir + ": " + e.getMessage()
                    + "; remove it or choose another --out");
        }
    }
}
