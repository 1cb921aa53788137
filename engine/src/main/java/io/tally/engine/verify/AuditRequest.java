package io.tally.engine.verify;

import java.util.Map;

/**
 * What an audit asks of the verify flow (docs/audits.md): per table, the marks the last consistent audit left for
 * each side (reads start there), or {@code full} to read every row whatever the marks.
 */
public record AuditRequest(boolean full, Map<String, Marks> since) {

    public AuditRequest {
        since = since == null ? Map.of() : Map.copyOf(since);
    }

    /** One table's starting points, as each side's own text of the incremental column. */
    public record Marks(String source, String target) {
    }
}
