package io.tally.engine.config;

import java.util.List;

/**
 * A reference the target's catalog does not declare, checked for orphans like a foreign key: each row of the
 * table whose {@code columns} are all non-NULL must find a row of {@code table} with equal {@code to} columns.
 *
 * @param columns the referencing columns, as named in the target table
 * @param table   the referenced target table ({@code schema.table} or a table of the same schema)
 * @param to      the referenced columns, in the same order
 */
public record Reference(List<String> columns, String table, List<String> to) {

    public Reference {
        columns = columns == null ? List.of() : List.copyOf(columns);
        to = to == null ? List.of() : List.copyOf(to);
    }
}
