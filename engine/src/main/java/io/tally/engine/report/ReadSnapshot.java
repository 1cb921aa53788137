package io.tally.engine.report;

/**
 * Which picture of its database one side's read of a table saw (docs/live-systems.md).
 *
 * @param kind        {@code exported} (PostgreSQL: every connection imported one exported snapshot),
 *                    {@code per-connection} (MySQL: each connection opened its own consistent snapshot, {@code skewMillis}
 *                    apart at most), or {@code none} (each partition read at its own moment; {@code guarantee} says
 *                    why)
 * @param id          the exported snapshot's identifier (PostgreSQL), else null
 * @param snapshot    the snapshot as {@code xmin:xmax:xip} (PostgreSQL), else null
 * @param position    where the database stood when the snapshot was taken (WAL LSN), else null
 * @param takenAt     server time of the (first) snapshot
 * @param connections how many read connections reported the snapshot they read
 * @param skewMillis  the spread between the first and the last connection's snapshot (per-connection), else null
 * @param guarantee   what the picture promises, in words
 */
public record ReadSnapshot(String kind, String id, String snapshot, String position, String takenAt, int connections,
                           Long skewMillis, String guarantee) {

    public static final String EXPORTED = "exported";
    public static final String PER_CONNECTION = "per-connection";
    public static final String NONE = "none";

    public static ReadSnapshot none(String why) {
        return new ReadSnapshot(NONE, null, null, null, null, 0, null, why);
    }
}
