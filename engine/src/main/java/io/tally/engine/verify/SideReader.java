package io.tally.engine.verify;

import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.source.Dialect;
import io.tally.engine.source.Endpoint;
import io.tally.engine.source.KeyPartitioner;
import io.tally.engine.source.PartitionPlan;
import io.tally.engine.source.ReadSession;
import io.tally.engine.source.ReadSessionProvider;
import io.tally.engine.model.TableRef;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Builds the Spark JDBC read of one side: a sub-query that projects each compared column through the
 * dialect's read expression (as {@code c0..cN}) plus the raw key columns (as {@code tally_k0..}), split by
 * the partition plan's predicates into parallel tasks. Every connection first runs the side's {@link ReadSession}.
 */
public final class SideReader {

    public static final int FETCH_SIZE = 10_000;

    public Dataset<Row> read(SparkSession spark, Endpoint endpoint, ReadSession session, TableRef table,
                             TablePlan plan, boolean source, PartitionPlan partitions) {
        Dialect d = endpoint.dialect();
        List<String> select = new ArrayList<>();
        for (int i = 0; i < plan.columns().size(); i++) {
            ColumnPair p = plan.columns().get(i);
            var column = source ? p.source() : p.target();
            var rule = source ? p.sourceRule() : p.targetRule();
            select.add(d.readExpression(column, rule.kind()) + " AS c" + i);
        }
        for (int i = 0; i < plan.keyCount(); i++) {
            ColumnPair k = plan.columns().get(i);
            String alias = i == 0 ? KeyPartitioner.KEY_ALIAS : "tally_k" + i;
            select.add(d.quote((source ? k.source() : k.target()).name()) + " AS " + alias);
        }
        String subquery = "(SELECT " + String.join(", ", select) + " FROM " + d.qualified(table)
                + (partitions.filter() == null ? "" : " WHERE " + partitions.filter()) + ") tally_side";
        Properties props = endpoint.connectionProperties();
        props.setProperty("driver", d.driverClass());
        props.setProperty("fetchsize", Integer.toString(FETCH_SIZE));
        ReadSessionProvider.apply(props, session); // each connection, Spark's schema query too, runs the session first
        return spark.read().jdbc(endpoint.url(), subquery, partitions.predicates().toArray(String[]::new), props);
    }
}
