package io.tally.engine.report.render;

import io.tally.engine.history.HistoryTrend;
import io.tally.engine.report.Report;

import java.nio.file.Path;

/**
 * Writes the files people and CI read beside {@code report.json}: {@code report.html}, {@code report.junit.xml} and
 * {@code summary.md}, each through a temp file moved into place.
 */
public final class RunOutputs {

    /** Where each file went. */
    public record Written(Path html, Path junit, Path markdown) {
    }

    private RunOutputs() {
    }

    /** @param trend the job's history with this run in it, shown in the HTML report; null for none */
    public static Written write(Report report, Path dir, HistoryTrend trend) {
        return new Written(text(HtmlReport.render(report, trend), dir, "report.html"),
                text(JunitXml.render(report), dir, "report.junit.xml"),
                text(MarkdownSummary.render(report), dir, "summary.md"));
    }

    private static Path text(String content, Path dir, String name) {
        return io.tally.engine.report.AtomicFiles.writeString(dir.resolve(name), content, "choose a writable --out directory");
    }
}
