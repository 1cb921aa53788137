package io.tally.engine;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The passwords this process has read (from environments and files), so that the last line of defence, the
 * CLI's error output, can mask them in any message a driver or library produced, however it got there.
 */
public final class Secrets {

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    /** Remembers a password (and its URL-encoded form) for {@link #mask(String)}. */
    public static void remember(String password) {
        if (password != null && !password.isEmpty()) {
            KNOWN.add(password);
            KNOWN.add(URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }

    /** {@code text} with every remembered password replaced by {@code ****}. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        // longest first: a password that contains another must not be left half masked
        for (String s : KNOWN.stream().sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList()) {
            out = out.replace(s, "****");
        }
        return out;
    }

    /** A driver's message on one line with {@code password} (and its URL-encoded form) masked. */
    public static String scrub(String message, String password) {
        if (message == null) {
            return "no detail from the driver";
        }
        String one = message.replace('\n', ' ').strip();
        if (password == null || password.isEmpty()) {
            return one;
        }
        return one.replace(password, "****").replace(URLEncoder.encode(password, StandardCharsets.UTF_8)
                .replace("+", "%20"), "****");
    }
}
