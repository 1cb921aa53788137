package io.tally.engine.verify;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.model.TableRef;
import io.tally.engine.source.Dialect;
import io.tally.engine.source.KeyPartitioner;
import io.tally.engine.source.PartitionPlan;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads chosen keys of one table whole on a relational side, through the same read (session, snapshot, canonical
 * rules) as the table's own read. A narrowed read (a canary's {@code where} or batch, an incremental audit's
 * watermark) can see a key on one side only because the other side's row falls outside its condition; once the
 * recheck has found that key on both sides, both rows are read by key and compared as a changed row, so the plan
 * upserts it rather than deleting a row the source holds (docs/live-systems.md).
 */
final class KeyReads {

    /** Keys per read predicate: one {@code IN} list or {@code OR} of key equalities. */
    static final int PER_PREDICATE = 500;

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

    /** The canonical rows of {@code keys} (canonical key tokens, key columns in order) on one side. */
    Dataset<Row> read(boolean fromSource, List<List<String>> keys) {
        JdbcSide side = fromSource ? source : target;
        PartitionPlan parts = new PartitionPlan(predicates(side.endpoint().dialect(), fromSource, keys),
                keys.size() + " key(s) read again whole").cappedAt(side.readers());
        return side.canonical(spark, fromSource ? sourceTable : targetTable, plan, fromSource, parts, false);
    }

    /**
     * After the keys' rows were compared: refuses them, as the table's own read, when a read connection saw another
     * snapshot or the table was truncated or rewritten since the snapshot was taken (see {@link JdbcSide#read}).
     */
    void checkReads() {
        source.read(sourceTable);
        target.read(targetTable);
    }

    /** Predicates over the read's raw key aliases, each naming up to {@value #PER_PREDICATE} keys by literal. */
    List<String> predicates(Dialect d, boolean fromSource, List<List<String>> keys) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += PER_PREDICATE) {
            List<String> terms = new ArrayList<>();
            for (List<String> key : keys.subList(i, Math.min(keys.size(), i + PER_PREDICATE))) {
                List<String> eq = new ArrayList<>();
                for (int k = 0; k < plan.keyCount(); k++) {
                    ColumnPair c = plan.keys().get(k);
                    String alias = k == 0 ? KeyPartitioner.KEY_ALIAS : "tally_k" + k;
                    String text = CanonicalForm.display(key.get(k));
                    eq.add(alias + " = " + d.literal(text, fromSource ? c.source() : c.target()));
                }
                terms.add(eq.size() == 1 ? eq.get(0) : "(" + String.join(" AND ", eq) + ")");
            }
            out.add(String.join(" OR ", terms));
        }
        return out;
    }
}
