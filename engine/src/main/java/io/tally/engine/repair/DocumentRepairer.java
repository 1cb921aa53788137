package io.tally.engine.repair;

import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.tally.engine.TallyError;
import io.tally.engine.TallyVersion;
import io.tally.engine.config.EndpointConfig;
import io.tally.engine.model.TableRef;
import io.tally.engine.plan.PlanFiles;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.source.mongo.MongoEndpoint;
import org.apache.spark.sql.SparkSession;
import org.bson.BsonDocument;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The repair flow for a MongoDB target: the same plan, guards, ledger and re-verification as the relational
 * repair, with {@link DocumentBatch} writing through the driver ({@code bulkWrite}, unordered, majority write
 * concern; the driver retries a write once on a transient error, as retryable writes do). Batches run one at a
 * time: {@code bulkWrite} already sends a batch's writes together.
 */
final class DocumentRepairer {

    private static final String WRITE_MODE = "bulkWrite, unordered, w: majority: $setOnInsert upserts for absent keys, "
            + "$set/$unset by _id, deletes by _id";

    private final SparkSession spark;
    private final Consumer<String> progress;

    DocumentRepairer(SparkSession spark, Consumer<String> progress) {
        this.spark = spark;
        this.progress = progress;
    }

    RepairReport repair(PlanFiles.Loaded plan, Repairer.Options o, EndpointConfig srcConfig, EndpointConfig tgtConfig) {
        Instant started = Instant.now();
        PlanManifest m = plan.manifest();
        MongoEndpoint tgt = MongoEndpoint.resolve("target", tgtConfig);
        for (PlanManifest.PlannedTable t : m.tables()) {
            if (t.documents() == null || t.target().schema() == null) {
                throw new TallyError("plan table " + t.name() + " was not planned for a MongoDB target; regenerate "
                        + "the plan with verify --plan against this target");
            }
        }
        try (MongoClient client = tgt.client()) {
            TableRef ledgerRef = o.ledger() != null ? TableRef.parse(o.ledger())
                    : new TableRef(m.tables().get(0).target().schema(), Ledger.DEFAULT_NAME);
            if (ledgerRef.schema() == null) {
                throw new TallyError("--ledger " + o.ledger() + " needs a database: write it as database.collection");
            }
            DocumentLedger ledger = new DocumentLedger(client.getDatabase(ledgerRef.schema())
                    .getCollection(ledgerRef.name(), BsonDocument.class).withWriteConcern(WriteConcern.MAJORITY));
            Map<String, Ledger.Entry> recorded = o.dryRun() ? Map.of() : ledger.recorded(m.ledgerId());
            Ledger.checkResume(m, recorded, o.batchSize(), ledger.name(), progress);
            Map<String, RepairReport.SetResult> results = new LinkedHashMap<>();
            Map<String, List<RepairReport.ConflictSample>> conflicts = new LinkedHashMap<>();
            Map<String, List<String>> statements = new LinkedHashMap<>();
            for (String name : m.upsertOrder()) {
                run(client, m, m.table(name), "upsert", ledger, recorded, o, results, conflicts, statements, plan);
            }
            for (String name : m.deleteOrder()) {
                run(client, m, m.table(name), "delete", ledger, recorded, o, results, conflicts, statements, plan);
            }
            List<RepairReport.TableResult> tables = new ArrayList<>();
            boolean all = true;
            for (PlanManifest.PlannedTable t : m.tables()) {
                RepairReport.Verification v = o.dryRun() ? null
                        : new Reverifier(spark, srcConfig, tgtConfig, o.batchSize(), o.sampleSize()).verify(plan, t);
                if (v != null) {
                    progress.accept(t.name() + ": re-verified " + v.keysChecked() + " planned key(s), "
                            + v.keysMatching() + " match; documents source " + v.sourceRows() + ", target "
                            + v.targetRows() + (v.matches() ? " - MATCHES" : " - DOES NOT MATCH"));
                    all &= v.matches();
                }
                tables.add(new RepairReport.TableResult(t.name(), t.target().toString(), WRITE_MODE,
                        results.get(t.name() + "/upsert"), results.get(t.name() + "/delete"), List.of(),
                        conflicts.getOrDefault(t.name(), List.of()), v, statements.getOrDefault(t.name(), List.of())));
            }
            String status = o.dryRun() ? RepairReport.DRY_RUN : all ? RepairReport.REPAIRED : RepairReport.NOT_REPAIRED;
            return new RepairReport("tally", TallyVersion.get(), m.planId(), m.job(), status, o.dryRun(), o.force(),
                    o.batchSize(), ledger.name(), started.toString(), Instant.now().toString(), tables);
        } catch (MongoException e) {
            throw new TallyError("repairing on " + tgt.describe() + " failed: " + tgt.scrub(e.getMessage())
                    + "; recorded batches are in the ledger, fix the cause and run the same command again", e);
        }
    }

    private void run(MongoClient client, PlanManifest m, PlanManifest.PlannedTable t, String setName,
                     DocumentLedger ledger, Map<String, Ledger.Entry> recorded, Repairer.Options o,
                     Map<String, RepairReport.SetResult> results, Map<String, List<RepairReport.ConflictSample>> conflicts,
                     Map<String, List<String>> statements, PlanFiles.Loaded plan) {
        PlanManifest.PlanSet set = setName.equals("upsert") ? t.upserts() : t.deletes();
        long applied = 0;
        long already = 0;
        long conflicted = 0;
        long forced = 0;
        long fromLedger = 0;
        long batches = (set.rows() + o.batchSize() - 1) / o.batchSize();
        if (set.rows() > 0) {
            progress.accept(t.name() + ": " + (o.dryRun() ? "checking " : "applying ") + set.rows() + " " + setName
                    + "(s) in " + batches + " batch(es) of up to " + o.batchSize());
            MongoCollection<BsonDocument> c = client.getDatabase(t.target().schema())
                    .getCollection(t.target().name(), BsonDocument.class).withWriteConcern(WriteConcern.MAJORITY);
            DocumentBatch writer = new DocumentBatch(DocumentStates.of(c, t, false), t, o.force(), o.dryRun(),
                    o.dryRun() ? 3 : 0);
            Iterator<PlanRow> rows = SetRepair.rows(spark, plan.set(set), setName.equals("delete"));
            List<RepairReport.ConflictSample> samples = conflicts.computeIfAbsent(t.name(), k -> new ArrayList<>());
            for (int no = 0; rows.hasNext(); no++) {
                List<PlanRow> batch = new ArrayList<>(o.batchSize());
                while (rows.hasNext() && batch.size() < o.batchSize()) {
                    batch.add(rows.next());
                }
                Ledger.Entry done = recorded.get(Ledger.id(t.name(), setName, no));
                if (done != null && done.conflicts() == 0) {
                    fromLedger++;
                    already += batch.size();
                    continue;
                }
                BatchOutcome out = writer.apply(batch);
                applied += out.applied();
                already += out.already();
                forced += out.forced();
                conflicted += out.conflicts().size();
                for (BatchOutcome.Conflict x : out.conflicts()) {
                    if (samples.size() < o.sampleSize()) {
                        samples.add(new RepairReport.ConflictSample(setName, SetRepair.display(x.row(), t),
                                x.row().expected(), x.found()));
                    }
                }
                statements.computeIfAbsent(t.name(), k -> new ArrayList<>()).addAll(out.statements());
                if (!o.dryRun()) {
                    ledger.record(m.ledgerId(), new Ledger.Entry(t.name(), setName, no, o.batchSize(), out.applied(),
                            out.already(), out.conflicts().size()));
                }
            }
            progress.accept(t.name() + ": " + setName + "s " + (o.dryRun() ? "would apply " : "applied ") + applied
                    + ", already done " + already + ", conflicts " + conflicted
                    + (fromLedger > 0 ? " (" + fromLedger + " batch(es) done by an earlier run)" : ""));
        }
        results.put(t.name() + "/" + setName, new RepairReport.SetResult(set.rows(), applied, already, conflicted,
                forced, batches, fromLedger));
    }
}
