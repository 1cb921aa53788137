package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.TallyVersion;
import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.canonical.TypeAligner;
import io.tally.engine.config.JobConfig;
import io.tally.engine.config.TableConfig;
import io.tally.engine.model.TableRef;
import io.tally.engine.plan.PlanWriter;
import io.tally.engine.model.TableSchema;
import io.tally.engine.report.Report;
import io.tally.engine.report.SideProfile;
import io.tally.engine.report.TableReport;
import io.tally.engine.source.Endpoint;
import io.tally.engine.source.KeyPartitioner;
import io.tally.engine.source.PartitionPlan;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.sql.Connection;
import java.sql.SQLException;
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

    public Verifier(SparkSession spark, Consumer<String> progress) {
        this.spark = spark;
        this.progress = progress;
    }

    /** A table ready to read: its plan and both sides' partition plans. */
    private record Prepared(TablePlan plan, TableRef sourceTable, TableRef targetTable, PartitionPlan sourceParts,
                            PartitionPlan targetParts) {
    }

    public Report verify(JobConfig config) {
        return verify(config, null);
    }

    /**
     * Verifies and, with a {@code planWriter}, also writes the reconciliation plan: each table's sets while its
     * rows are cached, then the manifest, ordered by the target's declared foreign keys.
     */
    public Report verify(JobConfig config, PlanWriter planWriter) {
        Instant started = Instant.now();
        Endpoint src = Endpoint.resolve("source", config.source());
        Endpoint tgt = Endpoint.resolve("target", config.target());
        spark.conf().set("spark.sql.legacy.charVarcharAsString", "true"); // no read-side CHAR padding by Spark
        List<Prepared> prepared = new ArrayList<>();
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        try (Connection sc = src.connect(); Connection tc = tgt.connect()) {
            String rounding = config.options().temporalRounding();
            TablePlanner planner = new TablePlanner(new TypeAligner(src.zone(), tgt.zone(),
                    truncates(rounding, src, sc), truncates(rounding, tgt, tc)));
            for (int i = 0; i < config.tables().size(); i++) {
                TableConfig t = config.tables().get(i);
                String at = "tables[" + i + "]";
                TableRef sref = TableRef.parse(t.source());
                TableRef tref = TableRef.parse(t.target());
                TableSchema ss = describe(sc, src, sref, at + ".source");
                TableSchema ts = describe(tc, tgt, tref, at + ".target");
                TablePlan plan = planner.plan(t, at, ss, ts);
                if (planWriter != null) {
                    PlanWriter.check(plan, at);
                }
                prepared.add(new Prepared(plan, sref, tref, partitions(sc, src, sref, plan, true, config),
                        partitions(tc, tgt, tref, plan, false, config)));
            }
            if (planWriter != null) {
                parents.putAll(parents(tc, tgt, config, prepared));
            }
        } catch (SQLException e) {
            throw new TallyError("reading the catalog failed: " + src.scrub(tgt.scrub(e.getMessage())), e);
        }
        progress.accept("planned " + prepared.size() + " table(s); source " + src.describe() + ", target "
                + tgt.describe());
        List<TableReport> tables = new ArrayList<>();
        for (Prepared p : prepared) {
            tables.add(verifyTable(p, src, tgt, config, planWriter));
        }
        boolean consistent = tables.stream().allMatch(t -> Report.CONSISTENT.equals(t.status()));
        Report report = new Report("tally", TallyVersion.get(), CanonicalForm.VERSION, config.job(),
                consistent ? Report.CONSISTENT : Report.DRIFT, started.toString(), Instant.now().toString(),
                side(src), side(tgt), tables);
        if (planWriter != null) {
            planWriter.finish(config, report, parents);
        }
        return report;
    }

    /** Each planned table's name to the names of the planned tables its target's foreign keys reference. */
    private static Map<String, Set<String>> parents(Connection tc, Endpoint tgt, JobConfig config,
                                                    List<Prepared> prepared) throws SQLException {
        String current = tgt.dialect().currentSchema(tc);
        Map<TableRef, String> byTarget = new LinkedHashMap<>();
        for (Prepared p : prepared) {
            byTarget.put(qualify(p.targetTable(), current), p.plan().name());
        }
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (Prepared p : prepared) {
            Set<String> refs = new LinkedHashSet<>();
            for (TableRef r : tgt.dialect().referencedTables(tc, p.targetTable())) {
                String name = byTarget.get(qualify(r, current));
                if (name != null) {
                    refs.add(name);
                }
            }
            parents.put(p.plan().name(), refs);
        }
        return parents;
    }

    private static TableRef qualify(TableRef t, String current) {
        return t.schema() == null ? new TableRef(current, t.name()) : t;
    }

    private static boolean truncates(String rounding, Endpoint e, Connection c) throws SQLException {
        return switch (rounding) {
            case "round" -> false;
            case "truncate" -> true;
            default -> e.dialect().truncatesFractionalSeconds(c);
        };
    }

    private static Report.Side side(Endpoint e) {
        return new Report.Side(e.dialect().name(), e.safeUrl(), e.user(), e.zone());
    }

    private TableSchema describe(Connection c, Endpoint e, TableRef table, String at) throws SQLException {
        TableSchema schema = e.dialect().describe(c, table);
        if (schema.columns().isEmpty()) {
            throw new TallyError(e.role() + " table " + table + " not found in " + e.describe() + "; check " + at
                    + " (schema.table, names are case-sensitive)");
        }
        return schema;
    }

    private PartitionPlan partitions(Connection c, Endpoint e, TableRef table, TablePlan plan, boolean source,
                                     JobConfig config) throws SQLException {
        int n;
        if (plan.config().partitions() != null) {
            n = plan.config().partitions();
        } else {
            long rows = e.dialect().estimateRows(c, table);
            if (rows < 0) {
                try (var s = c.createStatement();
                     var rs = s.executeQuery("SELECT COUNT(*) FROM " + e.dialect().qualified(table))) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            n = (int) Math.max(1, Math.min(config.options().maxPartitions(),
                    (rows + config.options().rowsPerPartition() - 1) / config.options().rowsPerPartition()));
        }
        ColumnPair first = plan.keys().get(0);
        return new KeyPartitioner().plan(c, e.dialect(), table, source ? first.source() : first.target(), n);
    }

    private TableReport verifyTable(Prepared p, Endpoint src, Endpoint tgt, JobConfig config, PlanWriter planWriter) {
        TablePlan plan = p.plan();
        long t0 = System.nanoTime();
        progress.accept(plan.name() + ": reading source " + p.sourceTable() + " (" + p.sourceParts().size()
                + " partitions) and target " + p.targetTable() + " (" + p.targetParts().size() + " partitions)");
        Dataset<Row> s = canonical(src, p.sourceTable(), plan, true, p.sourceParts());
        Dataset<Row> t = canonical(tgt, p.targetTable(), plan, false, p.targetParts());
        try {
            // Both sides are read (and their canonical rows cached) at once: the profiles are independent jobs.
            SideProfiler profiler = new SideProfiler();
            CompletableFuture<SideProfile> target = CompletableFuture.supplyAsync(() -> guarded(tgt,
                    p.targetTable(), () -> profiler.profile(t, plan, false, p.targetTable().toString(),
                            p.targetParts().size(), p.targetParts().method(), readExpressions(tgt, plan, false))));
            SideProfile sp;
            try {
                sp = guarded(src, p.sourceTable(), () -> profiler.profile(s, plan, true,
                        p.sourceTable().toString(), p.sourceParts().size(), p.sourceParts().method(),
                        readExpressions(src, plan, true)));
            } catch (RuntimeException sourceFailed) {
                spark.sparkContext().cancelAllJobs(); // the run fails; do not leave the target read going
                target.exceptionally(ignored -> null).join();
                throw sourceFailed;
            }
            SideProfile tp = joined(target);
            progress.accept(plan.name() + ": " + sp.rows() + " source rows, " + tp.rows() + " target rows read in "
                    + seconds(t0) + "; comparing by key");
            DiffResult d = new KeyDiff().diff(s, t, plan, config.options().sampleSize(), planWriter == null ? null
                    : diffs -> planWriter.write(plan, p.sourceTable(), p.targetTable(), diffs, t));
            GroupCounter groups = new GroupCounter();
            TableReport.Groups batches = plan.batchIndex() < 0 ? null
                    : groups.byBatch(s, t, plan, config.options().maxGroups());
            TableReport.Groups windows = plan.timeIndex() < 0 ? null
                    : groups.byWindow(s, t, plan, config.options().maxGroups());
            TableReport report = TableReportAssembler.assemble(plan, sp, tp, d, batches, windows);
            progress.accept(plan.name() + ": " + report.status() + " (missing " + d.missing() + ", extra "
                    + d.extra() + ", changed " + d.changed() + ", duplicate keys "
                    + (d.duplicates().sourceKeys() + d.duplicates().targetKeys()) + ") in " + seconds(t0));
            return report;
        } finally {
            s.unpersist();
            t.unpersist();
        }
    }

    private Dataset<Row> canonical(Endpoint e, TableRef table, TablePlan plan, boolean source, PartitionPlan parts) {
        Dataset<Row> read = new SideReader().read(spark, e, table, plan, source, parts);
        List<ColumnRule> rules = plan.columns().stream().map(c -> source ? c.sourceRule() : c.targetRule()).toList();
        return read.mapPartitions(new CanonicalRows(rules, plan.keyCount(), plan.timeIndex(), plan.windowMicros()),
                        Encoders.row(CanonicalRows.schema(read.schema(), plan.keyCount())))
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    private static List<String> readExpressions(Endpoint e, TablePlan plan, boolean source) {
        return plan.columns().stream().map(c -> e.dialect().readExpression(source ? c.source() : c.target(),
                (source ? c.sourceRule() : c.targetRule()).kind())).toList();
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static <T> T guarded(Endpoint e, TableRef table, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (TallyError err) {
            throw err;
        } catch (RuntimeException err) {
            Throwable root = TallyError.rootCause(err);
            throw new TallyError("reading " + e.role() + " table " + table + " from " + e.describe() + " failed: "
                    + e.scrub(root.getMessage()) + "; nothing was reported as consistent", err);
        }
    }

    private static String seconds(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
