package io.tally.engine.source;

import io.tally.engine.config.Throttle;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What every read connection of one side runs before it reads: first the side's throttle (wait while the server is
 * busy or a replica lags), then the dialect's session set-up, the lock and statement timeouts, read-only mode and,
 * with a snapshot, the statements that join it. {@code transaction} turns auto-commit off first (PostgreSQL imports
 * a snapshot only inside a transaction block); {@code probe}, when set, is a query whose one value tells which
 * snapshot the connection reads (PostgreSQL) or when it was opened (MySQL).
 *
 * @param throttle null for none; {@code dialect} reads the server's load for it
 */
public record ReadSession(List<String> statements, boolean transaction, String probe, Throttle throttle,
                          Dialect dialect) implements Serializable {

    public ReadSession {
        statements = List.copyOf(statements);
    }

    public ReadSession(List<String> statements, boolean transaction, String probe) {
        this(statements, transaction, probe, null, null);
    }

    /** This session, waiting first while {@code throttle} holds (null: never). */
    public ReadSession throttledBy(Throttle throttle, Dialect dialect) {
        return new ReadSession(statements, transaction, probe, throttle, dialect);
    }

    /** What a connection's start said: the probe's value (null without a probe) and how long the throttle held it. */
    public record Begun(String probe, long waitedMillis) {
    }

    /** Waits out the throttle (when {@code throttled}: a read, not a schema lookup), then runs the statements. */
    public Begun begin(Connection connection, boolean throttled) throws SQLException {
        long waited = throttle == null || !throttled ? 0 : awaitQuiet(connection);
        if (transaction) {
            connection.setAutoCommit(false);
        }
        try (Statement s = connection.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
            if (probe == null) {
                return new Begun(null, waited);
            }
            try (ResultSet rs = s.executeQuery(probe)) {
                rs.next();
                return new Begun(rs.getString(1), waited);
            }
        }
    }

    private long awaitQuiet(Connection connection) throws SQLException {
        long start = System.nanoTime();
        long limit = throttle.maxWaitSeconds() * 1000;
        boolean paused = false;
        while (true) {
            ServerLoad load = dialect.load(connection, throttle.maxLag() != null);
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (!throttle.holds(load.running(), load.lagSeconds())) {
                return paused ? Math.max(1, waited) : 0;
            }
            if (waited >= limit) {
                throw new SQLException("throttle: the server stayed busy for throttle.max_wait " + throttle.maxWait()
                        + " (" + load + "; max_running " + throttle.maxRunning() + ", max_lag " + throttle.maxLag() + ")");
            }
            paused = true;
            try {
                Thread.sleep(Math.min(1000, Math.max(1, limit - waited)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("throttle: interrupted while waiting for the server to quieten", e);
            }
        }
    }
}
