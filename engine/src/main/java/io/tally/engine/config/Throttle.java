package io.tally.engine.config;

import java.io.Serializable;

/**
 * When a side's reads pause (docs/live-systems.md), as pt-table-checksum does between chunks: before each read
 * connection starts, while the server runs more than {@code maxRunning} statements of other sessions or a replica
 * lags more than {@code maxLag}, it waits, checking every second; after {@code maxWait} in all it gives up and the run
 * fails. Either signal may be left out.
 *
 * @param maxRunning statements running at once on the server (PostgreSQL: active backends of other applications;
 *                   MySQL: {@code Threads_running}, Tally's own reads included)
 * @param maxLag     replication lag: of this server when it is a replica, else of its slowest replica (PostgreSQL's
 *                   {@code pg_stat_replication}); a duration such as {@code 10s}
 * @param maxWait    longest total wait of one read before the run fails; default {@code 10m}
 */
public record Throttle(Integer maxRunning, String maxLag, String maxWait) implements Serializable {

    public Throttle {
        maxWait = maxWait == null ? "10m" : maxWait;
    }

    public long maxLagSeconds() {
        return maxLag == null ? -1 : Durations.seconds(maxLag, "throttle.max_lag");
    }

    public long maxWaitSeconds() {
        return Durations.seconds(maxWait, "throttle.max_wait");
    }

    /** Whether {@code running} statements and {@code lagSeconds} of lag (negative: not known) call for a pause. */
    public boolean holds(long running, double lagSeconds) {
        return (maxRunning != null && running > maxRunning) || (maxLag != null && lagSeconds > maxLagSeconds());
    }
}
