package io.tally.engine.source;

/**
 * A snapshot one transaction exported for every read connection of its side to import (PostgreSQL's
 * {@code pg_export_snapshot()}): its identifier, the snapshot itself as {@code xmin:xmax:xip} text (what each importing
 * connection must then see), the WAL position and the server time when it was taken.
 */
public record ExportedSnapshot(String id, String snapshot, String position, String takenAt) {
}
