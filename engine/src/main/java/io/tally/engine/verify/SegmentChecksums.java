package io.tally.engine.verify;

import io.tally.engine.source.Dialect;
import io.tally.engine.source.Endpoint;
import io.tally.engine.source.pushdown.SqlTokens;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;

/**
 * One side's segment aggregates, computed inside the database by parallel Spark tasks: each task opens one JDBC
 * connection and, for each key range it is given, runs one grouped query over the canonical row hash the dialect
 * computes in SQL: per segment of {@code width} keys, {@code COUNT(*)}, {@code COUNT(DISTINCT key)} (skipped when a
 * primary key or unique index already makes it the row count: it costs a sort) and the sum of the first 64 bits
 * of the row hashes (summing both halves would make MySQL and PostgreSQL hash every row twice). The result stays
 * in Spark (one small row per segment); the driver sees only what differs.
 */
final class SegmentChecksums implements Serializable {

    private final String url;
    private final Properties properties;
    private final String driverClass;
    private final io.tally.engine.source.ReadSession session;
    /** The exported snapshot the segment queries must read, or null. */
    private final String snapshot;
    private final String sql;

    SegmentChecksums(Endpoint endpoint, io.tally.engine.source.ReadSession session, String snapshot, String qualifiedTable, String quotedKey, List<String> tokenExpressions, long lo,
                     long width, boolean keyUnique) {
        Dialect d = endpoint.dialect();
        SqlTokens tokens = d.sqlTokens();
        this.url = endpoint.url();
        this.properties = endpoint.connectionProperties();
        this.driverClass = d.driverClass();
        this.session = session; // in the side's snapshot: every round compares the same picture
        this.snapshot = snapshot;
        String segment = tokens.segmentOf("k", lo, width);
        this.sql = "SELECT " + segment + ", COUNT(*), " + (keyUnique ? "COUNT(*)" : "COUNT(DISTINCT k)") + ", SUM("
                + tokens.first64("h") + ") FROM (SELECT " + quotedKey + " AS k, " + tokens.rowHash(tokenExpressions)
                + " AS h FROM " + qualifiedTable + " WHERE " + quotedKey + " >= ? AND " + quotedKey + " < ?) tally_segment "
                + "GROUP BY " + segment;
    }

    /** Each segment's aggregate, keyed by segment index, for the key ranges {@code chunks} (one task each). */
    JavaPairRDD<Long, Segment.Sums> compute(JavaSparkContext spark, List<Segment> chunks) {
        return spark.parallelize(chunks, Math.max(1, chunks.size()))
                .mapPartitionsToPair(it -> run(it).iterator());
    }

    private List<Tuple2<Long, Segment.Sums>> run(Iterator<Segment> chunks) throws Exception {
        Class.forName(driverClass);
        List<Tuple2<Long, Segment.Sums>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, properties)) {
            String seen = session.begin(c, true).probe();
            if (snapshot != null && !snapshot.equals(seen)) {
                throw new IllegalStateException("a pushdown segment query read snapshot " + seen + ", not the exported "
                        + snapshot + "; connect without a session-swapping pooler, or set options.snapshot: off");
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                while (chunks.hasNext()) {
                    Segment chunk = chunks.next();
                    ps.setLong(1, chunk.lo());
                    ps.setLong(2, chunk.hi());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new Tuple2<>(rs.getLong(1), new Segment.Sums(rs.getLong(2), rs.getLong(3),
                                    big(rs.getBigDecimal(4)))));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static BigInteger big(BigDecimal d) {
        return d == null ? BigInteger.ZERO : d.toBigIntegerExact();
    }
}
