package io.tally.engine.source;

import java.io.Serializable;

/**
 * How gently a verify reads a live database (docs/live-systems.md): how long any statement may wait for a lock held
 * by another transaction before it fails, and how long one read statement may run (0: no limit).
 */
public record ReadLimits(long lockTimeoutSeconds, long statementTimeoutSeconds) implements Serializable {

    public static final ReadLimits NONE = new ReadLimits(0, 0);

    public long lockTimeoutMillis() {
        return lockTimeoutSeconds * 1000;
    }

    public long statementTimeoutMillis() {
        return statementTimeoutSeconds * 1000;
    }
}
