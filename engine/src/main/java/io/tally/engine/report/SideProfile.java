package io.tally.engine.report;

import java.util.List;
import java.util.Map;

/**
 * What one side holds: rows, rows whose key has a NULL, the range of each key column, NULLs per column, and
 * how the read was partitioned.
 */
public record SideProfile(String table, long rows, long nullKeyRows, Map<String, KeyRange> keyRange,
                          Map<String, Long> nullCounts, int partitions, String partitioning,
                          List<String> readExpressions) {

    public record KeyRange(String min, String max) {
    }
}
