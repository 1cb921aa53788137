package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.config.EndpointConfig;
import io.tally.engine.config.JobConfig;
import io.tally.engine.model.TableRef;
import io.tally.engine.model.TableSchema;
import io.tally.engine.report.Report;
import io.tally.engine.source.Endpoint;
import io.tally.engine.source.KeyPartitioner;
import io.tally.engine.source.PartitionPlan;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** A PostgreSQL or MySQL side: catalog work on one JDBC connection, reads through Spark's JDBC source. */
final class JdbcSide implements VerifySide {

    private final Endpoint endpoint;
    private final Connection catalog;
    private final int readers;

    private JdbcSide(Endpoint endpoint, int readers) {
        this.endpoint = endpoint;
        this.readers = readers;
        this.catalog = endpoint.connect();
    }

    static JdbcSide open(String role, EndpointConfig config) {
        return new JdbcSide(Endpoint.resolve(role, config), config.parallelConnections());
    }

    /** How many connections may read at once beside the catalog connection ({@code max_connections} - 1). */
    int readers() {
        return readers;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public String role() {
        return endpoint.role();
    }

    @Override
    public boolean isDocument() {
        return false;
    }

    @Override
    public String describe() {
        return endpoint.describe();
    }

    @Override
    public Report.Side report() {
        return new Report.Side(endpoint.dialect().name(), endpoint.safeUrl(), endpoint.user(), endpoint.zone());
    }

    @Override
    public String scrub(String message) {
        return endpoint.scrub(message);
    }

    @Override
    public String zone() {
        return endpoint.zone();
    }

    /** The table's declared columns and key; a table that does not exist is a configuration error. */
    TableSchema describe(TableRef table, String at) {
        TableSchema schema = sql(() -> endpoint.dialect().describe(catalog, table));
        if (schema.columns().isEmpty()) {
            throw new TallyError(role() + " table " + table + " not found in " + describe() + "; check " + at
                    + " (schema.table, names are case-sensitive)");
        }
        return schema;
    }

    @Override
    public boolean truncates(String rounding) {
        return switch (rounding) {
            case "round" -> false;
            case "truncate" -> true;
            default -> sql(() -> endpoint.dialect().truncatesFractionalSeconds(catalog));
        };
    }

    @Override
    public PartitionPlan partitions(TableRef table, TablePlan plan, boolean source, JobConfig config) {
        return sql(() -> {
            int n;
            if (plan.config().partitions() != null) {
                n = plan.config().partitions();
            } else {
                long rows = endpoint.dialect().estimateRows(catalog, table);
                if (rows < 0) {
                    try (var s = catalog.createStatement();
                         var rs = s.executeQuery("SELECT COUNT(*) FROM " + endpoint.dialect().qualified(table))) {
                        rs.next();
                        rows = rs.getLong(1);
                    }
                }
                n = (int) Math.max(1, Math.min(config.options().maxPartitions(),
                        (rows + config.options().rowsPerPartition() - 1) / config.options().rowsPerPartition()));
            }
            ColumnPair first = plan.keys().get(0);
            return new KeyPartitioner().plan(catalog, endpoint.dialect(), table,
                    source ? first.source() : first.target(), Math.min(n, readers)).cappedAt(readers);
            // n ranges and the NULL range make n + 1 predicates: with a cap, the NULL range joins the last group
        });
    }

    @Override
    public Dataset<Row> canonical(SparkSession spark, TableRef table, TablePlan plan, boolean source,
                                  PartitionPlan parts, boolean keepDoc) {
        Dataset<Row> read = new SideReader().read(spark, endpoint, table, plan, source, parts);
        List<ColumnRule> rules = plan.columns().stream().map(c -> source ? c.sourceRule() : c.targetRule()).toList();
        return read.mapPartitions(new CanonicalRows(rules, plan.keyCount(), plan.timeIndex(), plan.windowMicros()),
                        Encoders.row(CanonicalRows.schema(read.schema(), plan.keyCount())))
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    @Override
    public List<String> readExpressions(TablePlan plan, boolean source) {
        return plan.columns().stream().map(c -> endpoint.dialect().readExpression(source ? c.source() : c.target(),
                (source ? c.sourceRule() : c.targetRule()).kind())).toList();
    }

    /**
     * The column's highest value less {@code overlapSeconds}, as this database's text of the column's type (null
     * for an empty table): where an incremental audit starts next time. A temporal value is taken no later than
     * now, so one row dated in the future cannot move every later audit past the real writes.
     */
    String next(TableRef table, io.tally.engine.model.ColumnInfo column, long overlapSeconds, boolean temporal) {
        var d = endpoint.dialect();
        String max = "MAX(" + d.quote(column.name()) + ")";
        if (temporal) {
            String now = d.now(column);
            max = "CASE WHEN " + max + " > " + now + " THEN " + now + " ELSE " + max + " END"; // NULL stays NULL
        }
        String sql = "SELECT " + d.asText(overlapSeconds > 0 ? d.minusSeconds(max, overlapSeconds, column) : max)
                + " FROM " + d.qualified(table);
        return sql(() -> {
            try (var s = catalog.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    @Override
    public io.tally.engine.report.Position position() {
        return endpoint.dialect().position(catalog);
    }

    @Override
    public List<TableRef> referencedTables(TableRef table) {
        return sql(() -> endpoint.dialect().referencedTables(catalog, table).stream().map(this::qualify).toList());
    }

    @Override
    public TableRef qualify(TableRef table) {
        return table.schema() != null ? table
                : new TableRef(sql(() -> endpoint.dialect().currentSchema(catalog)), table.name());
    }

    @Override
    public void close() {
        try {
            catalog.close();
        } catch (SQLException ignored) {
            // the catalog connection only read; nothing is lost with it
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T sql(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new TallyError("reading the catalog of the " + role() + " failed: " + scrub(e.getMessage()), e);
        }
    }
}
