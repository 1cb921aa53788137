package io.tally.engine.report.render;

import io.tally.engine.report.RuleResult;
import io.tally.engine.report.SideProfile;
import io.tally.engine.report.TableReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One table's part of the HTML report: its counts and how it was read, where its differences sit in the key range,
 * the columns that differ, samples, rule violations, document findings, the audit's scope and rechecks, and every
 * alignment decision, exclusion and warning.
 */
final class HtmlTableSection {

    private HtmlTableSection() {
    }

    /** The section's id: its position makes it unique, the name makes it readable. */
    static String anchor(TableReport t, int index) {
        return "table-" + index + "-" + t.name().replaceAll("[^A-Za-z0-9_-]", "_");
    }

    static String render(TableReport t, int index) {
        Html h = new Html();
        h.raw("<section class=\"table " + HtmlTableSection.badge(t.status()) + "\" id=\"" + anchor(t, index) + "\">");
        h.raw("<h2>").text("span class=\"name\"", t.name()).raw(" ").text("span class=\"badge " + badge(t.status()) + "\"",
                t.status()).raw("</h2>");
        h.raw("<div class=\"counts\">");
        count(h, "missing", t.missing());
        count(h, "extra", t.extra());
        count(h, "changed", t.changed());
        count(h, "duplicate keys", t.duplicates().sourceKeys() + t.duplicates().targetKeys());
        h.raw("</div>");
        h.table("sides", List.of("side", "table", "rows", "rows read", "key range", "NULL keys", "partitions"),
                List.of(side("source", t.source(), t.mode().sourceRowsRead()),
                        side("target", t.target(), t.mode().targetRowsRead())));
        h.text("p class=\"mode\"", "compared " + t.mode().used() + ": " + t.mode().reason());
        if (t.keyMap() != null) {
            h.raw("<h3>Where the differences sit</h3>").raw(KeyMapSvg.render(t.keyMap()))
                    .raw("<p class=\"legend\"><span class=\"missing\">missing</span> <span class=\"extra\">extra</span> "
                            + "<span class=\"changed\">changed</span></p>");
        } else if (t.missing() + t.extra() + t.changed() > 0) {
            h.text("p class=\"note\"", "No key map: the first key column is not an exact number, or only keys "
                    + "holding a NULL differ.");
        }
        List<List<Object>> differing = new ArrayList<>();
        t.columns().stream().filter(c -> c.differences() > 0).forEach(c -> differing.add(List.of(c.name(),
                c.sourceType() + " / " + c.targetType(), c.comparedAs(), c.differences())));
        if (!differing.isEmpty()) {
            h.raw("<h3>Columns that differ</h3>").table("columns", List.of("column", "types (source / target)",
                    "compared as", "rows"), differing);
        }
        samples(h, t);
        rules(h, t.rules());
        for (TableReport.Finding f : t.findings()) {
            if (f.count() > 0) {
                h.raw("<h3>").text("span", f.kind() + ": " + f.count()).raw("</h3>").text("p", f.detail());
                maps(h, "findings", f.samples());
            }
        }
        audit(h, t);
        if (!t.alignment().isEmpty()) {
            h.raw("<details><summary>Alignment decisions (" + t.alignment().size() + ")</summary><ul>");
            t.alignment().forEach(a -> h.text("li", a));
            h.raw("</ul></details>");
        }
        if (!t.excluded().isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            t.excluded().forEach(e -> rows.add(List.of(e.column(), e.side(), e.reason())));
            h.raw("<details><summary>Columns not compared (" + rows.size() + ")</summary>")
                    .table("excluded", List.of("column", "side", "reason"), rows).raw("</details>");
        }
        if (!t.warnings().isEmpty()) {
            h.raw("<ul class=\"warnings\">");
            t.warnings().forEach(w -> h.text("li", w));
            h.raw("</ul>");
        }
        return h.raw("</section>").toString();
    }

    static String badge(String status) {
        return switch (status) {
            case "CONSISTENT", "MATCHES" -> "ok";
            default -> "bad";
        };
    }

    private static void count(Html h, String label, long n) {
        h.raw("<div class=\"count" + (n > 0 ? " hot" : "") + "\">").text("b", n).text("span", label).raw("</div>");
    }

    private static List<Object> side(String role, SideProfile p, long read) {
        String range = p.keyRange().entrySet().stream().findFirst()
                .map(e -> e.getKey() + " " + e.getValue().min() + " … " + e.getValue().max()).orElse("");
        return List.of(role, p.table(), p.rows(), read, range, p.nullKeyRows(), p.partitions());
    }

    private static void samples(Html h, TableReport t) {
        TableReport.Samples s = t.samples();
        if (!s.missing().isEmpty()) {
            h.raw("<h3>Missing in the target (samples)</h3>");
            maps(h, "keys", s.missing());
        }
        if (!s.extra().isEmpty()) {
            h.raw("<h3>Extra in the target (samples)</h3>");
            maps(h, "keys", s.extra());
        }
        if (!s.changed().isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            for (TableReport.ChangedRow c : s.changed()) {
                c.columns().forEach((col, v) -> rows.add(java.util.Arrays.asList(c.key().toString(), col, v.source(),
                        v.target())));
            }
            h.raw("<h3>Changed rows (samples)</h3>").table("changed", List.of("key", "column", "source", "target"), rows);
        }
        if (!s.duplicates().isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            s.duplicates().forEach(d -> rows.add(List.of(d.key().toString(), d.sourceRows(), d.targetRows())));
            h.raw("<h3>Duplicated keys (samples)</h3>").table("duplicates", List.of("key", "source rows", "target rows"),
                    rows);
        }
    }

    private static void rules(Html h, List<RuleResult> rules) {
        if (rules.isEmpty()) {
            return;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (RuleResult r : rules) {
            rows.add(List.of(r.name(), r.kind(), r.severity(), r.side(), r.violations() + " of " + r.checked(),
                    r.samples().isEmpty() ? "" : r.samples().get(0).toString()));
        }
        h.raw("<h3>Business rules</h3>").table("rules", List.of("rule", "kind", "severity", "side", "violations",
                "first sample"), rows);
    }

    private static void audit(Html h, TableReport t) {
        if (t.scope() != null) {
            h.text("p class=\"scope\"", "audit read: " + t.scope().read() + (t.scope().sourceSince() == null ? ""
                    : " from " + t.scope().column() + " ≥ " + t.scope().sourceSince()) + " (" + t.scope().reason() + ")");
        }
        if (t.recheck() != null) {
            h.text("p class=\"recheck\"", t.recheck().summary());
        }
        if (t.positions() != null) {
            h.text("p class=\"positions\"", "read at source " + position(t.positions().source()) + ", target "
                    + position(t.positions().target()));
        }
    }

    private static String position(io.tally.engine.report.Position p) {
        return p == null ? "-" : p.describe();
    }

    /** Rows of column → value maps as one table, columns from the first row. */
    static void maps(Html h, String cssClass, List<Map<String, String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<String> head = new ArrayList<>(rows.get(0).keySet());
        List<List<Object>> cells = new ArrayList<>();
        for (Map<String, String> r : rows) {
            List<Object> line = new ArrayList<>();
            head.forEach(k -> line.add(r.get(k)));
            cells.add(line);
        }
        h.table(cssClass, head, cells);
    }
}
