package io.tally.engine.verify;

import io.tally.engine.model.TableRef;
import io.tally.engine.source.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Sizes a side's partitions for a target time per read query ({@code options.chunk_time}, as pt-table-checksum's
 * {@code --chunk-time}): the first {@value #PROBE_ROWS} rows are read once with the very expressions the partitions
 * will use, and the rate measured gives the rows one partition may hold.
 */
final class ChunkSizer {

    static final int PROBE_ROWS = 10_000;

    /** Rows per partition for the target time, and the read rate it was derived from. */
    record Sized(long rowsPerPartition, double rowsPerSecond) {
    }

    private ChunkSizer() {
    }

    static Sized size(Connection catalog, Dialect d, TableRef table, List<String> readExpressions, long chunkMillis)
            throws SQLException {
        String sql = "SELECT " + String.join(", ", readExpressions) + " FROM " + d.qualified(table) + " LIMIT "
                + PROBE_ROWS;
        long t0 = System.nanoTime();
        long rows = 0;
        try (Statement s = catalog.createStatement()) {
            s.setFetchSize(PROBE_ROWS);
            try (ResultSet rs = s.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        rs.getString(i);
                    }
                    rows++;
                }
            }
        }
        double rate = rows / Math.max((System.nanoTime() - t0) / 1e9, 1e-3);
        return new Sized(Math.max(1, (long) (rate * chunkMillis / 1000)), rate);
    }
}
