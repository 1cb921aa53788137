package io.tally.engine.history;

/**
 * The lock that keeps two audits of one job from running at once (docs/audits.md), taken where the job's history
 * lives: a file lock beside a Parquet history, an advisory lock in a PostgreSQL history. The operating system or the
 * database drops it when its holder dies, so a crashed audit never blocks the next. {@link #heldBy} says who holds
 * it when {@link #acquired} is false.
 */
public interface AuditLock extends AutoCloseable {

    boolean acquired();

    String heldBy();

    @Override
    void close();

    /** A lock this run holds until {@code release} runs (on {@link #close}). */
    static AuditLock holding(Runnable release) {
        return new AuditLock() {
            @Override
            public boolean acquired() {
                return true;
            }

            @Override
            public String heldBy() {
                return null;
            }

            @Override
            public void close() {
                release.run();
            }
        };
    }

    /** A lock another run holds. */
    static AuditLock held(String by) {
        return new AuditLock() {
            @Override
            public boolean acquired() {
                return false;
            }

            @Override
            public String heldBy() {
                return by;
            }

            @Override
            public void close() {
            }
        };
    }
}
