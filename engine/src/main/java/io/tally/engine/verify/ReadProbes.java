package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.report.ReadSnapshot;
import io.tally.engine.report.TableReport;
import io.tally.engine.source.ExportedSnapshot;
import io.tally.engine.source.ReadSession;
import io.tally.engine.source.ReadSessionProvider;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects, per read partition, how its connection began: what its probe said about its snapshot (the imported
 * snapshot on PostgreSQL, the moment the consistent snapshot opened on MySQL) and how long the throttle held it. Then
 * sums them up for the report: a PostgreSQL partition that read another snapshot than the exported one stops the
 * run, as its rows cannot be compared.
 */
final class ReadProbes implements MapPartitionsFunction<Row, Row> {

    private final CollectionAccumulator<String> probes;
    private final MapPartitionsFunction<Row, Row> next;

    ReadProbes(CollectionAccumulator<String> probes, MapPartitionsFunction<Row, Row> next) {
        this.probes = probes;
        this.next = next;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) throws Exception {
        ReadSession.Begun begun = ReadSessionProvider.takeBegun(); // the read's connection is open once the input exists
        if (begun != null) {
            probes.add(TaskContext.getPartitionId() + "\t" + begun.waitedMillis() + "\t"
                    + (begun.probe() == null ? "" : begun.probe()));
        }
        return next.call(input);
    }

    /** What a partition's connection reported: its throttle wait and its probe (empty without one). */
    private record Seen(long waitedMillis, String probe) {
    }

    /**
     * The report's account of one side's read: every partition must have read {@code exported} when there is one.
     *
     * @param partitions how many partitions the read had: each must have reported, with snapshots on
     * @param snapshots  whether the side read in snapshots at all; {@code shared}: {@code exported} is the other side's
     */
    static TableReport.SideRead summarize(String role, String table, CollectionAccumulator<String> probes,
                                          int partitions, boolean snapshots, ExportedSnapshot exported,
                                          boolean shared) {
        Map<Integer, Seen> byPartition = new TreeMap<>();
        for (String p : probes.value()) {
            String[] f = p.split("\t", 3);
            byPartition.put(Integer.parseInt(f[0]), new Seen(Long.parseLong(f[1]), f[2]));
        }
        long waited = byPartition.values().stream().mapToLong(Seen::waitedMillis).sum();
        int throttled = (int) byPartition.values().stream().filter(s -> s.waitedMillis() > 0).count();
        return new TableReport.SideRead(snapshot(role, table, byPartition, partitions, snapshots, exported, shared),
                waited, throttled);
    }

    private static ReadSnapshot snapshot(String role, String table, Map<Integer, Seen> byPartition, int partitions,
                                         boolean snapshots, ExportedSnapshot exported, boolean shared) {
        if (!snapshots) {
            return ReadSnapshot.none("options.snapshot is off: each partition read the table at its own moment");
        }
        if (byPartition.size() < partitions) {
            throw new TallyError(role + " " + table + ": " + (partitions - byPartition.size()) + " of " + partitions
                    + " partition(s) did not report the snapshot they read, so the read cannot be shown to be one "
                    + "picture; nothing was reported as consistent; run verify again, or set options.snapshot: off");
        }
        if (exported != null) {
            byPartition.forEach((partition, seen) -> {
                if (!seen.probe().equals(exported.snapshot())) {
                    throw new TallyError(role + " " + table + ": partition " + partition + " read snapshot "
                            + seen.probe() + ", not the exported " + exported.snapshot() + " (" + exported.id()
                            + "); its rows are not comparable and nothing was reported as consistent; connect without a "
                            + "session-swapping pooler, or set options.snapshot: off");
                }
            });
            return new ReadSnapshot(ReadSnapshot.EXPORTED, exported.id(), exported.snapshot(), exported.position(),
                    exported.takenAt(), byPartition.size(), null, "every partition read one exported snapshot: the "
                    + "side as it stood at " + exported.takenAt() + (shared ? "; shared by both sides, which live in "
                    + "one database, so they were compared at the same instant" : ""));
        }
        BigDecimal first = byPartition.values().stream().map(s -> new BigDecimal(s.probe())).min(BigDecimal::compareTo)
                .orElseThrow();
        BigDecimal last = byPartition.values().stream().map(s -> new BigDecimal(s.probe())).max(BigDecimal::compareTo)
                .orElseThrow();
        long skew = last.subtract(first).movePointRight(3).longValue();
        Instant at = Instant.ofEpochSecond(first.longValue(), first.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        return new ReadSnapshot(ReadSnapshot.PER_CONNECTION, null, null, null, at.toString(), byPartition.size(), skew,
                "each partition read its own consistent snapshot; they opened within " + skew + " ms of each other, so "
                        + "a row moved between partitions inside that window can be seen twice or not at all");
    }
}
