package io.tally.engine.report.render;

import io.tally.engine.TallyError;
import io.tally.engine.history.HistoryTrend;
import io.tally.engine.report.Report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + name + "-", ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Path out = dir.resolve(name);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new TallyError("cannot write " + name + " into " + dir + ": " + e.getMessage()
                    + "; choose a writable --out directory");
        }
    }
}
