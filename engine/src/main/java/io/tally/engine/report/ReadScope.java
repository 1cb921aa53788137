package io.tally.engine.report;

/**
 * Which rows of a table an audit read (docs/audits.md): {@code incremental}, the rows whose {@code column} is at or
 * above each side's {@code since} (the last consistent audit's mark), or {@code full} ({@code reason} says why:
 * no earlier mark, {@code --full}, or no {@code incremental} on the table). Each side's {@code next} is its highest
 * value of the column taken before this read, less the overlap: the next audit starts there.
 */
public record ReadScope(String read, String column, String kind, long overlapSeconds, String sourceSince,
                        String targetSince, String sourceNext, String targetNext, String reason) {

    public static final String FULL = "full";
    public static final String INCREMENTAL = "incremental";
}
