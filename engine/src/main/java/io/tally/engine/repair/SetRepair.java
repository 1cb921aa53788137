package io.tally.engine.repair;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.source.Endpoint;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Applies one plan set of one table: streams its rows in key order from Parquet, cuts them into numbered
 * batches, skips the batches the ledger holds without conflicts, and runs the rest on {@code parallel} target
 * connections (keys are disjoint between batches, so batches of one table never touch the same row). A
 * deadlock or serialization failure retries the batch; any other failure stops the run with exit 2, leaving
 * every committed batch recorded for the next run.
 */
final class SetRepair {

    private static final int RETRIES = 5;

    private final SparkSession spark;
    private final io.tally.engine.plan.PlanFiles.Loaded plan;
    private final Endpoint tgt;
    private final Ledger ledger;
    private final Map<String, Ledger.Entry> recorded;
    private final String planId;
    private final Repairer.Options o;
    private final Consumer<String> progress;

    SetRepair(SparkSession spark, io.tally.engine.plan.PlanFiles.Loaded plan, Endpoint tgt, Ledger ledger, Map<String, Ledger.Entry> recorded, String planId,
              Repairer.Options o, Consumer<String> progress) {
        this.spark = spark;
        this.plan = plan;
        this.tgt = tgt;
        this.ledger = ledger;
        this.recorded = recorded;
        this.planId = planId;
        this.o = o;
        this.progress = progress;
    }

    /** Iterates a set's rows as plan rows, in key order. */
    static Iterator<PlanRow> rows(SparkSession spark, java.nio.file.Path dir, boolean delete) {
        Iterator<Row> it = spark.read().parquet(dir.toString()).orderBy("key").toLocalIterator();
        return new Iterator<>() {
            public boolean hasNext() {
                return it.hasNext();
            }

            public PlanRow next() {
                Row r = it.next();
                return delete
                        ? new PlanRow(r.getString(0), "delete", null, r.getString(1), r.getList(2))
                        : new PlanRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getList(4));
            }
        };
    }

    RepairReport.SetResult run(PlanManifest.PlannedTable t, BatchRepair.Target target, PlanManifest.PlanSet set,
                               String setName, Map<String, List<RepairReport.ConflictSample>> conflicts,
                               Map<String, List<String>> statements) {
        long planned = set.rows();
        if (planned == 0) {
            return new RepairReport.SetResult(0, 0, 0, 0, 0, 0, 0);
        }
        long batches = (planned + o.batchSize() - 1) / o.batchSize();
        progress.accept(t.name() + ": " + (o.dryRun() ? "checking " : "applying ") + planned + " " + setName
                + "(s) in " + batches + " batch(es) of up to " + o.batchSize());
        BatchRepair repair = new BatchRepair(target, o.force(), o.dryRun(), o.dryRun() ? 3 : 0);
        List<Connection> connections = new ArrayList<>();
        ThreadLocal<Connection> conn = ThreadLocal.withInitial(() -> {
            Connection c = tgt.connectForWrites();
            try {
                c.setAutoCommit(false);
                // Row locks only: with MySQL's default REPEATABLE READ, FOR UPDATE on absent keys takes gap locks
                // that make parallel batches deadlock; absent keys are guarded by do-nothing inserts instead.
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            } catch (SQLException e) {
                throw new TallyError("cannot start a transaction on the target: " + tgt.scrub(e.getMessage()), e);
            }
            synchronized (connections) {
                connections.add(c);
            }
            return c;
        });
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, o.parallel()));
        Semaphore inFlight = new Semaphore(2 * Math.max(1, o.parallel()));
        List<Future<BatchOutcome>> futures = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        long fromLedger = 0;
        long ledgerKeys = 0;
        try {
            Iterator<PlanRow> it = rows(spark, plan.set(set), setName.equals("delete"));
            int batchNo = 0;
            while (it.hasNext() && !failed.get()) {
                List<PlanRow> batch = new ArrayList<>(o.batchSize());
                while (it.hasNext() && batch.size() < o.batchSize()) {
                    batch.add(it.next());
                }
                int no = batchNo++;
                Ledger.Entry done = recorded.get(Ledger.id(t.name(), setName, no));
                if (done != null && done.conflicts() == 0) {
                    fromLedger++;
                    ledgerKeys += batch.size();
                    continue;
                }
                inFlight.acquireUninterruptibly();
                futures.add(pool.submit(() -> {
                    try {
                        return failed.get() ? null : withRetries(conn.get(), repair, batch, t.name(), setName, no);
                    } catch (SQLException | RuntimeException e) {
                        failed.set(true); // stop handing out batches; the ones in flight finish or fail alone
                        throw e;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            long applied = 0;
            long already = ledgerKeys;
            long forced = 0;
            long conflictCount = 0;
            List<RepairReport.ConflictSample> samples = conflicts.computeIfAbsent(t.name(), k -> new ArrayList<>());
            for (Future<BatchOutcome> f : futures) {
                f.get(); // the first failure, in batch order, surfaces here
            }
            for (Future<BatchOutcome> f : futures) {
                BatchOutcome b = f.get();
                applied += b.applied();
                already += b.already();
                forced += b.forced();
                conflictCount += b.conflicts().size();
                for (BatchOutcome.Conflict c : b.conflicts()) {
                    if (samples.size() < o.sampleSize()) {
                        samples.add(new RepairReport.ConflictSample(setName, display(c.row(), t), c.row().expected(),
                                c.found()));
                    }
                }
                statements.computeIfAbsent(t.name(), k -> new ArrayList<>()).addAll(b.statements());
            }
            progress.accept(t.name() + ": " + setName + "s " + (o.dryRun() ? "would apply " : "applied ") + applied
                    + ", already done " + already + ", conflicts " + conflictCount
                    + (fromLedger > 0 ? " (" + fromLedger + " batch(es) done by an earlier run)" : ""));
            return new RepairReport.SetResult(planned, applied, already, conflictCount, forced, batches, fromLedger);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof TallyError te ? te : new TallyError("repairing " + t.name() + " (" + setName
                    + ") failed: " + tgt.scrub(TallyError.rootCause(cause).getMessage())
                    + "; committed batches are in the ledger, fix the cause and run the same command again", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TallyError("repair interrupted; run the same command again to resume", e);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (connections) {
                connections.forEach(SetRepair::closeQuietly);
            }
        }
    }

    private BatchOutcome withRetries(Connection c, BatchRepair repair, List<PlanRow> batch, String table, String set,
                                     int no) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return repair.apply(c, batch, (tx, out) -> ledger.record(tx, planId, new Ledger.Entry(table, set, no,
                        o.batchSize(), out.applied(), out.already(), out.conflicts().size())));
            } catch (SQLException e) {
                c.rollback();
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (!state.startsWith("40") || attempt == RETRIES) {
                    throw e;
                }
                progress.accept(table + ": batch " + no + " hit a deadlock or serialization failure (SQLState "
                        + state + "); retrying (" + attempt + "/" + RETRIES + ")");
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException e2) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static Map<String, String> display(PlanRow r, PlanManifest.PlannedTable t) {
        Map<String, String> key = new LinkedHashMap<>();
        for (int k = 0; k < t.keyCount(); k++) {
            key.put(t.columns().get(k).name(), CanonicalForm.display(r.tokens().get(k)));
        }
        return key;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.rollback();
            c.close();
        } catch (SQLException ignored) {
            // the connection is gone; nothing uncommitted survives it
        }
    }
}
