package io.tally.engine.report;

/**
 * Where a side's database stood when a table's read began (docs/audits.md), so a difference can be placed in the
 * replication stream: a PostgreSQL WAL LSN ({@code lsn}), a MySQL GTID set ({@code gtid}) or binary log file and
 * offset ({@code binlog}), MariaDB's GTID position ({@code gtid}), a MongoDB cluster time ({@code cluster-time}).
 * When the engine does not expose one, {@code value} is null and {@code note} says why.
 */
public record Position(String kind, String value, String takenAt, String note) {

    public static Position unavailable(String note) {
        return new Position(null, null, java.time.Instant.now().toString(), note);
    }

    /** For humans: {@code lsn 0/16B3748}, or why there is none. */
    public String describe() {
        return value != null ? kind + " " + value : "(no position: " + note + ")";
    }

    public static Position of(String kind, String value) {
        return new Position(kind, value, java.time.Instant.now().toString(), null);
    }
}
