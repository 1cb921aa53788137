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
    record Result(DiffResult diff, Recheck recheck) {
    }

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
                    + "judge; every difference is reported"));
        }
        List<Rechecker.Key> keys = new ArrayList<>();
        long[] differing = {0};
        DiffResult first = keyDiff.diff(source, target, plan, sampleSize, null,
                diffs -> differing[0] = collect(diffs, plan, config.maxKeys(), keys));
        if (differing[0] > config.maxKeys()) {
            return new Result(planner == null ? first
                    : keyDiff.diff(source, target, plan, sampleSize, plans(planner, target)),
                    skipped(config, differing[0] + " differing keys exceed recheck.max_keys (" + config.maxKeys()
                            + "); every difference is reported as drift"));
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
        if (outcome.resolved().isEmpty() && held.isEmpty() && planner == null) {
            return new Result(first, outcome.report());
        }
        List<String> out = new ArrayList<>(outcome.resolved());
        held.forEach(k -> out.add(k.key()));
        Dataset<Row> gone = spark.createDataset(out, Encoders.STRING()).toDF("__gone");
        Dataset<Row> s = source.join(broadcast(gone), col("__key").equalTo(col("__gone")), "left_anti");
        Dataset<Row> t = target.join(broadcast(gone), col("__key").equalTo(col("__gone")), "left_anti");
        if (held.isEmpty()) {
            return new Result(keyDiff.diff(s, t, plan, sampleSize, plans(planner, t)), outcome.report());
        }
        // keys on both sides that one side's condition left out: both rows, read whole by key, compare as changed
        progress.accept(plan.name() + ": " + held.size() + " differing key(s) are held by both sides but were "
                + "selected on one side only; reading both rows by key to compare them whole");
        List<List<String>> tokens = held.stream().map(Rechecker.Key::tokens).toList();
        Dataset<Row> heldKeys = spark.createDataset(held.stream().map(Rechecker.Key::key).toList(), Encoders.STRING())
                .toDF("__held");
        Dataset<Row> sHeld = keyReads.read(true, tokens);
        Dataset<Row> tHeld = keyReads.read(false, tokens);
        try {
            // a collation may match other spellings of a key: only the rows of the keys asked for join the diff
            Dataset<Row> sAll = s.unionByName(sHeld.join(broadcast(heldKeys), col("__key").equalTo(col("__held")),
                    "left_semi"));
            Dataset<Row> tAll = t.unionByName(tHeld.join(broadcast(heldKeys), col("__key").equalTo(col("__held")),
                    "left_semi"));
            DiffResult d = keyDiff.diff(sAll, tAll, plan, sampleSize, plans(planner, tAll));
            keyReads.checkReads();
            return new Result(d, outcome.report());
        } finally {
            sHeld.unpersist();
            tHeld.unpersist();
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
