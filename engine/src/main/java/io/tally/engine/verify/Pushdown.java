package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.model.LogicalType;
import io.tally.engine.model.TableRef;
import io.tally.engine.source.Endpoint;
import io.tally.engine.source.KeyPartitioner;
import io.tally.engine.source.PartitionPlan;
import io.tally.engine.source.pushdown.SqlTokens;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Pushdown: both databases compute, in one grouped scan each (split into parallel Spark tasks by key range), a
 * count and checksums of the canonical row hashes per segment of about {@code segment_rows} rows; equal segments
 * are done, differing ones (or ones holding a duplicated key) are merged into contiguous key ranges and only those
 * are read row by row for the normal diff. Fine segments from the start cost one scan whatever the drift looks
 * like: scattered drift (one row in 400) would keep a bisection splitting and re-reading every range. Needs a
 * one-column integer key and every compared column canonicalizable in SQL on both sides.
 */
final class Pushdown {

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
        if (plan.config().dedupe() != null) {
            return "a dedupe rule ranks every source row";
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
                int parallelism, int maxTasks) {
        KeySpan sr = span(src, sref, plan.keys().get(0).source().name(), plan.source().primaryKey());
        KeySpan tr = span(tgt, tref, plan.keys().get(0).target().name(), plan.target().primaryKey());
        long lo = Math.min(sr.min(), tr.min());
        long max = Math.max(sr.max(), tr.max());
        List<String> fetch = new ArrayList<>(List.of(KeyPartitioner.KEY_ALIAS + " IS NULL"));
        if (lo > max) {
            return new Outcome(new PartitionPlan(fetch, "pushdown: both sides empty"), sr.nullKeys(), tr.nullKeys(), 0, 0, 0, null, null);
        }
        long span;
        if (max == Long.MAX_VALUE) {
            return null; // no exclusive upper bound exists: the caller reads the table whole
        }
        try {
            span = Math.addExact(Math.subtractExact(max, lo), 1);
        } catch (ArithmeticException tooWide) {
            return null; // the key range does not fit in 63 bits: the caller reads the table whole
        }
        long rows = Math.max(1, Math.max(sr.estimate(), tr.estimate()));
        long width = Math.max(1, (long) Math.ceil((double) span * segmentRows / rows));
        long segments = (span + width - 1) / width;
        int tasks = (int) Math.max(1, Math.min(Math.min(4L * parallelism, maxTasks), segments)); // max_connections
        long perTask = (segments + tasks - 1) / tasks * width;
        List<Segment> chunks = new ArrayList<>();
        for (long at = lo; ; at += perTask) {
            if (at > max - perTask + 1) {
                chunks.add(new Segment(at, max + 1));
                break;
            }
            chunks.add(new Segment(at, at + perTask));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaPairRDD<Long, Segment.Sums> a = checksums(src, sref, plan, true, lo, width, sr.unique()).compute(jsc, chunks).cache();
        JavaPairRDD<Long, Segment.Sums> b = checksums(tgt, tref, plan, false, lo, width, tr.unique()).compute(jsc, chunks).cache();
        try {
            long t0 = System.nanoTime();
            CompletableFuture<Long> targetRows = CompletableFuture.supplyAsync(() -> {
                long r = b.values().map(Segment.Sums::rows).fold(0L, Long::sum);
                progress.accept(plan.name() + ": target segments aggregated in " + Verifier.seconds(t0));
                return r;
            });
            long sourceRows = a.values().map(Segment.Sums::rows).fold(0L, Long::sum);
            progress.accept(plan.name() + ": source segments aggregated in " + Verifier.seconds(t0));
            long tRows = targetRows.join();
            List<Long> differing = new ArrayList<>(a.fullOuterJoin(b).filter(j -> !j._2()._1().isPresent()
                    || !j._2()._2().isPresent() || !j._2()._1().get().equals(j._2()._2().get())
                    || j._2()._1().get().duplicated()).keys().collect());
            java.util.Collections.sort(differing);
            List<Segment> ranges = new ArrayList<>();
            for (long i : differing) {
                long from = lo + i * width;
                long to = Math.min(max, from + width - 1) + 1;
                Segment last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
                if (last != null && last.hi() == from) {
                    ranges.set(ranges.size() - 1, new Segment(last.lo(), to));
                } else {
                    ranges.add(new Segment(from, to));
                }
            }
            progress.accept(plan.name() + ": pushdown compared " + segments + " segment(s) of " + width + " key(s) in "
                    + "the databases; " + differing.size() + " differ, read as " + ranges.size() + " range(s); "
                    + Verifier.seconds(t0));
            for (int i = 0; i < ranges.size(); i += RANGES_PER_READ) {
                List<String> or = ranges.subList(i, Math.min(ranges.size(), i + RANGES_PER_READ)).stream()
                        .map(g -> "(" + g.predicate(KeyPartitioner.KEY_ALIAS) + ")").toList();
                fetch.add(String.join(" OR ", or));
            }
            return new Outcome(new PartitionPlan(fetch, "pushdown: " + ranges.size() + " differing key range(s) read"),
                    sourceRows + sr.nullKeys(), tRows + tr.nullKeys(), segments, 1, ranges.size(), Long.toString(lo),
                    Long.toString(max));
        } finally {
            a.unpersist();
            b.unpersist();
        }
    }

    private static SegmentChecksums checksums(JdbcSide side, TableRef table, TablePlan plan, boolean source, long lo,
                                              long width, boolean keyUnique) {
        Endpoint e = side.endpoint();
        var d = e.dialect();
        List<String> tokens = plan.columns().stream().map(p -> {
            var col = source ? p.source() : p.target();
            return d.sqlTokens().token(d.quote(col.name()), col, source ? p.sourceRule() : p.targetRule());
        }).toList();
        var key = source ? plan.keys().get(0).source() : plan.keys().get(0).target();
        return new SegmentChecksums(e, side.session(), side.exportedSnapshot(), d.qualified(table), d.quote(key.name()),
                tokens, lo, width, keyUnique);
    }

    /**
     * A side's first key column: its range (min > max when empty), the table's estimated rows, the rows whose key
     * is NULL, and whether a primary key or unique index on that column alone rules out duplicates.
     */
    private record KeySpan(long min, long max, long estimate, long nullKeys, boolean unique) {
    }

    /** Read in the side's snapshot: segments must cover the key range the segment queries will see. */
    private static KeySpan span(JdbcSide side, TableRef table, String key, List<String> primaryKey) {
        Endpoint e = side.endpoint();
        var d = e.dialect();
        String k = d.quote(key);
        try (Connection c = side.readConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MIN(" + k + "), MAX(" + k + "), (SELECT COUNT(*) FROM "
                     + d.qualified(table) + " WHERE " + k + " IS NULL) FROM " + d.qualified(table))) {
            rs.next();
            boolean empty = rs.getObject(1) == null;
            long estimate = Math.max(0, d.estimateRows(c, table));
            // PostgreSQL enforces every unique index; MySQL lets duplicates into a secondary one under unique_checks=0
            boolean unique = d.name().equals("postgresql")
                    ? d.uniqueKeys(c, table).stream().anyMatch(u -> u.equals(List.of(key)))
                    : primaryKey.equals(List.of(key)); // as planning read it: no second catalog read
            return new KeySpan(empty ? Long.MAX_VALUE : rs.getLong(1), empty ? Long.MIN_VALUE : rs.getLong(2), estimate,
                    rs.getLong(3), unique);
        } catch (SQLException ex) {
            String why = ReadFailures.timeout(ex.getMessage());
            throw new TallyError("reading the key range of " + table + " on the " + e.role() + " failed: "
                    + e.scrub(ex.getMessage()) + (why != null ? "; " + why : ""), ex);
        }
    }
}
