package io.tally.engine.config;

import io.tally.engine.TallyError;

/**
 * Rechecks of differences found while writes go on (docs/audits.md): each difference is read again by key after
 * {@code delay}, up to {@code generations} times; one that is gone at any look was in flight, one that is still
 * there at every look persists and is drift. Off ({@code generations: 0}) unless configured.
 *
 * @param maxKeys above this many differing keys in a table, rechecks are skipped and every difference is drift
 */
public record RecheckConfig(Integer generations, String delay, Integer maxKeys) {

    public RecheckConfig {
        generations = generations == null ? 0 : generations;
        delay = delay == null ? "30s" : delay;
        maxKeys = maxKeys == null ? 100_000 : maxKeys;
    }

    public static RecheckConfig off() {
        return new RecheckConfig(0, null, null);
    }

    public boolean enabled() {
        return generations > 0;
    }

    public long delaySeconds() {
        return Durations.seconds(delay, "recheck.delay");
    }

    void validate(String origin) {
        if (generations < 0 || generations > 100) {
            throw new TallyError(origin + ": recheck.generations is " + generations + "; use 0 (off) to 100");
        }
        if (maxKeys < 1) {
            throw new TallyError(origin + ": recheck.max_keys must be at least 1");
        }
        Durations.seconds(delay, origin + ": recheck.delay");
    }
}
