package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.model.LogicalType;
import io.tally.engine.model.TableRef;
import io.tally.engine.source.Endpoint;
import io.tally.engine.source.KeyPartitioner;
import io.tally.engine.source.PartitionPlan;
import io.tally.engine.source.pushdown.SqlTokens;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Pushdown: both databases compute per key-range segment a count and checksums of the canonical row hashes;
 * equal segments are done, differing ones (or ones holding a duplicated key) are split eightfold and compared
 * again until each holds at most {@code fetchRows} rows on either side, and only those ranges are read row by row
 * for the normal diff. Needs a one-column integer key and every compared column canonicalizable in SQL on both
 * sides.
 */
final class Pushdown {

    static final int SPLIT = 8;
    /** Ranges per read predicate: the fetched ranges are OR-ed together into a bounded number of read tasks. */
    static final int RANGES_PER_READ = 200;

    /** What pushdown found: the read plan for the differing ranges, and the counts the reads will not see. */
    record Outcome(PartitionPlan fetch, long sourceRows, long targetRows, long segmentsCompared, int rounds,
                   int rangesFetched, String keyMin, String keyMax) {
    }

    private final SparkSession spark;
    private final Consumer<String> progress;

    Pushdown(SparkSession spark, Consumer<String> progress) {
        this.spark = spark;
        this.progress = progress;
    }

    /** Why this table cannot be pushed down, or null when it can. */
    static String unsupported(TablePlan plan, VerifySide src, VerifySide tgt) {
        if (!(src instanceof JdbcSide s) || !(tgt instanceof JdbcSide t)) {
            return "a side is not a relational database";
        }
        if (plan.batchIndex() >= 0 || plan.timeIndex() >= 0) {
            return "batch_column and time_column count every row";
        }
        if (plan.keyCount() > 1) {
            return "the key has " + plan.keyCount() + " columns (pushdown splits and counts by one integer key)";
        }
        ColumnPair k = plan.keys().get(0);
        if (k.source().type() != LogicalType.INTEGER || k.target().type() != LogicalType.INTEGER) {
            return "the first key column " + k.name() + " is not an integer on both sides";
        }
        List<String> missing = new ArrayList<>();
        for (boolean source : new boolean[]{true, false}) {
            SqlTokens tokens = (source ? s : t).endpoint().dialect().sqlTokens();
            for (ColumnPair p : plan.columns()) {
                var col = source ? p.source() : p.target();
                var rule = source ? p.sourceRule() : p.targetRule();
                if (tokens == null || tokens.token("x", col, rule) == null) {
                    missing.add(SqlTokens.reason(col, rule, (source ? s : t).endpoint().dialect().name()));
                }
            }
        }
        return missing.isEmpty() ? null : String.join("; ", missing);
    }

    /** Runs pushdown for one table; null when its key range is too wide to split (read it whole instead). */
    Outcome run(TablePlan plan, JdbcSide src, JdbcSide tgt, TableRef sref, TableRef tref, int segmentRows,
                int fetchRows, int parallelism) {
        long[] sr = range(src.endpoint(), sref, plan.keys().get(0).source().name());
        long[] tr = range(tgt.endpoint(), tref, plan.keys().get(0).target().name());
        long lo = Math.min(sr[0], tr[0]);
        long max = Math.max(sr[1], tr[1]);
        List<String> fetch = new ArrayList<>(List.of(KeyPartitioner.KEY_ALIAS + " IS NULL"));
        if (lo > max) {
            return new Outcome(new PartitionPlan(fetch, "pushdown: both sides empty"), 0, 0, 0, 0, 0, null, null);
        }
        try {
            Math.subtractExact(max, lo);
        } catch (ArithmeticException tooWide) {
            return null; // the key range does not fit in 63 bits: the caller reads the table whole
        }
        long hi = max == Long.MAX_VALUE ? max : max + 1; // a key of Long.MAX_VALUE is fetched with the NULL keys
        if (max == Long.MAX_VALUE) {
            fetch.add(KeyPartitioner.KEY_ALIAS + " = " + Long.MAX_VALUE);
        }
        long rows = Math.max(sr[2], tr[2]);
        int n = (int) Math.max(1, Math.min(4096, rows / Math.max(1, segmentRows)));
        List<Segment> segments = split(new Segment(lo, hi), n);
        SegmentChecksums s = checksums(src, sref, plan, true);
        SegmentChecksums t = checksums(tgt, tref, plan, false);
        long sourceRows = 0;
        long targetRows = 0;
        long compared = 0;
        int rounds = 0;
        List<Segment> leaves = new ArrayList<>();
        while (!segments.isEmpty()) {
            rounds++;
            List<Segment> round = segments;
            CompletableFuture<Map<Integer, Segment.Sums>> targetSums =
                    CompletableFuture.supplyAsync(() -> t.compute(spark, round, parallelism));
            Map<Integer, Segment.Sums> ss = s.compute(spark, round, parallelism);
            Map<Integer, Segment.Sums> ts = targetSums.join();
            compared += round.size();
            List<Segment> next = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                Segment.Sums a = ss.get(i);
                Segment.Sums b = ts.get(i);
                if (rounds == 1) {
                    sourceRows += a.rows();
                    targetRows += b.rows();
                }
                if (a.equals(b) && !a.duplicated()) {
                    continue;
                }
                Segment seg = round.get(i);
                if (Math.max(a.rows(), b.rows()) <= fetchRows || seg.width() <= 1) {
                    leaves.add(seg);
                } else {
                    next.addAll(split(seg, SPLIT));
                }
            }
            progress.accept(plan.name() + ": pushdown round " + rounds + ": " + round.size() + " segment(s) compared in "
                    + "the databases, " + (next.size() / SPLIT) + " split, " + leaves.size() + " range(s) to read so far");
            segments = next;
        }
        for (int i = 0; i < leaves.size(); i += RANGES_PER_READ) {
            List<String> or = leaves.subList(i, Math.min(leaves.size(), i + RANGES_PER_READ)).stream()
                    .map(g -> "(" + g.predicate(KeyPartitioner.KEY_ALIAS) + ")").toList();
            fetch.add(String.join(" OR ", or));
        }
        return new Outcome(new PartitionPlan(fetch, "pushdown: " + leaves.size() + " differing key range(s) read"),
                sourceRows + sr[3], targetRows + tr[3], compared, rounds, leaves.size(),
                Long.toString(Math.min(sr[0], tr[0])), Long.toString(max));
    }

    private static SegmentChecksums checksums(JdbcSide side, TableRef table, TablePlan plan, boolean source) {
        Endpoint e = side.endpoint();
        var d = e.dialect();
        List<String> tokens = plan.columns().stream().map(p -> {
            var col = source ? p.source() : p.target();
            return d.sqlTokens().token(d.quote(col.name()), col, source ? p.sourceRule() : p.targetRule());
        }).toList();
        var key = source ? plan.keys().get(0).source() : plan.keys().get(0).target();
        return new SegmentChecksums(e, d.qualified(table), d.quote(key.name()), tokens);
    }

    /** {@code [min, max, rows (estimate), rows with a NULL key]} of a side's first key column. */
    private static long[] range(Endpoint e, TableRef table, String key) {
        var d = e.dialect();
        String k = d.quote(key);
        try (Connection c = e.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MIN(" + k + "), MAX(" + k + "), (SELECT COUNT(*) FROM "
                     + d.qualified(table) + " WHERE " + k + " IS NULL) FROM " + d.qualified(table))) {
            rs.next();
            boolean empty = rs.getObject(1) == null;
            long estimate = Math.max(0, d.estimateRows(c, table));
            return new long[]{empty ? Long.MAX_VALUE : rs.getLong(1), empty ? Long.MIN_VALUE : rs.getLong(2), estimate,
                    rs.getLong(3)};
        } catch (SQLException ex) {
            throw new TallyError("reading the key range of " + table + " on the " + e.role() + " failed: "
                    + e.scrub(ex.getMessage()), ex);
        }
    }

    /** {@code s} cut into at most {@code n} ranges of (nearly) equal width. */
    static List<Segment> split(Segment s, int n) {
        List<Segment> out = new ArrayList<>();
        long width = s.width();
        int parts = (int) Math.max(1, Math.min(n, width));
        long step = width / parts;
        long extra = width % parts;
        long at = s.lo();
        for (int i = 0; i < parts; i++) {
            long next = at + step + (i < extra ? 1 : 0);
            out.add(new Segment(at, next));
            at = next;
        }
        return out;
    }
}
