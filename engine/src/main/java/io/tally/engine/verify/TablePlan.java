package io.tally.engine.verify;

import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.config.TableConfig;
import io.tally.engine.model.TableSchema;

import java.util.List;

/**
 * Everything decided about one table before a row is read: both schemas, the compared columns in hash order
 * (key columns first), the exclusions, and the optional batch and time columns (indexes into {@code columns}).
 */
public record TablePlan(String name, TableConfig config, TableSchema source, TableSchema target,
                        List<ColumnPair> columns, int keyCount, List<Exclusion> exclusions, int batchIndex,
                        int timeIndex, long windowMicros) {

    public TablePlan {
        columns = List.copyOf(columns);
        exclusions = List.copyOf(exclusions);
    }

    public List<ColumnPair> keys() {
        return columns.subList(0, keyCount);
    }
}
