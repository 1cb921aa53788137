package io.tally.engine.report.render;

import io.tally.engine.report.IntegrityFinding;
import io.tally.engine.report.Report;
import io.tally.engine.report.RuleResult;
import io.tally.engine.report.TableReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report.junit.xml}: the run as JUnit XML, so CI systems show Tally's verdicts as tests. One suite per run
 * ({@code tally.<job>}); per table one case each for its rows, duplicate keys, batch and window counts, every rule,
 * every document finding and its integrity checks. A drift is a {@code <failure>}; a warning passes with the text
 * in {@code <system-out>}.
 */
public final class JunitXml {

    private record Case(String className, String name, String failure, String detail, String out) {
    }

    private JunitXml() {
    }

    public static String render(Report r) {
        List<Case> cases = new ArrayList<>();
        String suite = "tally." + r.job();
        for (TableReport t : r.tables()) {
            String cls = suite + "." + t.name();
            long diffs = t.missing() + t.extra() + t.changed();
            cases.add(new Case(cls, "rows", diffs == 0 ? null : t.missing() + " missing, " + t.extra() + " extra, "
                    + t.changed() + " changed", samples(t), null));
            long dups = t.duplicates().sourceKeys() + t.duplicates().targetKeys();
            cases.add(new Case(cls, "duplicate keys", dups == 0 ? null : t.duplicates().sourceKeys()
                    + " source and " + t.duplicates().targetKeys() + " target key(s) hold more than one row", null, null));
            if (t.batches() != null) {
                cases.add(new Case(cls, "batch counts (" + t.batches().column() + ")", t.batches().differing() == 0 ? null
                        : t.batches().differing() + " of " + t.batches().total() + " values differ", null, null));
            }
            if (t.windows() != null) {
                cases.add(new Case(cls, "window counts (" + t.windows().column() + ")", t.windows().differing() == 0
                        ? null : t.windows().differing() + " of " + t.windows().total() + " windows differ", null, null));
            }
            for (RuleResult rule : t.rules()) {
                String what = rule.violations() + " of " + rule.checked() + " break " + rule.rule();
                cases.add(new Case(cls, "rule " + rule.name() + " (" + rule.side() + ")", rule.fails() ? what : null,
                        rule.samples().toString(), !rule.fails() && rule.violations() > 0 ? "warning: " + what : null));
            }
            if (!t.warnings().isEmpty()) {
                cases.add(new Case(cls, "warnings", null, null, String.join("\n", t.warnings())));
            }
            for (TableReport.Finding f : t.findings()) {
                cases.add(new Case(cls, f.kind(), f.count() > 0 ? f.count() + ": " + f.detail() : null,
                        f.samples().toString(), null));
            }
        }
        Map<String, List<IntegrityFinding>> byCase = new TreeMap<>();
        r.integrity().findings().forEach(f -> byCase.computeIfAbsent(f.table() + "\u0000" + f.check(),
                k -> new ArrayList<>()).add(f));
        byCase.forEach((k, findings) -> {
            String[] parts = k.split("\u0000");
            List<IntegrityFinding> errors = findings.stream().filter(IntegrityFinding::isError).toList();
            String lines = String.join("\n", findings.stream().map(f -> f.severity() + " " + f.object() + ": "
                    + f.detail() + " (fix: " + f.fix() + ")").toList());
            cases.add(new Case(suite + "." + parts[0], "integrity " + parts[1], errors.isEmpty() ? null
                    : errors.size() + " error(s): " + errors.get(0).detail(), lines, errors.isEmpty() ? lines : null));
        });
        long failures = cases.stream().filter(c -> c.failure() != null).count();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuites name=\"tally\" tests=\"").append(cases.size()).append("\" failures=\"").append(failures)
                .append("\">\n  <testsuite name=\"").append(attr(suite)).append("\" tests=\"").append(cases.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"0\" timestamp=\"")
                .append(attr(r.startedAt())).append("\">\n");
        for (Case c : cases) {
            x.append("    <testcase classname=\"").append(attr(c.className())).append("\" name=\"").append(attr(c.name()))
                    .append("\" time=\"0\"");
            if (c.failure() == null && c.out() == null) {
                x.append("/>\n");
                continue;
            }
            x.append(">\n");
            if (c.failure() != null) {
                x.append("      <failure type=\"drift\" message=\"").append(attr(c.failure())).append("\">")
                        .append(attr(c.detail() == null ? c.failure() : c.detail())).append("</failure>\n");
            }
            if (c.out() != null) {
                x.append("      <system-out>").append(attr(c.out())).append("</system-out>\n");
            }
            x.append("    </testcase>\n");
        }
        return x.append("  </testsuite>\n</testsuites>\n").toString();
    }

    private static String samples(TableReport t) {
        TableReport.Samples s = t.samples();
        return "missing " + s.missing() + "\nextra " + s.extra() + "\nchanged " + s.changed().stream()
                .map(c -> c.key() + " " + c.columns().keySet()).toList();
    }

    /** Text for an XML attribute or element: markup escaped, characters XML 1.0 cannot hold dropped. */
    static String attr(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\n' -> b.append("&#10;");
                case '\r' -> b.append("&#13;");
                case '\t' -> b.append("&#9;");
                default -> {
                    if (c == 0x9 || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c > 0xFFFF) {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }
}
