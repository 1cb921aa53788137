package io.tally.engine.config;

import io.tally.engine.TallyError;

import java.util.regex.Pattern;

/** Durations as the config writes them: a whole number and a unit, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}. */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

    private Durations() {
    }

    /** {@code text} in seconds; {@code where} names the key in the error. Zero is allowed ({@code 0s}). */
    public static long seconds(String text, String where) {
        var m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new TallyError(where + " is '" + text + "'; write a number and a unit, e.g. 30s, 5m, 1h, 1d");
        }
        long unit = switch (m.group(2)) {
            case "s" -> 1L;
            case "m" -> 60L;
            case "h" -> 3_600L;
            default -> 86_400L;
        };
        return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    }
}
