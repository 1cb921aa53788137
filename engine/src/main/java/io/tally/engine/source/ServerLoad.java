package io.tally.engine.source;

/**
 * A server's load as a throttle reads it: statements running now (other sessions', where the engine can tell) and
 * replication lag in seconds (0 when nothing replicates).
 */
public record ServerLoad(long running, double lagSeconds) {

    @Override
    public String toString() {
        return running + " statement(s) running, " + String.format(java.util.Locale.ROOT, "%.1f", lagSeconds)
                + " s replication lag";
    }
}
