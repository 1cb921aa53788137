package io.tally.jobs;

/** Identifiers of runs in the history: time-ordered (UTC instant) with a random suffix, unique across processes. */
final class RunIds {

    private RunIds() {
    }

    static String next() {
        return java.time.Instant.now().toString() + "-"
                + Long.toHexString(new java.security.SecureRandom().nextLong() | Long.MIN_VALUE).substring(0, 8);
    }
}
