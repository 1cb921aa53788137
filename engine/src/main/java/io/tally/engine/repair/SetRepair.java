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
                        ? new PlanRow(r.getString(0), r.length() > 3 && "dedupe".equals(r.getString(3)) ? "dedupe"
                        : "delete", null, r.getString(1), r.getList(2), null)
                        : new PlanRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getList(4),
                        r.length() > 5 ? r.getString(5) : null);
            }
        };
    }

    /** A numbered batch of one table's set. */
    private record Batch(PlanManifest.PlannedTable table, BatchRepair.Target target, String set, int no,
                         List<PlanRow> rows) {
    }

    /** Running counts of one table's set, across the first pass and the retries of deferred batches. */
    private static final class Counts {
        long planned;
        long applied;
        long already;
        long conflicts;
        long forced;
        long batches;
        long fromLedger;
    }

    private final Map<String, Counts> counts = new LinkedHashMap<>();
    private final List<Batch> deferred = new ArrayList<>();
    private final List<SQLException> deferredCauses = new ArrayList<>();

    /** Applies one set: every batch not already in the ledger, on {@code --parallel} connections. */
    void run(PlanManifest.PlannedTable t, BatchRepair.Target target, PlanManifest.PlanSet set, String setName,
             Map<String, List<RepairReport.ConflictSample>> conflicts, Map<String, List<String>> statements) {
        Counts c = counts.computeIfAbsent(t.name() + "/" + setName, k -> new Counts());
        c.planned = set.rows();
        if (set.rows() == 0) {
            return;
        }
        c.batches = (set.rows() + o.batchSize() - 1) / o.batchSize();
        progress.accept(t.name() + ": " + (o.dryRun() ? "checking " : "applying ") + set.rows() + " " + setName
                + "(s) in " + c.batches + " batch(es) of up to " + o.batchSize());
        Iterator<PlanRow> rows = rows(spark, plan.set(set), setName.equals("delete"));
        Iterator<Batch> batches = new Iterator<>() {
            int next;
            Batch pending;

            public boolean hasNext() {
                while (pending == null && rows.hasNext()) {
                    List<PlanRow> batch = new ArrayList<>(o.batchSize());
                    while (rows.hasNext() && batch.size() < o.batchSize()) {
                        batch.add(rows.next());
                    }
                    int no = next++;
                    Ledger.Entry done = recorded.get(Ledger.id(t.name(), setName, no));
                    if (done != null && done.conflicts() == 0) {
                        c.fromLedger++;
                        c.already += batch.size();
                    } else {
                        pending = new Batch(t, target, setName, no, batch);
                    }
                }
                return pending != null;
            }

            public Batch next() {
                Batch b = pending;
                pending = null;
                return b;
            }
        };
        apply(batches, o.parallel(), conflicts, statements);
        progress.accept(t.name() + ": " + setName + "s " + (o.dryRun() ? "would apply " : "applied ") + c.applied
                + ", already done " + c.already + ", conflicts " + c.conflicts
                + (c.fromLedger > 0 ? " (" + c.fromLedger + " batch(es) done by an earlier run)" : "")
                + deferredNote(t.name(), setName));
    }

    private String deferredNote(String table, String set) {
        long n = deferred.stream().filter(b -> b.table().name().equals(table) && b.set().equals(set)).count();
        return n == 0 ? "" : "; " + n + " batch(es) deferred by a constraint, retried after the deletes";
    }

    /**
     * Retries the batches a constraint refused (a child before its parent in a self-referencing table, a row
     * colliding with one the plan deletes), one at a time, for as long as each pass gets some through.
     */
    void retryDeferred(Map<String, List<RepairReport.ConflictSample>> conflicts, Map<String, List<String>> statements) {
        while (!deferred.isEmpty()) {
            List<Batch> again = new ArrayList<>(deferred);
            deferred.clear();
            deferredCauses.clear();
            progress.accept("retrying " + again.size() + " batch(es) a constraint refused before");
            apply(again.iterator(), 1, conflicts, statements);
            if (deferred.size() == again.size()) {
                SQLException cause = deferredCauses.get(0);
                Batch b = deferred.get(0);
                throw new TallyError("repairing " + b.table().name() + " (" + b.set() + ", batch " + b.no()
                        + ") is refused by a constraint of the target: " + tgt.scrub(cause.getMessage())
                        + "; committed batches are in the ledger, fix the data or constraint and run the same "
                        + "command again", cause);
            }
        }
    }

    RepairReport.SetResult result(String table, String set) {
        Counts c = counts.getOrDefault(table + "/" + set, new Counts());
        return new RepairReport.SetResult(c.planned, c.applied, c.already, c.conflicts, c.forced, c.batches,
                c.fromLedger);
    }

    private void apply(Iterator<Batch> batches, int parallel, Map<String, List<RepairReport.ConflictSample>> conflicts,
                       Map<String, List<String>> statements) {
        List<Connection> connections = new ArrayList<>();
        ThreadLocal<Connection> conn = ThreadLocal.withInitial(() -> {
            Connection c = tgt.connectForWrites();
            try {
                c.setAutoCommit(false);
                // Row locks only: with MySQL's default REPEATABLE READ, FOR UPDATE on absent keys takes gap locks
                // that make parallel batches deadlock; absent keys are guarded by do-nothing inserts instead.
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            } catch (SQLException e) {
                closeQuietly(c);
                throw new TallyError("cannot start a transaction on the target: " + tgt.scrub(e.getMessage()), e);
            }
            synchronized (connections) {
                connections.add(c);
            }
            return c;
        });
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        Semaphore inFlight = new Semaphore(2 * parallel);
        List<Future<BatchOutcome>> futures = new ArrayList<>();
        List<Batch> submitted = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            while (!failed.get() && batches.hasNext()) {
                Batch b = batches.next();
                BatchRepair repair = new BatchRepair(b.target(), o.force(), o.dryRun(), o.dryRun() ? 3 : 0);
                inFlight.acquireUninterruptibly();
                submitted.add(b);
                futures.add(pool.submit(() -> {
                    try {
                        return failed.get() ? null : withRetries(conn.get(), repair, b);
                    } catch (SQLException | RuntimeException e) {
                        failed.set(true); // stop handing out batches; the ones in flight finish or fail alone
                        throw e;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<BatchOutcome> f : futures) {
                f.get(); // the first failure, in batch order, surfaces here
            }
            for (int i = 0; i < futures.size(); i++) {
                tally(submitted.get(i), futures.get(i).get(), conflicts, statements);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof TallyError te ? te : new TallyError("repairing failed: "
                    + tgt.scrub(TallyError.rootCause(cause).getMessage())
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

    private void tally(Batch b, BatchOutcome out, Map<String, List<RepairReport.ConflictSample>> conflicts,
                       Map<String, List<String>> statements) {
        if (out == null) {
            return; // deferred
        }
        Counts c = counts.get(b.table().name() + "/" + b.set());
        c.applied += out.applied();
        c.already += out.already();
        c.forced += out.forced();
        c.conflicts += out.conflicts().size();
        List<RepairReport.ConflictSample> samples = conflicts.computeIfAbsent(b.table().name(), k -> new ArrayList<>());
        for (BatchOutcome.Conflict x : out.conflicts()) {
            if (samples.size() < o.sampleSize()) {
                samples.add(new RepairReport.ConflictSample(b.set(), display(x.row(), b.table()), x.row().expected(),
                        x.found()));
            }
        }
        statements.computeIfAbsent(b.table().name(), k -> new ArrayList<>()).addAll(out.statements());
    }

    /** Applies a batch, retrying deadlocks; a constraint violation defers the batch (returns null). */
    private BatchOutcome withRetries(Connection c, BatchRepair repair, Batch b) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return repair.apply(c, b.rows(), (tx, out) -> ledger.record(tx, planId, new Ledger.Entry(
                        b.table().name(), b.set(), b.no(), o.batchSize(), out.applied(), out.already(),
                        out.conflicts().size())));
            } catch (SQLException e) {
                c.rollback();
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (state.startsWith("23")) {
                    synchronized (deferred) {
                        deferred.add(b);
                        deferredCauses.add(e);
                    }
                    return null;
                }
                if (!state.startsWith("40") || attempt == RETRIES) {
                    throw e;
                }
                progress.accept(b.table().name() + ": batch " + b.no() + " hit a deadlock, a serialization failure "
                        + "or a row that changed under it (SQLState " + state + "); retrying (" + attempt + "/"
                        + RETRIES + ")");
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
        try (c) {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; nothing uncommitted survives it
        }
    }
}
