package io.tally.engine.canonical;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

/**
 * The framing of canonical tokens, version {@value #VERSION}. A token is {@code <tag><utf8 length>:<payload>}
 * and a NULL is the bare tag {@code N}, so no value can imitate another, a NULL or a column boundary.
 * See docs/canonical-form.md; any change to a payload or the framing bumps the version.
 */
public final class CanonicalForm {

    public static final String VERSION = "tally-canonical/1";
    public static final String NULL = "N";

    private CanonicalForm() {
    }

    public static String token(char tag, String payload) {
        return tag + Integer.toString(utf8Length(payload)) + ":" + payload;
    }

    /** UTF-8 byte length of a string, counted without encoding it (this runs once per value read). */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1; // an unpaired surrogate is encoded as '?', as String.getBytes(UTF_8) does
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    public static boolean isNull(String token) {
        return token == null || NULL.equals(token);
    }

    public static char tag(String token) {
        return token.charAt(0);
    }

    public static String payload(String token) {
        return token.substring(token.indexOf(':') + 1);
    }

    /** Splits a concatenation of tokens (a composite key) back into tokens. */
    public static java.util.List<String> split(String tokens) {
        java.util.List<String> out = new java.util.ArrayList<>();
        byte[] bytes = tokens.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        while (i < bytes.length) {
            if (bytes[i] == 'N') {
                out.add(NULL);
                i++;
                continue;
            }
            int colon = i + 1;
            while (bytes[colon] != ':') {
                colon++;
            }
            int len = Integer.parseInt(new String(bytes, i + 1, colon - i - 1, StandardCharsets.US_ASCII));
            out.add(new String(bytes, i, colon + 1 + len - i, StandardCharsets.UTF_8));
            i = colon + 1 + len;
        }
        return out;
    }

    /** A human-readable rendering of a token for reports: ISO instants and dates, decimal floats. */
    public static String display(String token) {
        if (isNull(token)) {
            return null;
        }
        String p = payload(token);
        try {
            return switch (tag(token)) {
                case 'T' -> p.matches("-?\\d+") ? instant(Long.parseLong(p)) : p;
                case 'D' -> p.matches("-?\\d+") ? LocalDate.ofEpochDay(Long.parseLong(p)).toString() : p;
                case 'H' -> p.matches("-?\\d+") ? time(Long.parseLong(p)) : p;
                case 'F' -> Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(p, 16)));
                case 'X' -> "0x" + p;
                default -> p;
            };
        } catch (RuntimeException e) {
            return p;
        }
    }

    private static String instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
                .toString();
    }

    private static String time(long micros) {
        if (micros >= 0 && micros < 86_400_000_000L) {
            return LocalTime.ofNanoOfDay(micros * 1000L).toString();
        }
        long abs = Math.abs(micros);
        return (micros < 0 ? "-" : "") + abs / 3_600_000_000L + ":"
                + String.format("%02d:%02d.%06d", abs / 60_000_000L % 60, abs / 1_000_000L % 60, abs % 1_000_000L);
    }
}
