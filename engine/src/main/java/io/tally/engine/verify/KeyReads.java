package io.tally.engine.verify;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.model.TableRef;
import io.tally.engine.source.Dialect;
import io.tally.engine.source.KeyPartitioner;
import io.tally.engine.source.PartitionPlan;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

/**
 * Reads chosen keys of one table whole on a relational side, through the same read session and canonical rules as the
 * table's own read (on PostgreSQL in the run's exported snapshot; on MySQL each connection opens a new consistent
 * snapshot, so these rows are as of now). A narrowed read (a canary's {@code where} or batch, an incremental audit's
 * watermark) can see a key on one side only because the other side's row falls outside its condition; once the
 * recheck has found that key on both sides, both rows are read by key and compared whole (a changed row, or equal
 * when they agree as read), so the plan updates it rather than deleting a row the source holds. A key that a side
 * does not return keeps the rows the narrowed read saw (docs/live-systems.md).
 */
final class KeyReads {

    /** Keys per read predicate: one {@code IN} list of keys (row values for a composite key). */
    static final int PER_PREDICATE = 500;

    /**
     * The rows of the keys that both sides returned when read by key ({@code keys}; only those keys' rows), and
     * how many of the keys asked for a side did not return ({@code unread}: a key type without an exact literal, or
     * a row gone since). {@link #close} releases the reads' cached rows.
     */
    record Whole(Dataset<Row> source, Dataset<Row> target, List<String> keys, int unread, List<Dataset<Row>> cached)
            implements AutoCloseable {

        static Whole none() {
            return new Whole(null, null, List.of(), 0, List.of());
        }

        @Override
        public void close() {
            cached.forEach(Dataset::unpersist);
        }
    }

    private final SparkSession spark;
    private final JdbcSide source;
    private final JdbcSide target;
    private final TableRef sourceTable;
    private final TableRef targetTable;
    private final TablePlan plan;

    private KeyReads(SparkSession spark, JdbcSide source, JdbcSide target, TableRef sourceTable, TableRef targetTable,
                     TablePlan plan) {
        this.spark = spark;
        this.source = source;
        this.target = target;
        this.sourceTable = sourceTable;
        this.targetTable = targetTable;
        this.plan = plan;
    }

    /** The key reader of a table, or null when a side is not relational (a collection keeps its one-sided rows). */
    static KeyReads of(SparkSession spark, VerifySide src, VerifySide tgt, TableRef sourceTable, TableRef targetTable,
                       TablePlan plan) {
        return src instanceof JdbcSide s && tgt instanceof JdbcSide t
                ? new KeyReads(spark, s, t, sourceTable, targetTable, plan) : null;
    }

    /**
     * Reads {@code held} whole on both sides and keeps the keys both sides returned. Checks the reads as the table's
     * own (snapshot, storage generation) before anything is compared.
     */
    Whole readWhole(List<Rechecker.Key> held, java.util.function.Consumer<String> progress) {
        progress.accept(plan.name() + ": " + held.size() + " differing key(s) are held by both sides but were "
                + "selected on one side only; reading both rows by key to compare them whole");
        List<List<String>> tokens = held.stream().map(Rechecker.Key::tokens).toList();
        Dataset<Row> sRead = read(true, tokens);
        Dataset<Row> tRead = read(false, tokens);
        List<Dataset<Row>> cached = List.of(sRead, tRead);
        try {
            // each side's keys on their own: a join of the two could skip reading one side when the other is empty,
            // and every read connection must have reported its snapshot before checkReads. A collation may match
            // other spellings of a key: only the keys asked for count
            java.util.Set<String> asked = new java.util.HashSet<>(held.stream().map(Rechecker.Key::key).toList());
            asked.retainAll(new java.util.HashSet<>(keysOf(sRead)));
            List<String> both = keysOf(tRead).stream().filter(asked::contains).distinct().toList();
            checkReads();
            Dataset<Row> found = spark.createDataset(both, Encoders.STRING()).toDF("__found");
            return new Whole(sRead.join(broadcast(found), col("__key").equalTo(col("__found")), "left_semi"),
                    tRead.join(broadcast(found), col("__key").equalTo(col("__found")), "left_semi"), both,
                    held.size() - both.size(), cached);
        } catch (RuntimeException e) {
            cached.forEach(Dataset::unpersist);
            throw e;
        }
    }

    /** The canonical rows of {@code keys} (canonical key tokens, key columns in order) on one side. */
    Dataset<Row> read(boolean fromSource, List<List<String>> keys) {
        JdbcSide side = fromSource ? source : target;
        PartitionPlan parts = new PartitionPlan(predicates(side.endpoint().dialect(), fromSource, keys),
                keys.size() + " key(s) read again whole").cappedAt(side.readers());
        return side.canonical(spark, fromSource ? sourceTable : targetTable, plan, fromSource, parts, false);
    }

    private static List<String> keysOf(Dataset<Row> rows) {
        return rows.select(col("__key")).as(Encoders.STRING()).collectAsList();
    }

    /**
     * After the keys' rows were read: refuses them, as the table's own read, when a read connection saw another
     * snapshot or the table was truncated or rewritten since the snapshot was taken (see {@link JdbcSide#read}).
     */
    private void checkReads() {
        source.read(sourceTable);
        target.read(targetTable);
    }

    /** Predicates over the read's raw key aliases, each an {@code IN} list of up to {@value #PER_PREDICATE} keys. */
    List<String> predicates(Dialect d, boolean fromSource, List<List<String>> keys) {
        List<String> aliases = new ArrayList<>();
        for (int k = 0; k < plan.keyCount(); k++) {
            aliases.add(k == 0 ? KeyPartitioner.KEY_ALIAS : "tally_k" + k);
        }
        String lhs = aliases.size() == 1 ? aliases.get(0) : "(" + String.join(", ", aliases) + ")";
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += PER_PREDICATE) {
            List<String> values = new ArrayList<>();
            for (List<String> key : keys.subList(i, Math.min(keys.size(), i + PER_PREDICATE))) {
                List<String> literals = new ArrayList<>();
                for (int k = 0; k < plan.keyCount(); k++) {
                    ColumnPair c = plan.keys().get(k);
                    literals.add(d.literal(CanonicalForm.display(key.get(k)), fromSource ? c.source() : c.target()));
                }
                values.add(literals.size() == 1 ? literals.get(0) : "(" + String.join(", ", literals) + ")");
            }
            out.add(lhs + " IN (" + String.join(", ", values) + ")");
        }
        return out;
    }
}
