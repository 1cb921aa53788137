package io.tally.engine.report.render;

import io.tally.engine.report.IntegrityFinding;
import io.tally.engine.report.Report;
import io.tally.engine.report.TableReport;

/**
 * {@code summary.md}: the verdict and a table per run in Markdown, for pull requests and chat: the tables, the
 * columns that differ, failed rules and integrity errors with their fixes. Cells are escaped so a value cannot break
 * the table.
 */
public final class MarkdownSummary {

    private MarkdownSummary() {
    }

    public static String render(Report r) {
        StringBuilder m = new StringBuilder();
        long drifting = r.tables().stream().filter(t -> !Report.CONSISTENT.equals(t.status())).count();
        m.append("## Tally: ").append(Report.CONSISTENT.equals(r.status()) ? "✅ " : "❌ ").append(r.status())
                .append(r.partial() ? " (partial: a canary compared a subset)" : "")
                .append(" — job `").append(cell(r.job())).append("`\n\n");
        m.append(drifting).append(" of ").append(r.tables().size()).append(" table(s) differ · ").append(r.startedAt())
                .append(" · source ").append(r.source().kind()).append(", target ").append(r.target().kind()).append("\n\n");
        m.append("| table | status | source rows | target rows | missing | extra | changed | duplicate keys |\n");
        m.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (TableReport t : r.tables()) {
            m.append("| ").append(cell(t.name())).append(" | ").append(t.status()).append(" | ").append(t.source().rows())
                    .append(" | ").append(t.target().rows()).append(" | ").append(t.missing()).append(" | ")
                    .append(t.extra()).append(" | ").append(t.changed()).append(" | ")
                    .append(t.duplicates().sourceKeys() + t.duplicates().targetKeys()).append(" |\n");
        }
        StringBuilder details = new StringBuilder();
        for (TableReport t : r.tables()) {
            t.columns().stream().filter(c -> c.differences() > 0).forEach(c -> details.append("- `").append(cell(t.name()))
                    .append('.').append(cell(c.name())).append("` differs in ").append(c.differences()).append(" row(s) (")
                    .append(cell(c.sourceType())).append(" → ").append(cell(c.targetType())).append(")\n"));
            t.rules().stream().filter(io.tally.engine.report.RuleResult::fails).forEach(x -> details.append("- rule `")
                    .append(cell(x.name())).append("` on `").append(cell(t.name())).append("`: ").append(x.violations())
                    .append(" of ").append(x.checked()).append(" break it\n"));
            t.findings().stream().filter(f -> f.count() > 0).forEach(f -> details.append("- `").append(cell(t.name()))
                    .append("` ").append(f.kind()).append(": ").append(f.count()).append("\n"));
        }
        for (IntegrityFinding f : r.integrity().findings()) {
            if (f.isError()) {
                details.append("- integrity ").append(f.check()).append(" `").append(cell(f.table())).append("` ")
                        .append(cell(f.object())).append(": ").append(cell(f.detail())).append(" — fix: ")
                        .append(cell(f.fix())).append('\n');
            }
        }
        if (!details.isEmpty()) {
            m.append("\n").append(details);
        }
        return m.append("\nFull report: `report.html` (and `report.json`) in the run's output directory.\n").toString();
    }

    /** A value safe inside a Markdown table cell and inline code: pipes, backticks and line breaks neutralized. */
    static String cell(String s) {
        return s == null ? "NULL" : s.replace("|", "\\|").replace("`", "'").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\r", " ").replace("\n", " ");
    }
}
