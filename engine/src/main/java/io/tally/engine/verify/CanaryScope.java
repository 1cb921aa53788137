package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.config.Canary;
import io.tally.engine.model.LogicalType;
import io.tally.engine.report.SideProfile;
import io.tally.engine.report.TableReport;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one table a canary run compares (docs/live-systems.md): each side's SQL filter from the table's
 * {@code where}, key range and batch, and the deterministic sample. The sample keeps a key when the first 32 bits of
 * an MD5 of the key fall below the fraction's share of 2<sup>32</sup>; between two relational sides with integer keys
 * each database computes it on the key's decimal text (only the sample is read), otherwise Spark computes it on the
 * canonical key after reading every row. Either way both sides keep the same keys.
 */
final class CanaryScope {

    private static final double SPAN = 4_294_967_296d;

    /**
     * @param sourceFilter SQL condition for the source read, null for none (likewise {@code targetFilter})
     * @param byContent    the subset depends on more than the key: differing keys are read again whole by key
     * @param sparkBound   the sample bound Spark applies to the canonical key, or null
     */
    record Narrowed(String sourceFilter, String targetFilter, boolean byContent, Long sparkBound,
                    Canary.TableSubset subset, String sample, String sampleMethod) {

        boolean any() {
            return subset.any() || sample != null;
        }

        /** {@code rows} without the keys outside the sample, when Spark draws it. */
        Dataset<Row> sampled(Dataset<Row> rows) {
            return sparkBound == null ? rows : rows.filter(bucket(functions.col("__key")).lt(sparkBound));
        }

        /**
         * The report's account of the subset; a subset of tables holding rows that compared none on either side
         * stops the run (a mistyped condition must not pass as CONSISTENT).
         */
        TableReport.Subset report(String table, SideProfile source, SideProfile target, VerifySide.RowTotal sourceTotal,
                                  VerifySide.RowTotal targetTotal) {
            if (source.rows() == 0 && target.rows() == 0 && sourceTotal.rows() + targetTotal.rows() > 0) {
                throw new TallyError(table + ": the canary compared no rows, though the tables hold " + sourceTotal.rows()
                        + " and " + targetTotal.rows() + "; check its where, key range and batch, or raise the sample");
            }
            double coverage = sourceTotal.rows() == 0 ? 1 : Math.min(1, (double) source.rows() / sourceTotal.rows());
            return new TableReport.Subset(subset.where(), subset.targetWhere() != null ? subset.targetWhere()
                    : subset.where(), subset.keyFrom(), subset.keyTo(), subset.batch(), sample, sampleMethod,
                    source.rows(), target.rows(), sourceTotal.rows(), targetTotal.rows(),
                    sourceTotal.estimated() || targetTotal.estimated(), coverage);
        }
    }

    private CanaryScope() {
    }

    static Narrowed of(Canary canary, TablePlan plan, VerifySide src, VerifySide tgt, String at) {
        Canary.TableSubset subset = canary.table(plan.name());
        String where = at + " (" + plan.name() + ")";
        if (subset.any() && !(src instanceof JdbcSide && tgt instanceof JdbcSide)) {
            throw new TallyError(where + ": a canary's where, key range and batch narrow relational reads, and a side "
                    + "is MongoDB; use --sample alone for this table");
        }
        List<String> s = new ArrayList<>();
        List<String> t = new ArrayList<>();
        if (subset.where() != null) {
            s.add("(" + subset.where() + ")");
            t.add("(" + (subset.targetWhere() != null ? subset.targetWhere() : subset.where()) + ")");
        } else if (subset.targetWhere() != null) {
            t.add("(" + subset.targetWhere() + ")");
        }
        ColumnPair key = plan.keys().get(0);
        if (subset.keyFrom() != null) {
            s.add(bound((JdbcSide) src, key.source(), ">=", subset.keyFrom()));
            t.add(bound((JdbcSide) tgt, key.target(), ">=", subset.keyFrom()));
        }
        if (subset.keyTo() != null) {
            s.add(bound((JdbcSide) src, key.source(), "<", subset.keyTo()));
            t.add(bound((JdbcSide) tgt, key.target(), "<", subset.keyTo()));
        }
        if (subset.batch() != null) {
            ColumnPair batch = plan.columns().get(plan.batchIndex());
            s.add(bound((JdbcSide) src, batch.source(), "=", subset.batch()));
            t.add(bound((JdbcSide) tgt, batch.target(), "=", subset.batch()));
        }
        Long sparkBound = null;
        String method = null;
        if (canary.sample() != null) {
            long bound = (long) Math.floor(canary.fraction() * SPAN);
            boolean inSql = src instanceof JdbcSide && tgt instanceof JdbcSide && plan.keys().stream()
                    .allMatch(k -> k.source().type() == LogicalType.INTEGER && k.target().type() == LogicalType.INTEGER);
            if (inSql) {
                var sd = ((JdbcSide) src).endpoint().dialect();
                var td = ((JdbcSide) tgt).endpoint().dialect();
                s.add(sd.keyHash32(plan.keys().stream().map(k -> sd.quote(k.source().name())).toList()) + " < " + bound);
                t.add(td.keyHash32(plan.keys().stream().map(k -> td.quote(k.target().name())).toList()) + " < " + bound);
                method = "in each database: md5 of the integer key's decimal text (each database still scans the "
                        + "table; only the sample is sent to Spark)";
            } else {
                sparkBound = bound;
                method = "in Spark: md5 of the canonical key; every row was read, the sample compared";
            }
        }
        // text bounds: the two engines' collations may order a key differently, so such a key is read again by key
        boolean integerKey = key.source().type() == LogicalType.INTEGER && key.target().type() == LogicalType.INTEGER;
        boolean byContent = subset.byContent() || (!integerKey && (subset.keyFrom() != null || subset.keyTo() != null));
        return new Narrowed(s.isEmpty() ? null : String.join(" AND ", s), t.isEmpty() ? null : String.join(" AND ", t),
                byContent, sparkBound, subset, canary.sample(), method);
    }

    /** Both conditions, either may be null. */
    static String and(String a, String b) {
        return a == null ? b : b == null ? a : "(" + a + ") AND (" + b + ")";
    }

    private static String bound(JdbcSide side, io.tally.engine.model.ColumnInfo column, String op, String text) {
        var d = side.endpoint().dialect();
        return d.quote(column.name()) + " " + op + " " + d.literal(text, column);
    }

    private static Column bucket(Column key) {
        return functions.conv(functions.substring(functions.md5(key.cast("binary")), 1, 8), 16, 10).cast("long");
    }
}
