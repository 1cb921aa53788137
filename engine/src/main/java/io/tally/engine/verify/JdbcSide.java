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
import io.tally.engine.source.ExportedSnapshot;
import io.tally.engine.source.ReadSession;
import io.tally.engine.report.ReadSnapshot;
import io.tally.engine.report.TableReport;
import io.tally.engine.config.JobOptions;
import org.apache.spark.util.CollectionAccumulator;
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
    /** Holds the exported snapshot open while partitions read in it (PostgreSQL with snapshots on), else null. */
    private final Connection holder;
    /** The connection holding the snapshot this side reads: its own holder, or the other side's when shared. */
    private final Connection snapshotHolder;
    private final ExportedSnapshot exported;
    private final ReadSession session;
    private final boolean snapshots;
    private final int readers;
    private final java.util.Map<TableRef, CollectionAccumulator<String>> probes = new java.util.HashMap<>();
    private final java.util.Map<TableRef, Integer> partitionsRead = new java.util.HashMap<>();

    private JdbcSide(Endpoint plain, EndpointConfig config, JobOptions options, ExportedSnapshot shared,
                     Connection sharedHolder) {
        Connection c = plain.connect();
        Connection h = null;
        try {
            List<String> guards = plain.dialect().readGuards(options.limits(), c);
            try (var s = c.createStatement()) {
                for (String g : guards) {
                    s.execute(g);
                }
            }
            this.endpoint = plain.guarded(guards);
            this.snapshots = options.snapshots();
            if (snapshots && shared != null) {
                this.exported = shared; // the other side's, in this very database: both read one picture
            } else if (snapshots && endpoint.dialect().exportsSnapshots()) {
                h = endpoint.connect();
                this.exported = endpoint.dialect().exportSnapshot(h);
            } else {
                this.exported = null;
            }
            this.session = (snapshots ? endpoint.dialect().snapshotReads(endpoint.setUp(), exported)
                    : new ReadSession(endpoint.setUp(), false, null)).throttledBy(config.throttle(), endpoint.dialect());
        } catch (SQLException | RuntimeException e) {
            closeQuietly(h);
            closeQuietly(c);
            throw e instanceof SQLException q ? new TallyError("preparing the reads of the " + plain.role() + " ("
                    + plain.describe() + ") failed: " + plain.scrub(q.getMessage()), q) : (RuntimeException) e;
        }
        this.catalog = c;
        this.holder = h;
        this.snapshotHolder = h != null ? h : exported != null ? sharedHolder : null;
        int parallel = config.parallelConnections();
        if (h != null && config.maxConnections() != null && parallel < 2) {
            close();
            throw new TallyError(plain.role() + ".max_connections is " + config.maxConnections() + ", but a shared "
                    + "snapshot needs one connection to hold it beside the catalog connection and a reader; use at least "
                    + "3, or set options.snapshot: off");
        }
        this.readers = h != null && config.maxConnections() != null ? parallel - 1 : parallel;
    }

    /**
     * @param other the side opened first, or null: when it reads the very same database (a shadow table beside the
     *              original, as pt-online-schema-change, gh-ost or an in-place migration make) and exported a snapshot,
     *              this side reads that snapshot too, so both sides are one picture even while writes go on
     */
    static JdbcSide open(String role, EndpointConfig config, JobOptions options, VerifySide other) {
        Endpoint endpoint = Endpoint.resolve(role, config);
        boolean same = other instanceof JdbcSide j && j.exported != null && j.holder != null
                && j.endpoint.dialect().name().equals(endpoint.dialect().name())
                && j.endpoint.safeUrl().equals(endpoint.safeUrl());
        return new JdbcSide(endpoint, config, options, same ? ((JdbcSide) other).exported : null,
                same ? ((JdbcSide) other).holder : null);
    }

    /**
     * How many connections may read at once beside the catalog connection and the snapshot holder
     * ({@code max_connections} less those).
     */
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
            String chunk = "";
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
                long perPartition = config.options().rowsPerPartition();
                if (config.options().chunkMillis() > 0) {
                    ChunkSizer.Sized sized = ChunkSizer.size(catalog, endpoint.dialect(), table,
                            readExpressions(plan, source), config.options().chunkMillis());
                    perPartition = sized.rowsPerPartition();
                    chunk = "; sized for chunk_time " + config.options().chunkTime() + " at "
                            + Math.round(sized.rowsPerSecond()) + " rows/s (" + perPartition + " rows each)";
                }
                n = (int) Math.max(1, Math.min(config.options().maxPartitions(), (rows + perPartition - 1) / perPartition));
            }
            ColumnPair first = plan.keys().get(0);
            PartitionPlan parts = new KeyPartitioner().plan(catalog, endpoint.dialect(), table,
                    source ? first.source() : first.target(), Math.min(n, readers));
            return new PartitionPlan(parts.predicates(), parts.method() + chunk, parts.filter()).cappedAt(readers);
            // n ranges and the NULL range make n + 1 predicates: with a cap, the NULL range joins the last group
        });
    }

    @Override
    public Dataset<Row> canonical(SparkSession spark, TableRef table, TablePlan plan, boolean source,
                                  PartitionPlan parts, boolean keepDoc) {
        Dataset<Row> read = new SideReader().read(spark, endpoint, session, table, plan, source, parts);
        List<ColumnRule> rules = plan.columns().stream().map(c -> source ? c.sourceRule() : c.targetRule()).toList();
        CollectionAccumulator<String> seen = spark.sparkContext().collectionAccumulator(role() + " reads of " + table);
        probes.put(table, seen);
        partitionsRead.put(table, parts.size());
        return read.mapPartitions(new ReadProbes(seen,
                                new CanonicalRows(rules, plan.keyCount(), plan.timeIndex(), plan.windowMicros())),
                        Encoders.row(CanonicalRows.schema(read.schema(), plan.keyCount())))
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    @Override
    public RowTotal total(TableRef table) {
        return sql(() -> {
            long estimate = endpoint.dialect().estimateRows(catalog, table);
            if (estimate >= COUNT_BELOW) {
                return new RowTotal(estimate, true);
            }
            try (var s = catalog.createStatement();
                 var rs = s.executeQuery("SELECT COUNT(*) FROM " + endpoint.dialect().qualified(table))) {
                rs.next();
                return new RowTotal(rs.getLong(1), false);
            }
        });
    }

    /** What every read connection runs first (also the pushdown's segment queries). */
    ReadSession session() {
        return session;
    }

    /** A connection reading in the side's snapshot (without the throttle): for reads planned on the driver. */
    Connection readConnection() throws SQLException {
        Connection c = endpoint.connect();
        try {
            session.begin(c, false);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The exported snapshot every read connection must see (PostgreSQL with snapshots), else null. */
    String exportedSnapshot() {
        return exported == null ? null : exported.snapshot();
    }

    @Override
    public TableReport.SideRead read(TableRef table) {
        CollectionAccumulator<String> seen = probes.get(table);
        if (seen == null) {
            return new TableReport.SideRead(ReadSnapshot.none("the table was not read"), 0, 0);
        }
        if (snapshotHolder != null) {
            String then = sql(() -> endpoint.dialect().storageGeneration(snapshotHolder, table));
            String now = sql(() -> endpoint.dialect().storageGeneration(catalog, table));
            if (!java.util.Objects.equals(then, now)) {
                throw new TallyError(role() + " table " + table + " was created, truncated or rewritten (an ALTER TABLE "
                        + "that rewrites it, VACUUM FULL, CLUSTER) after the snapshot was taken, which a snapshot does not "
                        + "isolate (it would read it as empty); nothing was reported as consistent; run verify again once "
                        + "that change is done");
            }
        }
        return ReadProbes.summarize(role(), table.toString(), seen, partitionsRead.get(table), snapshots, exported,
                exported != null && holder == null);
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

    /** Ends the catalog work and releases the snapshot: called once every read of the run is done. */
    @Override
    public void close() {
        closeQuietly(holder);
        closeQuietly(catalog);
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // these connections only read; nothing is lost with them
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T sql(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            String why = ReadFailures.timeout(e.getMessage());
            throw new TallyError("reading the catalog of the " + role() + " (" + describe() + ") failed: "
                    + scrub(e.getMessage()) + (why != null ? "; " + why : ""), e);
        }
    }
}
