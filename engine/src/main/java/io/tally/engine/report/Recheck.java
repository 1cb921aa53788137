package io.tally.engine.report;

import java.util.List;
import java.util.Map;

/**
 * How a table's differences were read again while writes went on (docs/audits.md). Each generation waits
 * {@code delaySeconds}, then reads every still-differing key on both sides; a key whose sides agree at any look was
 * in flight (a write not yet replicated) and leaves the count, a key that differs at every look persists and is the
 * drift the table reports. Keys whose row key has a NULL cannot be read by key and always persist.
 *
 * @param skipped why no recheck ran although configured (too many keys), else null
 */
public record Recheck(int generations, long delaySeconds, long rechecked, long inFlight, long persisting,
                      List<Generation> rounds, List<Map<String, String>> inFlightSamples, String skipped) {

    /** For humans: how many keys were read again and what became of them, or why none were. */
    public String summary() {
        return skipped != null ? "not rechecked: " + skipped
                : "rechecked " + rechecked + " key(s): " + inFlight + " in flight, " + persisting + " persisting";
    }

    /** One look: when, how many keys were read, how many agreed (in flight) and how many still differ. */
    public record Generation(int number, String at, long keys, long resolved, long stillDiffering) {
    }
}
