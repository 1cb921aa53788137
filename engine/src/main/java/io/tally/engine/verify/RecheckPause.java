package io.tally.engine.verify;

/** How the verify flow waits between rechecks: {@link Thread#sleep} in runs; a test may act instead of sleeping. */
@FunctionalInterface
public interface RecheckPause {

    void sleep(long seconds) throws InterruptedException;
}
