package io.tally.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the hardening tests tried, for the one summary line {@link HardeningSummary} prints at the end of the run:
 * faults injected (connections cut, servers "restarted", repairs killed), bad inputs fed to the CLI, and outputs
 * scanned for secrets. A test records what it tried only after its checks passed.
 */
final class Hardening {

    private static final Map<String, AtomicInteger> FAULTS = new ConcurrentSkipListMap<>();
    private static final AtomicInteger BAD_INPUTS = new AtomicInteger();
    private static final AtomicInteger SCANNED = new AtomicInteger();

    private Hardening() {
    }

    static void faults(int n, String kind) {
        FAULTS.computeIfAbsent(kind, k -> new AtomicInteger()).addAndGet(n);
    }

    static void badInput() {
        BAD_INPUTS.incrementAndGet();
    }

    /** {@code n} files or streams searched for every password the tests use. */
    static void scanned(int n) {
        SCANNED.addAndGet(n);
    }

    /**
     * Asserts that no file under {@code root} but the password files ({@code *.pw}) holds any of {@code secrets}, as
     * bytes in any encoding that keeps ASCII, and counts the files scanned.
     */
    static void assertNoSecretInFiles(java.nio.file.Path root, String... secrets) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(root)) {
            for (var f : files.filter(java.nio.file.Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().endsWith(".pw")).toList()) {
                String text = new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    org.junit.jupiter.api.Assertions.assertFalse(text.contains(secret), "a password is in " + f);
                }
                scanned(1);
            }
        }
    }

    /** Prints a progress line for a check that held. */
    static void checked(String what) {
        System.out.println("hardening: " + what);
    }

    static String summary(int failedTests) {
        int faults = FAULTS.values().stream().mapToInt(AtomicInteger::get).sum();
        StringBuilder kinds = new StringBuilder();
        FAULTS.forEach((k, v) -> kinds.append(kinds.isEmpty() ? "" : ", ").append(v.get()).append(' ').append(k));
        return "hardening summary: " + faults + " faults injected (" + kinds + "), " + BAD_INPUTS.get()
                + " bad inputs tried, " + SCANNED.get() + " outputs scanned for secrets; "
                + (failedTests == 0 ? "none lost data, reported a false CONSISTENT or leaked a secret"
                : failedTests + " hardening test(s) FAILED: see above");
    }

    static boolean anything() {
        return !FAULTS.isEmpty() || BAD_INPUTS.get() > 0 || SCANNED.get() > 0;
    }
}
