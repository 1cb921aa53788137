package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.TallyVersion;
import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.TypeAligner;
import io.tally.engine.config.JobConfig;
import io.tally.engine.config.TableConfig;
import io.tally.engine.integrity.IntegrityChecker;
import io.tally.engine.model.TableRef;
import io.tally.engine.plan.PlanWriter;
import io.tally.engine.model.TableSchema;
import io.tally.engine.report.Report;
import io.tally.engine.report.SideProfile;
import io.tally.engine.report.TableReport;
import io.tally.engine.source.PartitionPlan;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The verify flow: resolve both sides, plan every table (nothing is read until every table is planned, so a
 * bad config fails before any work), then per table read both sides in parallel partitions, canonicalize,
 * profile, diff, and count per batch and window.
 */
public final class Verifier {

    private final SparkSession spark;
    private final Consumer<String> progress;
    private final TableRules rules;
    private RecheckPause sleeper = seconds -> Thread.sleep(seconds * 1000);

    public Verifier(SparkSession spark, Consumer<String> progress) {
        this(spark, progress, TableRules.NONE);
    }

    /** @param rules the business rules' checker and evaluator (the {@code rules} module) */
    public Verifier(SparkSession spark, Consumer<String> progress, TableRules rules) {
        this.spark = spark;
        this.progress = progress;
        this.rules = rules;
    }

    /** Waits between rechecks with {@code sleeper} instead of sleeping (tests). */
    public Verifier withSleeper(RecheckPause sleeper) {
        this.sleeper = sleeper;
        return this;
    }

    /** The job's rules on one table. */
    private static List<io.tally.engine.config.RuleConfig> rulesOf(JobConfig config, String table) {
        return config.rules().stream().filter(r -> r.table().equals(table)).toList();
    }

    /** A table ready to read: its plan, both sides' partition plans and, in an audit, its read scope. */
    private record Prepared(TablePlan plan, TableRef sourceTable, TableRef targetTable, PartitionPlan sourceParts,
                            PartitionPlan targetParts, AuditScope.Scoped scoped, CanaryScope.Narrowed canary) {
    }

    public Report verify(JobConfig config) {
        return verify(config, null);
    }

    /**
     * Verifies and, with a {@code planWriter}, also writes the reconciliation plan: each table's sets while its
     * rows are cached, then the manifest, ordered by the target's declared foreign keys.
     */
    public Report verify(JobConfig config, PlanWriter planWriter) {
        return verify(config, planWriter, null);
    }

    /**
     * As {@link #verify(JobConfig, PlanWriter)}; with an {@code audit}, tables that set {@code incremental} are read
     * from the marks the last consistent audit left (docs/audits.md).
     */
    public Report verify(JobConfig config, PlanWriter planWriter, AuditRequest audit) {
        Instant started = Instant.now();
        spark.conf().set("spark.sql.legacy.charVarcharAsString", "true"); // no read-side CHAR padding by Spark
        // Canonical rows are hashes and unique tokens: compressing the cache costs CPU (8 % of a full run) for little.
        spark.conf().set("spark.sql.inMemoryColumnarStorage.compressed", "false");
        try (VerifySide src = VerifySide.open("source", config.source(), config, null);
             VerifySide tgt = VerifySide.open("target", config.target(), config, src)) { // closed first: src holds
            return ReadFailures.job(config.job(), src, tgt, () -> verify(config, planWriter, audit, src, tgt, started));
        }
    }

    private Report verify(JobConfig config, PlanWriter planWriter, AuditRequest audit, VerifySide src,
                          VerifySide tgt, Instant started) {
        if ((src.isDocument() != tgt.isDocument()) && "strict".equals(config.options().documentNumbers())) {
            throw new TallyError("options.document_numbers: strict compares BSON number types, which a relational "
                    + "side does not have; use exact or value when one side is MongoDB");
        }
        List<Prepared> prepared = new ArrayList<>();
        String rounding = config.options().temporalRounding();
        TablePlanner planner = new TablePlanner(new TypeAligner(src.zone(), tgt.zone(), src.truncates(rounding),
                tgt.truncates(rounding)));
        for (int i = 0; i < config.tables().size(); i++) {
            String at = "tables[" + i + "]";
            TableConfig t = SchemaPairing.effective(config.tables().get(i), src, tgt);
            TableRef sref = TableRef.parse(t.source());
            TableRef tref = TableRef.parse(t.target());
            var rules = t.documents();
            if (!tgt.isDocument() && (rules.marker() != null || rules.duplicates() != null || !rules.references().isEmpty()
                    || !rules.indexes().isEmpty())) {
                throw new TallyError(at + ".documents: marker, duplicates, references and indexes check a MongoDB target, "
                        + "and the target is " + tgt.describe() + "; remove them (for a relational target use "
                        + "natural_keys, references and indexes of the table)");
            }
            TableSchema[] schemas = SchemaPairing.pair(t, at, src, tgt, sref, tref);
            TablePlan plan = planner.plan(t, at, schemas[0], schemas[1]);
            if (src.isDocument() != tgt.isDocument()) {
                List<Exclusion> ex = new ArrayList<>(plan.exclusions());
                ex.add(new Exclusion("(unmapped fields)", src.isDocument() ? "source" : "target",
                        "document fields no column maps to are not compared; map them with rename"));
                plan = new TablePlan(plan.name(), plan.config(), plan.source(), plan.target(), plan.columns(),
                        plan.keyCount(), ex, plan.batchIndex(), plan.timeIndex(), plan.windowMicros());
            }
            if (planWriter != null) {
                PlanWriter.check(plan, at);
            }
            for (int k = 0; k < t.naturalKeys().size(); k++) {
                for (String col : t.naturalKeys().get(k)) {
                    if (plan.source().column(col).isEmpty()) {
                        throw new TallyError(at + ".natural_keys[" + k + "]: column " + col + " not in source table "
                                + sref + "; name source columns (renames are applied for the target)");
                    }
                }
                if (t.naturalKeys().get(k).isEmpty() || tgt.isDocument()) {
                    throw new TallyError(at + ".natural_keys[" + k + "]: list source columns of a relational target "
                            + "table, e.g. [email]");
                }
            }
            if (t.dedupe() != null) {
                SourceDedupe.validate(plan, t.dedupe(), at);
            }
            this.rules.validate(plan, rulesOf(config, plan.name()), "rules on table " + plan.name());
            if (!t.references().isEmpty() || !t.indexes().isEmpty()) {
                if (!(tgt instanceof JdbcSide j)) {
                    throw new TallyError(at + ".references and .indexes check a relational target; for a MongoDB target "
                            + "use documents.references");
                }
                IntegrityChecker.validate(j.endpoint(), schemas[1], t.references(), t.indexes(), at);
            }
            AuditScope.Scoped scoped = audit == null ? null : AuditScope.of(audit, plan, src, tgt, sref, tref, at);
            CanaryScope.Narrowed canary = CanaryScope.of(config.canary(), plan, src, tgt, at);
            String noPushdown = !rulesOf(config, plan.name()).isEmpty() ? "business rules read every row"
                    : scoped != null && scoped.incremental() ? "an incremental audit reads the changed rows"
                    : canary.any() ? "a canary reads the rows it compares" : Pushdown.unsupported(plan, src, tgt);
            if ("pushdown".equals(config.options().mode()) && noPushdown != null && !canary.any()
                    && !(scoped != null && scoped.incremental())) { // an audit's narrowed read is never pushed down
                throw new TallyError(at + " (" + plan.name() + ") cannot be compared by pushdown: " + noPushdown
                        + "; set options.mode to auto (it reads such tables whole) or full");
            }
            PartitionPlan sp = src.partitions(sref, plan, true, config);
            PartitionPlan tp = tgt.partitions(tref, plan, false, config);
            boolean inc = scoped != null && scoped.incremental();
            sp = sp.narrowedTo(CanaryScope.and(inc ? scoped.sourceFilter() : null, canary.sourceFilter()));
            tp = tp.narrowedTo(CanaryScope.and(inc ? scoped.targetFilter() : null, canary.targetFilter()));
            prepared.add(new Prepared(plan, sref, tref, sp, tp, scoped, canary));
        }
        Map<String, Set<String>> parents = planWriter == null ? Map.of() : parents(tgt, prepared);
        progress.accept("planned " + prepared.size() + " table(s); source " + src.describe() + ", target "
                + tgt.describe());
        List<TableReport> tables = new ArrayList<>();
        for (Prepared p : prepared) {
            tables.add(ReadFailures.named(p.plan().name(), p.sourceTable(), p.targetTable(), src, tgt,
                    () -> verifyTable(p, src, tgt, config, planWriter)));
        }
        Report.Integrity integrity = null;
        if (tgt instanceof JdbcSide j) {
            List<IntegrityChecker.Table> checked = new ArrayList<>();
            for (int i = 0; i < prepared.size(); i++) {
                Prepared p = prepared.get(i);
                checked.add(new IntegrityChecker.Table(p.plan().name(), p.targetTable(), p.plan().config().references(),
                        tables.get(i).target().rows(), src instanceof JdbcSide ? IntegrityInputs.schemaPair(p.plan()) : null,
                        p.plan().config().indexes(), IntegrityInputs.naturalKeys(p.plan(), src instanceof JdbcSide)));
            }
            integrity = new IntegrityChecker(config.checks(), config.options().sampleSize(), progress)
                    .check(j.endpoint(), "target", checked, src instanceof JdbcSide s ? s.endpoint() : null);
        }
        boolean consistent = tables.stream().allMatch(t -> Report.CONSISTENT.equals(t.status()))
                && (integrity == null || !integrity.hasErrors());
        Report report = new Report("tally", TallyVersion.get(), CanonicalForm.VERSION, config.job(),
                consistent ? Report.CONSISTENT : Report.DRIFT, started.toString(), Instant.now().toString(),
                src.report(), tgt.report(), tables, integrity, tables.stream().anyMatch(t -> t.subset() != null));
        if (planWriter != null) {
            planWriter.finish(config, report, parents);
        }
        return report;
    }

    /** Each planned table's name to the names of the planned tables its target's foreign keys reference. */
    private static Map<String, Set<String>> parents(VerifySide tgt, List<Prepared> prepared) {
        Map<TableRef, String> byTarget = new LinkedHashMap<>();
        for (Prepared p : prepared) {
            byTarget.put(tgt.qualify(p.targetTable()), p.plan().name());
        }
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (Prepared p : prepared) {
            Set<String> refs = new LinkedHashSet<>();
            for (TableRef r : tgt.referencedTables(p.targetTable())) {
                String name = byTarget.get(r);
                if (name != null) {
                    refs.add(name);
                }
            }
            parents.put(p.plan().name(), refs);
        }
        return parents;
    }

    private TableReport verifyTable(Prepared full, VerifySide src, VerifySide tgt, JobConfig config, PlanWriter planWriter) {
        TablePlan plan = full.plan();
        long t0 = System.nanoTime();
        boolean incremental = full.scoped() != null && full.scoped().incremental();
        String why = incremental ? "an incremental audit reads the rows changed since the last one"
                : "full".equals(config.options().mode()) ? "options.mode is full"
                : full.canary().any() ? "a canary reads the rows it compares"
                : !rulesOf(config, plan.name()).isEmpty() ? "business rules read every row"
                : Pushdown.unsupported(plan, src, tgt);
        TableReport.Positions positions = new TableReport.Positions(src.position(), tgt.position());
        Pushdown.Outcome pd = why != null ? null : ReadFailures.guarded(src, full.sourceTable(), () -> new Pushdown(spark, progress)
                .run(plan, (JdbcSide) src, (JdbcSide) tgt, full.sourceTable(), full.targetTable(),
                        config.options().segmentRows(), spark.sparkContext().defaultParallelism(),
                        Math.min(((JdbcSide) src).readers(), ((JdbcSide) tgt).readers())));
        if (why == null && pd == null) {
            why = "the key range does not fit in 63 bits";
        }
        Prepared p = pd == null ? full
                : new Prepared(plan, full.sourceTable(), full.targetTable(), pd.fetch().cappedAt(((JdbcSide) src).readers()),
                pd.fetch().cappedAt(((JdbcSide) tgt).readers()), full.scoped(), full.canary());
        progress.accept(plan.name() + ": reading source " + p.sourceTable() + " (" + p.sourceParts().size()
                + " partitions) and target " + p.targetTable() + " (" + p.targetParts().size() + " partitions)");
        boolean keepDoc = planWriter != null && src.isDocument() && tgt.isDocument();
        Dataset<Row> sRead = src.canonical(spark, p.sourceTable(), plan, true, p.sourceParts(), keepDoc);
        Dataset<Row> tRead = tgt.canonical(spark, p.targetTable(), plan, false, p.targetParts(), false);
        Dataset<Row> s = p.canary().sampled(sRead);
        Dataset<Row> t = p.canary().sampled(tRead);
        SourceDedupe.Result dedupe = null;
        try {
            // Both sides are read (and their canonical rows cached) at once: the profiles are independent jobs.
            SideProfiler profiler = new SideProfiler();
            CompletableFuture<SideProfile> target = CompletableFuture.supplyAsync(() -> ReadFailures.guarded(tgt,
                    p.targetTable(), () -> profiler.profile(t, plan, false, p.targetTable().toString(),
                            p.targetParts().size(), p.targetParts().method(), tgt.readExpressions(plan, false))));
            SideProfile sp;
            try {
                sp = ReadFailures.guarded(src, p.sourceTable(), () -> profiler.profile(s, plan, true,
                        p.sourceTable().toString(), p.sourceParts().size(), p.sourceParts().method(),
                        src.readExpressions(plan, true)));
            } catch (RuntimeException sourceFailed) {
                spark.sparkContext().cancelAllJobs(); // the run fails; do not leave the target read going
                target.exceptionally(ignored -> null).join();
                throw sourceFailed;
            }
            SideProfile tp = joined(target);
            var reads = new TableReport.Reads(src.read(p.sourceTable()), tgt.read(p.targetTable()));
            refuseNullKeys(plan, sp.nullKeyRows(), tp.nullKeyRows());
            TableReport.Subset subset = !p.canary().any() ? null : p.canary().report(plan.name(), sp, tp,
                    src.total(p.sourceTable()), tgt.total(p.targetTable()));
            long sourceRead = sp.rows();
            long targetRead = tp.rows();
            TableReport.Mode mode = new TableReport.Mode(pd == null ? "full" : "pushdown", pd == null ? why
                    : "both databases compute the canonical row hash in SQL", pd == null ? 0 : pd.segmentsCompared(),
                    pd == null ? 0 : pd.rounds(), pd == null ? 0 : pd.rangesFetched(),
                    s == sRead ? sp.rows() : sRead.count(), t == tRead ? tp.rows() : tRead.count()); // Spark sampled
            if (pd != null) {
                sp = pushedDown(sp, pd.sourceRows(), pd.keyMin(), pd.keyMax());
                tp = pushedDown(tp, pd.targetRows(), pd.keyMin(), pd.keyMax());
            }
            ReadFailures.guarded(src, p.sourceTable(), () -> {
                src.checkComplete(p.sourceTable(), sourceRead);
                return null;
            });
            ReadFailures.guarded(tgt, p.targetTable(), () -> {
                tgt.checkComplete(p.targetTable(), targetRead);
                return null;
            });
            progress.accept(plan.name() + ": " + sp.rows() + " source rows, " + tp.rows() + " target rows read in "
                    + seconds(t0) + "; comparing by key");
            dedupe = plan.config().dedupe() == null ? null
                    : SourceDedupe.apply(s, plan, plan.config().dedupe(), config.options().sampleSize());
            Dataset<Row> compared = dedupe == null ? s : dedupe.kept();
            Dataset<Row> setAside = dedupe == null ? null : dedupe.setAside();
            TableReport.Dedupe setAsideReport = dedupe == null ? null : dedupe.report();
            var lookup = PlannedSides.forLookup(plan, src, tgt, p.sourceTable(), p.targetTable(), config);
            RecheckedDiff.Result rd = new RecheckedDiff(spark, progress, sleeper, new KeyDiff(KeyDiff.bounds(sp, tp))).diff(compared, t, plan,
                    config.options().sampleSize(), config.recheck(), incremental || p.canary().byContent(),
                    planWriter == null ? null
                    : (diffs, targetRows) -> planWriter.write(plan, PlannedSides.planned(src, p.sourceTable()),
                    PlannedSides.planned(tgt, p.targetTable()), diffs, targetRows, PlannedSides.documents(plan, src, tgt,
                    config), setAside, setAsideReport),
                    source -> io.tally.engine.repair.KeyStates.open(source ? "source" : "target",
                            source ? config.source() : config.target(), lookup, source,
                            "nothing was reported as consistent"),
                    KeyReads.of(spark, src, tgt, p.sourceTable(), p.targetTable(), plan));
            DiffResult d = rd.diff();
            GroupCounter groups = new GroupCounter();
            // a narrowed read holds each side from its own mark: counts and totals across sides would not compare
            TableReport.Groups batches = plan.batchIndex() < 0 || incremental ? null
                    : groups.byBatch(compared, t, plan, config.options().maxGroups());
            TableReport.Groups windows = plan.timeIndex() < 0 || incremental ? null
                    : groups.byWindow(compared, t, plan, config.options().maxGroups());
            List<TableReport.Finding> findings = tgt instanceof DocumentSide ds ? ReadFailures.guarded(tgt, p.targetTable(),
                    () -> new DocumentFindings(spark, config.options().sampleSize(), config.checks().indexes()).check(ds,
                            ds.collection(p.targetTable(), "tables"), plan.config().documents(),
                            DocumentSide.columns(plan, false), logicalKeyIsKey(plan))) : List.of();
            List<io.tally.engine.config.RuleConfig> tableRules = rulesOf(config, plan.name()).stream()
                    .filter(r -> !incremental || "row".equals(r.kind())).toList();
            List<io.tally.engine.report.RuleResult> ruled = tableRules.isEmpty() ? List.of()
                    : rules.evaluate(plan, tableRules, TypedRows.view(compared, plan, true),
                    TypedRows.view(t, plan, false), config.options().sampleSize());
            TableReport report = TableReportAssembler.assemble(plan, sp, tp, d, batches, windows, findings, mode,
                    setAsideReport, ruled).with(full.scoped() == null ? null : full.scoped().scope(), positions,
                    rd.recheck()).with(reads, subset).withWarnings(incremental && (batches != null || plan.batchIndex() >= 0
                    || plan.timeIndex() >= 0 || rulesOf(config, plan.name()).size() > tableRules.size()) ? List.of("an incremental read compares rows only: batch and "
                    + "window counts and rules other than row rules are left to full audits") : List.of())
                    .withWarnings(reads.unsteady(d.missing() + d.extra() + d.changed()
                    + d.duplicates().sourceKeys() + d.duplicates().targetKeys(), rd.recheck())).withWarnings(rd.warnings());
            progress.accept(plan.name() + ": " + report.status() + " (missing " + d.missing() + ", extra "
                    + d.extra() + ", changed " + d.changed() + ", duplicate keys "
                    + (d.duplicates().sourceKeys() + d.duplicates().targetKeys()) + ")"
                    + findings.stream().filter(f -> f.count() > 0).map(f -> ", " + f.kind() + " " + f.count())
                    .reduce("", String::concat)
                    + ruled.stream().filter(r -> r.violations() > 0).map(r -> ", rule " + r.name() + " "
                    + r.violations()).reduce("", String::concat) + " in " + seconds(t0));
            return report;
        } finally {
            if (dedupe != null) {
                dedupe.release();
            }
            sRead.unpersist();
            tRead.unpersist();
        }
    }

    /**
     * A side profile built from the differing ranges only, completed from the segment counts: the table's rows
     * and the span of both sides' keys; NULLs per column are not known without reading every row.
     */
    private static SideProfile pushedDown(SideProfile read, long rows, String keyMin, String keyMax) {
        Map<String, SideProfile.KeyRange> range = new LinkedHashMap<>();
        read.keyRange().keySet().stream().findFirst().ifPresent(k -> range.put(k, new SideProfile.KeyRange(keyMin, keyMax)));
        return new SideProfile(read.table(), rows, read.nullKeyRows(), range, Map.of(), read.partitions(),
                read.partitioning(), read.readExpressions());
    }

    /** Stops the run when a key column holds NULL and the table did not ask for such rows to be matched by content. */
    private static void refuseNullKeys(TablePlan plan, long source, long target) {
        if ((source > 0 || target > 0) && TableConfig.NULL_KEYS_REFUSE.equals(plan.config().nullKeys())) {
            String keys = String.join(", ", plan.columns().subList(0, plan.keyCount()).stream()
                    .map(k -> k.source().name()).toList());
            throw new TallyError(plan.name() + ": " + source + " source and " + target + " target row(s) have a NULL in "
                    + "the key (" + keys + "), which then does not identify them; name key columns without NULLs "
                    + "(key: [...]), or set null_keys: match on this table to compare such rows by content");
        }
    }

    /** Whether the duplicates rule's logical key is the compared key (as target paths). */
    private static boolean logicalKeyIsKey(TablePlan plan) {
        var d = plan.config().documents().duplicates();
        return d != null && d.key().equals(plan.keys().stream().map(k -> k.target().name()).toList());
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    static String seconds(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
