package io.tally.engine.repair;

import io.tally.engine.TallyError;
import io.tally.engine.TallyVersion;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.TableRef;
import io.tally.engine.model.TableSchema;
import io.tally.engine.plan.PlanFiles;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.source.Endpoint;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The repair flow: check the plan's content and the live target (same columns and types as planned), open or
 * create the ledger, apply upserts parent tables first and deletes child tables first (each set in guarded
 * batches, see {@link SetRepair}), retry the batches a constraint deferred, move sequences past the new maxima,
 * then re-verify every planned key and both table counts.
 */
public final class Repairer {

    /**
     * Command-line choices. {@code ledger} overrides where the ledger table lives (schema.name); {@code endpoints},
     * when set, replaces the plan's connection settings (e.g. a writer role for the target) for the same servers.
     */
    public record Options(int batchSize, int parallel, boolean force, boolean dryRun, String ledger, int sampleSize,
                          io.tally.engine.config.JobConfig endpoints) {

        public Options(int batchSize, int parallel, boolean force, boolean dryRun, String ledger, int sampleSize) {
            this(batchSize, parallel, force, dryRun, ledger, sampleSize, null);
        }
    }

    private final SparkSession spark;
    private final Consumer<String> progress;

    public Repairer(SparkSession spark, Consumer<String> progress) {
        this.spark = spark;
        this.progress = progress;
    }

    public RepairReport repair(PlanFiles.Loaded plan, Options o) {
        Instant started = Instant.now();
        PlanManifest m = plan.manifest();
        PlanFiles.checkContent(spark, plan);
        io.tally.engine.config.EndpointConfig srcConfig = endpoint(m.source(), o, true);
        io.tally.engine.config.EndpointConfig tgtConfig = endpoint(m.target(), o, false);
        if (tgtConfig.isDocument()) {
            return new DocumentRepairer(spark, progress).repair(plan, o, srcConfig, tgtConfig);
        }
        Endpoint tgt = Endpoint.resolve("target", tgtConfig);
        Map<String, BatchRepair.Target> targets = new LinkedHashMap<>();
        Ledger ledger;
        Map<String, Ledger.Entry> recorded;
        try (Connection c = tgt.connectForWrites()) {
            for (PlanManifest.PlannedTable t : m.tables()) {
                targets.put(t.name(), new BatchRepair.Target(SideAccess.of(tgt.dialect(), t, false), uniqueKey(c, tgt, t),
                        tgt.dialect().writeShape(c, t.target())));
            }
            ledger = new Ledger(tgt.dialect(), ledgerTable(o, m, tgt, c));
            if (!o.dryRun()) {
                ledger.create(c);
            }
            c.setAutoCommit(false);
            recorded = ledger.recorded(c, m.ledgerId(), o.dryRun());
            c.rollback();
        } catch (SQLException e) {
            throw new TallyError("preparing the repair on the target failed: " + tgt.scrub(e.getMessage())
                    + "; check that " + tgt.describe() + " is reachable and the user may write", e);
        }
        Ledger.checkResume(m, recorded, o.batchSize(), ledger.table().toString(), progress);
        if (o.parallel() > tgtConfig.parallelConnections()) { // the target's max_connections caps the writers
            progress.accept("--parallel " + o.parallel() + " lowered to " + tgtConfig.parallelConnections()
                    + " by target.max_connections");
            o = new Options(o.batchSize(), tgtConfig.parallelConnections(), o.force(), o.dryRun(), o.ledger(),
                    o.sampleSize(), o.endpoints());
        }
        SetRepair sets = new SetRepair(spark, plan, tgt, ledger, recorded, m.ledgerId(), o, progress);
        Map<String, List<RepairReport.ConflictSample>> conflicts = new LinkedHashMap<>();
        Map<String, List<String>> statements = new LinkedHashMap<>();
        Map<String, List<String>> sequences = new LinkedHashMap<>();
        try {
            for (String name : m.upsertOrder()) {
                PlanManifest.PlannedTable t = m.table(name);
                sets.run(t, targets.get(name), t.upserts(), "upsert", conflicts, statements);
            }
            for (String name : m.deleteOrder()) {
                PlanManifest.PlannedTable t = m.table(name);
                sets.run(t, targets.get(name), t.deletes(), "delete", conflicts, statements);
            }
            sets.retryDeferred(conflicts, statements);
        } finally {
            // Committed upserts need their sequences moved even when a later step fails.
            for (String name : m.upsertOrder()) {
                PlanManifest.PlannedTable t = m.table(name);
                boolean due = t.upserts().rows() > 0 || m.sequences().contains(name);
                sequences.put(name, o.dryRun() || !due ? List.of() : advance(tgt, t));
            }
        }
        List<RepairReport.TableResult> results = new ArrayList<>();
        boolean all = true;
        for (PlanManifest.PlannedTable t : m.tables()) {
            RepairReport.Verification v = o.dryRun() ? null
                    : new Reverifier(spark, srcConfig, tgtConfig, o.batchSize(), o.sampleSize()).verify(plan, t);
            if (v != null) {
                progress.accept(t.name() + ": re-verified " + v.keysChecked() + " planned key(s), " + v.keysMatching()
                        + " match; rows source " + v.sourceRows() + ", target " + v.targetRows()
                        + (v.matches() ? " - MATCHES" : " - DOES NOT MATCH"));
                all &= v.matches();
            }
            results.add(new RepairReport.TableResult(t.name(), t.target().toString(),
                    targets.get(t.name()).uniqueKey() ? "upsert on the key's unique index"
                            : "delete and insert by key (no unique index on the key)",
                    sets.result(t.name(), "upsert"), sets.result(t.name(), "delete"), sequences.getOrDefault(t.name(), List.of()),
                    conflicts.getOrDefault(t.name(), List.of()), v, statements.getOrDefault(t.name(), List.of())));
        }
        String status = o.dryRun() ? RepairReport.DRY_RUN : all ? RepairReport.REPAIRED : RepairReport.NOT_REPAIRED;
        return new RepairReport("tally", TallyVersion.get(), m.planId(), m.job(), status, o.dryRun(), o.force(),
                o.batchSize(), ledger.table().toString(), started.toString(), Instant.now().toString(), results);
    }

    /** The plan's endpoint, or the one from {@code --config} when it names the same server and database. */
    static io.tally.engine.config.EndpointConfig endpoint(io.tally.engine.config.EndpointConfig planned,
                                                                   Options o, boolean source) {
        if (o.endpoints() == null) {
            return planned;
        }
        var given = source ? o.endpoints().source() : o.endpoints().target();
        String role = source ? "source" : "target";
        if (!given.urlWithoutParameters().equals(planned.urlWithoutParameters())) {
            throw new TallyError("--config " + role + ".url " + given.urlWithoutParameters() + " is not the server the plan was "
                    + "made for (" + planned.urlWithoutParameters() + "); use the plan's own settings or regenerate the plan");
        }
        return given;
    }

    private List<String> advance(Endpoint tgt, PlanManifest.PlannedTable t) {
        try (Connection c = tgt.connectForWrites()) {
            List<String> moved = tgt.dialect().advanceSequences(c, t.target());
            moved.forEach(s -> progress.accept(t.name() + ": sequence " + s));
            return moved;
        } catch (SQLException e) {
            throw new TallyError("moving the sequences of target table " + t.target() + " failed: "
                    + tgt.scrub(e.getMessage()) + "; the rows are repaired, set the sequence by hand", e);
        }
    }

    /** Checks the live target table against the plan and tells whether a unique index covers exactly the key. */
    private static boolean uniqueKey(Connection c, Endpoint tgt, PlanManifest.PlannedTable t) throws SQLException {
        TableSchema live = tgt.dialect().describe(c, t.target());
        if (live.columns().isEmpty()) {
            throw new TallyError("target table " + t.target() + " (plan table " + t.name() + ") no longer exists in "
                    + tgt.describe() + "; re-create it or regenerate the plan with verify --plan");
        }
        for (ColumnPair p : t.columns()) {
            ColumnInfo now = live.columns().stream().filter(x -> x.name().equals(p.target().name())).findFirst()
                    .orElse(null);
            if (now == null || !now.nativeType().equals(p.target().nativeType())) {
                throw new TallyError("target table " + t.target() + " changed since the plan: column "
                        + p.target().name() + " was " + p.target().nativeType() + " and is now "
                        + (now == null ? "gone" : now.nativeType()) + "; regenerate the plan with verify --plan");
            }
        }
        var keys = new HashSet<>(t.columns().subList(0, t.keyCount()).stream().map(p -> p.target().name()).toList());
        return tgt.dialect().uniqueKeys(c, t.target()).stream().anyMatch(u -> new HashSet<>(u).equals(keys));
    }

    private static TableRef ledgerTable(Options o, PlanManifest m, Endpoint tgt, Connection c) throws SQLException {
        if (o.ledger() != null) {
            return TableRef.parse(o.ledger());
        }
        String schema = m.tables().get(0).target().schema();
        return new TableRef(schema != null ? schema : tgt.dialect().currentSchema(c), Ledger.DEFAULT_NAME);
    }
}
