package io.tally.engine.verify;

import io.tally.engine.config.RecheckConfig;
import io.tally.engine.report.Recheck;
import io.tally.engine.repair.KeyStates;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.slice;

/**
 * A table's diff with its differences read again by key (docs/audits.md). The first diff runs on the rows as read;
 * its differing keys go to the {@link Rechecker}; the keys found in flight are then taken out of both sides' cached
 * rows and the diff runs once more, so counts, per-column differences, samples and the plan hold only what
 * persisted. A narrowed read's key that the rechecks found on both sides (one side's row fell outside its condition)
 * is compared whole: both rows are read by key ({@link KeyReads}) in place of the one-sided row, so it counts as
 * changed, with its differing columns, not as missing or extra. Without rechecks (and outside a narrowed read) this
 * is the plain diff.
 */
final class RecheckedDiff {

    /** The diff to report, and the rechecks' account (null when none were asked for). */
    record Result(DiffResult diff, Recheck recheck, List<String> warnings) {

        Result(DiffResult diff, Recheck recheck) {
            this(diff, recheck, List.of());
        }
    }

    /** What a narrowed read whose differing keys were not confirmed by key leaves open, for the table's warnings. */
    private static final String UNCONFIRMED = "a missing or extra key may be a row that one side's condition left out "
            + "(its row exists there); check such keys with a verify that is not narrowed before repairing from the plan";

    private final SparkSession spark;
    private final Consumer<String> progress;
    private final RecheckPause sleeper;
    private final KeyDiff keyDiff;

    RecheckedDiff(SparkSession spark, Consumer<String> progress, RecheckPause sleeper, KeyDiff keyDiff) {
        this.spark = spark;
        this.progress = progress;
        this.sleeper = sleeper;
        this.keyDiff = keyDiff;
    }

    /**
     * @param confirm  a narrowed read (an incremental audit, a canary's condition): every differing key is read
     *                 whole at once before any wait
     * @param planner  writes the plan from the final diff's differences and the target rows it compared
     * @param open     opens a side's key reader ({@code true}: source)
     * @param keyReads reads keys whole in Spark, for the keys a narrowed read saw on one side only although both
     *                 sides hold them; null where a side is not relational
     */
    Result diff(Dataset<Row> source, Dataset<Row> target, TablePlan plan, int sampleSize, RecheckConfig config,
                boolean confirm, BiConsumer<Dataset<Row>, Dataset<Row>> planner, Function<Boolean, KeyStates> open,
                KeyReads keyReads) {
        if (!config.enabled() && !confirm) {
            return new Result(keyDiff.diff(source, target, plan, sampleSize, plans(planner, target)), null);
        }
        if (plan.config().dedupe() != null) {
            DiffResult d = keyDiff.diff(source, target, plan, sampleSize, plans(planner, target));
            return new Result(d, skipped(config, "a dedupe rule sets source rows aside, which a read by key cannot "
                    + "judge; every difference is reported"), confirm ? List.of("the differing keys of this narrowed "
                    + "read were not read again by key (a dedupe rule): " + UNCONFIRMED) : List.of());
        }
        List<Rechecker.Key> keys = new ArrayList<>();
        long[] differing = {0};
        DiffResult first = keyDiff.diff(source, target, plan, sampleSize, null,
                diffs -> differing[0] = collect(diffs, plan, config.maxKeys(), keys));
        if (differing[0] > config.maxKeys()) {
            return new Result(planner == null ? first
                    : keyDiff.diff(source, target, plan, sampleSize, plans(planner, target)),
                    skipped(config, differing[0] + " differing keys exceed recheck.max_keys (" + config.maxKeys()
                            + "); every difference is reported as drift"), confirm ? List.of("the " + differing[0]
                    + " differing keys of this narrowed read exceed recheck.max_keys and were not read again by key: "
                    + UNCONFIRMED) : List.of());
        }
        if (keys.isEmpty()) { // nothing to read again: no connections
            return new Result(planner == null ? first
                    : keyDiff.diff(source, target, plan, sampleSize, plans(planner, target)),
                    new Recheck(config.generations(), config.delaySeconds(), 0, 0, 0, List.of(), List.of(), null));
        }
        Rechecker.Outcome outcome;
        try (KeyStates s = open.apply(true); KeyStates t = open.apply(false)) {
            outcome = new Rechecker(progress, sleeper).run(plan.name(), keys, config.generations(),
                    config.delaySeconds(), confirm, s, t, plan.keys().stream().map(k -> k.name()).toList(), sampleSize);
        }
        List<Rechecker.Key> held = confirm && keyReads != null
                ? outcome.held().stream().filter(Rechecker.Key::oneSided).toList() : List.of();
        try (KeyReads.Whole whole = held.isEmpty() ? KeyReads.Whole.none() : keyReads.readWhole(held, progress)) {
            List<String> warnings = whole.unread() == 0 ? List.of() : List.of(whole.unread() + " differing key(s) "
                    + "that both sides hold could not be read back whole on both (a key type without an exact literal, "
                    + "or rows that changed since): they stay counted as the narrowed read saw them; " + UNCONFIRMED);
            if (outcome.resolved().isEmpty() && whole.keys().isEmpty() && planner == null) {
                return new Result(first, outcome.report(), warnings);
            }
            List<String> out = new ArrayList<>(outcome.resolved());
            out.addAll(whole.keys());
            Dataset<Row> gone = spark.createDataset(out, Encoders.STRING()).toDF("__gone");
            Dataset<Row> s = source.join(broadcast(gone), col("__key").equalTo(col("__gone")), "left_anti");
            Dataset<Row> t = target.join(broadcast(gone), col("__key").equalTo(col("__gone")), "left_anti");
            // keys both sides hold that one side's condition left out: their rows, read whole by key, in place
            Dataset<Row> sAll = whole.keys().isEmpty() ? s : s.unionByName(whole.source());
            Dataset<Row> tAll = whole.keys().isEmpty() ? t : t.unionByName(whole.target());
            return new Result(keyDiff.diff(sAll, tAll, plan, sampleSize, plans(planner, tAll)), outcome.report(),
                    warnings);
        }
    }

    /** The plan writer of one diff: its differences with the target rows it compared (for duplicate keys' states). */
    private static Consumer<Dataset<Row>> plans(BiConsumer<Dataset<Row>, Dataset<Row>> planner, Dataset<Row> target) {
        return planner == null ? null : diffs -> planner.accept(diffs, target);
    }

    /**
     * Collects up to {@code max} differing keys. Rows whose key has a NULL cannot be read by key, and a duplicated
     * key is a finding whatever its rows hold: both always persist.
     */
    private static long collect(Dataset<Row> diffs, TablePlan plan, int max, List<Rechecker.Key> into) {
        Dataset<Row> open = diffs.filter(col("kind").notEqual("equal")
                .and(not(col("key").startsWith(CanonicalRows.NULL_KEY_PREFIX)))
                .and(coalesce(col("s_n"), lit(1L)).leq(1)).and(coalesce(col("t_n"), lit(1L)).leq(1)));
        long n = open.count();
        if (n <= max) {
            for (Row r : open.select(col("key"), slice(coalesce(col("s_vals"), col("t_vals")), 1, plan.keyCount()),
                    col("s_n").isNull().or(col("t_n").isNull())).collectAsList()) {
                into.add(new Rechecker.Key(r.getString(0), r.getList(1), r.getBoolean(2)));
            }
        }
        return n;
    }

    private static Recheck skipped(RecheckConfig config, String why) {
        return new Recheck(config.generations(), config.delaySeconds(), 0, 0, 0, List.of(), List.of(), why);
    }
}
