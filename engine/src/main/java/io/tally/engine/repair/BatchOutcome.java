package io.tally.engine.repair;

import java.util.List;

/**
 * What one batch did: keys written, keys already in their planned state, keys written over a conflict because
 * of {@code --force}, and the conflicts left alone; in a dry run, the statements it would have run.
 */
public record BatchOutcome(int applied, int already, int forced, List<Conflict> conflicts, List<String> statements) {

    /** A key whose target state is neither the one verification saw nor the planned one. */
    public record Conflict(PlanRow row, String found) {
    }
}
