package io.tally.engine.verify;

import io.tally.engine.source.Dialect;
import io.tally.engine.source.Endpoint;
import io.tally.engine.source.pushdown.SqlTokens;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One side's segment aggregates, computed inside the database by parallel Spark tasks: each task opens one JDBC
 * connection and runs, per segment, {@code SELECT COUNT(*), COUNT(DISTINCT key), SUM(h1), SUM(h2)} over the
 * canonical row hash the dialect computes in SQL. Only one small row per segment reaches the driver.
 */
final class SegmentChecksums implements Serializable {

    private final String url;
    private final Properties properties;
    private final String driverClass;
    private final String sessionInit;
    private final String sql;

    SegmentChecksums(Endpoint endpoint, String qualifiedTable, String quotedKey, List<String> tokenExpressions) {
        Dialect d = endpoint.dialect();
        SqlTokens tokens = d.sqlTokens();
        this.url = endpoint.url();
        this.properties = endpoint.connectionProperties();
        this.driverClass = d.driverClass();
        this.sessionInit = d.sessionInit();
        List<String> halves = tokens.halves("h");
        this.sql = "SELECT COUNT(*), COUNT(DISTINCT k), SUM(" + halves.get(0) + "), SUM(" + halves.get(1) + ") FROM "
                + "(SELECT " + quotedKey + " AS k, " + tokens.rowHash(tokenExpressions) + " AS h FROM " + qualifiedTable
                + " WHERE " + quotedKey + " >= ? AND " + quotedKey + " < ?) tally_segment";
    }

    /** The aggregates of every segment, by index in {@code segments}. */
    Map<Integer, Segment.Sums> compute(SparkSession spark, List<Segment> segments, int parallelism) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            ids.add(i);
        }
        List<Segment> all = List.copyOf(segments);
        int slices = Math.max(1, Math.min(parallelism, segments.size()));
        List<scala.Tuple2<Integer, Segment.Sums>> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(ids, slices)
                .mapPartitions((Iterator<Integer> it) -> run(it, all).iterator())
                .collect();
        Map<Integer, Segment.Sums> out = new HashMap<>();
        rows.forEach(e -> out.put(e._1(), e._2()));
        return out;
    }

    private List<scala.Tuple2<Integer, Segment.Sums>> run(Iterator<Integer> ids, List<Segment> segments) throws Exception {
        Class.forName(driverClass);
        List<scala.Tuple2<Integer, Segment.Sums>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, properties)) {
            try (Statement s = c.createStatement()) {
                s.execute(sessionInit);
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                while (ids.hasNext()) {
                    int id = ids.next();
                    Segment seg = segments.get(id);
                    ps.setLong(1, seg.lo());
                    ps.setLong(2, seg.hi());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.add(new scala.Tuple2<>(id, new Segment.Sums(rs.getLong(1), rs.getLong(2),
                                big(rs.getBigDecimal(3)), big(rs.getBigDecimal(4)))));
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
