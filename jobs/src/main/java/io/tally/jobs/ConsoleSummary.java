package io.tally.jobs;

import io.tally.engine.report.Report;
import io.tally.engine.report.TableReport;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The end-of-run summary: one line per table, the differences that matter, the integrity findings with their
 * fixes, the verdict and the report path.
 */
final class ConsoleSummary {

    private ConsoleSummary() {
    }

    static void print(Report report, Path reportFile, PrintStream out) {
        out.println();
        out.printf("%-24s %-10s %10s %10s %8s %8s %8s %6s%n", "table", "status", "source", "target", "missing",
                "extra", "changed", "dups");
        for (TableReport t : report.tables()) {
            out.printf("%-24s %-10s %10d %10d %8d %8d %8d %6d%n", t.name(), t.status(), t.source().rows(),
                    t.target().rows(), t.missing(), t.extra(), t.changed(),
                    t.duplicates().sourceKeys() + t.duplicates().targetKeys());
            t.columns().stream().filter(c -> c.differences() > 0).forEach(c -> out.printf(
                    "    column %s differs in %d row(s) (%s vs %s, compared as %s)%n", c.name(), c.differences(),
                    c.sourceType(), c.targetType(), c.comparedAs()));
            if (t.batches() != null && t.batches().differing() > 0) {
                out.printf("    %d of %d %s values have different row counts%n", t.batches().differing(),
                        t.batches().total(), t.batches().column());
            }
            t.findings().stream().filter(f -> f.count() > 0).forEach(f -> out.printf("    %s: %d: %s%n", f.kind(),
                    f.count(), f.detail()));
            t.rules().stream().filter(r -> r.violations() > 0).forEach(r -> out.printf(
                    "    rule %s (%s, %s): %d of %d %s break %s%s%n", r.name(), r.severity(), r.side(), r.violations(),
                    r.checked(), r.kind().equals("row") || r.kind().equals("transition") ? "rows" : "groups", r.rule(),
                    r.samples().isEmpty() ? "" : "; e.g. " + r.samples().get(0)));
            if (t.subset() != null) {
                var c = t.subset();
                out.printf("    partial  compared %d of %s%d source rows (%.2f%%)%s%n", c.sourceRows(),
                        c.totalsEstimated() ? "about " : "", c.sourceTotal(), 100 * c.coverage(),
                        c.sample() == null ? "" : "; sample " + c.sample() + " " + c.sampleMethod());
            }
            if (t.reads() != null) {
                var r = t.reads();
                out.println("    snapshot source " + snapshot(r.source().snapshot()) + "; target "
                        + snapshot(r.target().snapshot()));
                if (r.source().throttledMillis() + r.target().throttledMillis() > 0) {
                    out.printf("    throttle held source reads %.1f s (%d partition(s)), target reads %.1f s (%d)%n",
                            r.source().throttledMillis() / 1e3, r.source().partitionsThrottled(),
                            r.target().throttledMillis() / 1e3, r.target().partitionsThrottled());
                }
            }
            t.alignment().forEach(a -> out.println("    aligned  " + a));
            t.warnings().forEach(w -> out.println("    warning  " + w));
        }
        if (!report.integrity().findings().isEmpty()) {
            out.println();
            out.println("integrity");
            report.integrity().findings().forEach(f -> out.printf("  %-7s %-20s %s %s (%s): %s%n    fix: %s%n",
                    f.severity(), f.check(), f.side(), f.table(), f.object(), f.detail(), f.fix()));
        }
        out.println();
        out.println("verdict: " + report.status() + (report.partial() ? " (PARTIAL: a canary compared a subset; the "
                + "verdict speaks for it only)" : "") + "    report: " + reportFile.toAbsolutePath());
    }

    private static String snapshot(io.tally.engine.report.ReadSnapshot s) {
        return switch (s.kind()) {
            case io.tally.engine.report.ReadSnapshot.EXPORTED -> "exported " + s.id() + " at " + s.position() + " ("
                    + s.connections() + " partition(s))";
            case io.tally.engine.report.ReadSnapshot.PER_CONNECTION -> s.connections() + " consistent snapshot(s) "
                    + s.skewMillis() + " ms apart";
            default -> "none";
        };
    }

    /**
     * Writes the HTML report, JUnit XML and Markdown summary and says where they went. They only present
     * report.json: a failure to write them is said, and leaves the run's verdict and exit code as they are.
     */
    static void outputs(Report report, Path dir, io.tally.engine.history.HistoryTrend trend, PrintStream out) {
        try {
            var w = io.tally.engine.report.render.RunOutputs.write(report, dir, trend);
            out.println("html: " + w.html().toAbsolutePath().toUri() + "    junit: " + w.junit().getFileName()
                    + "    summary: " + w.markdown().getFileName());
        } catch (RuntimeException e) {
            out.println("outputs: report.html, report.junit.xml and summary.md not written: "
                    + io.tally.engine.Secrets.mask(String.valueOf(e.getMessage())) + " (report.json was written)");
        }
    }
}
