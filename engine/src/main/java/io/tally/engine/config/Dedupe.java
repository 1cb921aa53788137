package io.tally.engine.config;

import java.util.List;
import java.util.Set;

/**
 * Source rows that must not reach the target twice: among source rows sharing the values of {@code key} (none of
 * them NULL), only one is compared and planned, the one with the greatest ({@code keep: latest} or
 * {@code highest}) or least ({@code earliest} or {@code lowest}) value of {@code by}; ties go to the greatest
 * compared key. The others are set aside: the plan deletes them from the target, and the report counts them.
 *
 * @param key  source column names identifying one logical row
 * @param keep which row of a value is kept, by {@code by}
 * @param by   an integer, decimal, date or timestamp source column that orders the rows of a value
 */
public record Dedupe(List<String> key, String keep, String by) {

    public static final Set<String> GREATEST = Set.of("latest", "highest");
    public static final Set<String> LEAST = Set.of("earliest", "lowest");

    public Dedupe {
        key = key == null ? List.of() : List.copyOf(key);
        keep = keep == null ? "latest" : keep;
    }

    /** Whether the row kept is the one with the greatest {@code by}. */
    public boolean keepsGreatest() {
        return GREATEST.contains(keep);
    }
}
