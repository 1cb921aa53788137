package io.tally.engine.report.render;

import io.tally.engine.history.HistoryRecord;
import io.tally.engine.history.HistoryTrend;
import io.tally.engine.report.IntegrityFinding;
import io.tally.engine.report.Report;
import io.tally.engine.report.TableReport;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code report.html}: one self-contained page per run (no scripts, fonts or images from elsewhere; styles and
 * charts inline), verdict first. Then a summary line per table linking to its section, each table's section
 * ({@link HtmlTableSection}), the integrity findings with their fixes, and, when a history is given, the job's
 * trend and regressions.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d232b;background:#f5f6f8}
            main{max-width:1100px;margin:0 auto;padding:24px}
            header.verdict{padding:28px 24px;color:#fff}header.verdict.ok{background:#1f7a3d}header.verdict.bad{background:#b3261e}
            header.verdict .wrap{max-width:1100px;margin:0 auto}header.verdict h1{margin:0;font-size:34px;letter-spacing:.5px}header.verdict p{margin:6px 0 0;opacity:.92}
            section{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:16px 20px;margin:18px 0}
            h2{margin:0 0 12px;font-size:20px}h3{font-size:15px;margin:18px 0 6px}
            table{border-collapse:collapse;width:100%;margin:6px 0;font-size:13px}
            th,td{border-bottom:1px solid #e6e9ed;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f0f2f5;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .badge{display:inline-block;border-radius:4px;padding:1px 8px;font-size:12px;color:#fff;vertical-align:middle}
            .badge.ok{background:#1f7a3d}.badge.bad{background:#b3261e}
            .counts{display:flex;gap:12px;margin:8px 0 12px}.count{border:1px solid #dde1e6;border-radius:6px;padding:6px 12px;min-width:90px}
            .count b{display:block;font-size:20px}.count.hot{border-color:#b3261e;color:#b3261e}
            .null{color:#8a94a3;font-style:italic}.note,.mode,.scope,.recheck,.positions{color:#4b5563}
            svg.keymap{background:#fafbfc;border:1px solid #e6e9ed;max-width:100%}svg .axis{stroke:#9aa4b2}
            svg .tick{font-size:11px;fill:#4b5563}svg .tick.end{text-anchor:end}svg .tick.mid{text-anchor:middle}
            rect.missing,.legend .missing{fill:#c62828;color:#c62828}rect.extra,.legend .extra{fill:#ef8f00;color:#b26a00}
            rect.changed,.legend .changed{fill:#1565c0;color:#1565c0}.legend span{margin-right:12px;font-weight:600}
            ul.warnings{color:#8a5300}.regression{color:#b3261e;font-weight:600}footer{color:#6b7280;margin:24px 0}
            """;

    private HtmlReport() {
    }

    /** @param trend the job's history including this run, or null */
    public static String render(Report r, HistoryTrend trend) {
        Html h = new Html();
        boolean ok = Report.CONSISTENT.equals(r.status());
        long errors = r.integrity().findings().stream().filter(IntegrityFinding::isError).count();
        h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                + "content=\"width=device-width,initial-scale=1\">").text("title", "Tally " + r.status() + " — " + r.job())
                .raw("<style>" + STYLE + "</style></head><body>");
        h.raw("<header class=\"verdict " + (ok ? "ok" : "bad") + "\" id=\"verdict\"><div class=\"wrap\">")
                .text("h1", r.status());
        if (r.partial()) {
            h.text("p", "Partial run: a canary compared a subset of the rows (see each table's subset); the verdict "
                    + "speaks for that subset only.");
        }
        h.text("p", ok ? "Every table matches and no integrity check found an error."
                        : drifting(r) + " of " + r.tables().size() + " table(s) differ"
                        + (errors > 0 ? "; " + errors + " integrity error(s)" : "") + ".")
                .text("p", "job " + r.job() + " · " + r.startedAt() + " → " + r.finishedAt() + " · source "
                        + r.source().kind() + " " + r.source().url() + " · target " + r.target().kind() + " "
                        + r.target().url())
                .raw("</div></header><main>");
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < r.tables().size(); i++) {
            TableReport t = r.tables().get(i);
            rows.add(List.of(new Html.Link(t.name(), HtmlTableSection.anchor(t, i)), t.status(), t.source().rows(), t.target().rows(), t.missing(), t.extra(),
                    t.changed(), t.duplicates().sourceKeys() + t.duplicates().targetKeys(),
                    t.rules().stream().filter(io.tally.engine.report.RuleResult::fails).count()));
        }
        h.raw("<section id=\"summary\"><h2>Tables</h2>").table("summary", List.of("table", "status", "source rows",
                "target rows", "missing", "extra", "changed", "duplicate keys", "failed rules"), rows).raw("</section>");
        for (int i = 0; i < r.tables().size(); i++) {
            h.raw(HtmlTableSection.render(r.tables().get(i), i));
        }
        if (!r.integrity().findings().isEmpty() || !r.integrity().checked().isEmpty()) {
            h.raw("<section id=\"integrity\"><h2>Integrity</h2>");
            List<List<Object>> findings = new ArrayList<>();
            for (IntegrityFinding f : r.integrity().findings()) {
                findings.add(java.util.Arrays.asList(f.severity(), f.check(), f.side(), f.table(), f.object(),
                        f.detail(), f.fix()));
            }
            if (findings.isEmpty()) {
                h.text("p", "No findings.");
            } else {
                h.table("integrity", List.of("severity", "check", "side", "table", "object", "what is wrong", "fix"),
                        findings);
            }
            h.raw("<details><summary>What was checked</summary><ul>");
            r.integrity().checked().forEach(c -> h.text("li", c));
            h.raw("</ul></details></section>");
        }
        if (trend != null && !trend.runs().isEmpty()) {
            trend(h, trend);
        }
        h.raw("<footer>").text("span", "Tally " + r.toolVersion() + " · " + r.canonicalForm()
                + " · the full data is in report.json beside this page").raw("</footer></main></body></html>\n");
        return h.toString();
    }

    private static long drifting(Report r) {
        return r.tables().stream().filter(t -> !Report.CONSISTENT.equals(t.status())).count();
    }

    private static void trend(Html h, HistoryTrend trend) {
        List<HistoryTrend.Run> runs = trend.runs().subList(Math.max(0, trend.runs().size() - 20), trend.runs().size());
        List<String> head = new ArrayList<>(List.of("started", "command", "verdict"));
        head.addAll(trend.tables());
        List<List<Object>> rows = new ArrayList<>();
        for (HistoryTrend.Run run : runs) {
            List<Object> line = new ArrayList<>(List.of(run.startedAt(), run.command(), run.verdict()));
            for (String table : trend.tables()) {
                HistoryRecord x = run.tables().get(table);
                line.add(x == null ? "-" : x.differences() + (x.errors() > 0 ? " +" + x.errors() + "e" : "")
                        + (x.inFlight() > 0 ? " ~" + x.inFlight() : ""));
            }
            rows.add(line);
        }
        h.raw("<section id=\"trend\"><h2>History</h2>").table("trend", head, rows);
        var regressions = trend.regressions().stream().filter(g -> runs.contains(g.run())).toList();
        if (regressions.isEmpty()) {
            h.text("p", "No regressions.");
        }
        regressions.forEach(g -> h.text("p class=\"regression\"", "regression " + g.table() + " at "
                + g.run().startedAt() + ": " + g.what() + " (since " + g.since().startedAt() + ")"));
        h.raw("</section>");
    }
}
