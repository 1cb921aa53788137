package io.tally.engine.verify;

/**
 * A column left out of the comparison, and why. Never silent: every exclusion is in the report.
 *
 * @param side {@code source}, {@code target} or {@code both}
 */
public record Exclusion(String column, String side, String reason) {
}
