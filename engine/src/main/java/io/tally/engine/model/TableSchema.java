package io.tally.engine.model;

import java.util.List;
import java.util.Optional;

/** A table's columns in catalog order and its primary key (empty if it has none). */
public record TableSchema(TableRef table, List<ColumnInfo> columns, List<String> primaryKey) {

    public TableSchema {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** Finds a column by exact name, else by a case-insensitive match when that is unambiguous. */
    public Optional<ColumnInfo> column(String name) {
        for (ColumnInfo c : columns) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        List<ColumnInfo> folded = columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).toList();
        return folded.size() == 1 ? Optional.of(folded.get(0)) : Optional.empty();
    }
}
