package io.tally.engine.integrity;

import io.tally.engine.report.IntegrityFinding;

import java.util.ArrayList;
import java.util.List;

/** Findings and the list of checks that ran, for one side. */
final class IntegrityFindings {

    private final String side;
    final List<IntegrityFinding> findings = new ArrayList<>();
    final java.util.Map<String, Long> checked = new java.util.LinkedHashMap<>();

    IntegrityFindings(String side) {
        this.side = side;
    }

    void add(String check, IntegrityChecker.Table t, String object, String severity, long count, String detail, String fix,
             boolean planned, List<java.util.Map<String, String>> samples) {
        findings.add(new IntegrityFinding(check, side, t.name(), object, severity, count, detail, fix, planned,
                samples));
    }

    /** Counts what a check covered; {@code #} in {@code what} stands for the total. */
    void checked(String what, long n) {
        checked.merge(what, n, Long::sum);
    }
}
