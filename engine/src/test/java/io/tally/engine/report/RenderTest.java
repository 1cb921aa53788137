package io.tally.engine.report;

import io.tally.engine.history.HistoryRecord;
import io.tally.engine.history.HistoryTrend;
import io.tally.engine.report.render.HtmlReport;
import io.tally.engine.report.render.JunitXml;
import io.tally.engine.report.render.MarkdownSummary;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values from databases are text in every rendering: markup in names and values never becomes markup. */
class RenderTest {

    private static final String EVIL = "<script>alert('x')</script>|`\u0001&\"";

    private static Report report() {
        SideProfile side = new SideProfile("s." + EVIL, 10, 0, Map.of("id", new SideProfile.KeyRange("1", "10")), Map.of(),
                1, "single partition", List.of());
        TableReport.Samples samples = new TableReport.Samples(List.of(Map.of("id", EVIL)), List.of(),
                List.of(new TableReport.ChangedRow(Map.of("id", "3"), Map.of("v", new TableReport.ValuePair(EVIL, null)))),
                List.of());
        KeyMap map = new KeyMap("id", "1", "10", 50, List.of(new KeyMap.Bucket(45, "9.1", "9.28", 1, 0, 1)));
        TableReport t = new TableReport(EVIL, Report.DRIFT, side, side, 1, 0, 1, new TableReport.Duplicates(0, 0, 0, 0),
                List.of(new TableReport.ColumnReport("v", "v", "v", "text", "text", "string", 1)), List.of(EVIL),
                List.of(), samples, null, null, List.of("a warning " + EVIL), List.of(),
                new TableReport.Mode("full", "options.mode is full", 0, 0, 0, 10, 10), null,
                List.of(new RuleResult("r", "row", "error", "source", "v > 0", 10, 1, List.of(Map.of("id", EVIL)))),
                null, null, null, map, null, null);
        return new Report("tally", "t", "c", "job" + EVIL, Report.DRIFT, "2026-11-24T00:00:00Z", "2026-11-24T00:01:00Z",
                new Report.Side("postgresql", "jdbc:postgresql://h/db", "u", "UTC"),
                new Report.Side("mysql", "jdbc:mysql://h/db", "u", "UTC"), List.of(t),
                new Report.Integrity(List.of("orphans"), List.of(new IntegrityFinding("orphans", "target", EVIL, EVIL,
                        IntegrityFinding.ERROR, 1, EVIL, EVIL, false, List.of()))), false);
    }

    @Test
    void htmlEscapesEverythingAndDrawsTheKeyMapAndTrend() {
        HistoryRecord run = new HistoryRecord("r1", "j", "audit", "2026-11-24T00:00:00Z", null, "DRIFT", EVIL, "DRIFT",
                10, 10, 1, 0, 1, 2, 0, 1, 3, null, null, null);
        String html = HtmlReport.render(report(), new HistoryTrend(List.of(run)));
        assertFalse(html.contains("<script"), "markup from a value became markup");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assertTrue(html.contains("<svg class=\"keymap\"") && html.contains("class=\"missing\" x=\"648.5\""),
                "bucket 45 of 50 sits at 45 × 14.4 px");
        assertTrue(html.contains("id=\"trend\"") && html.contains("2 +1e ~3"), "the audit's trend with errors and in-flight");
        assertTrue(html.indexOf("id=\"verdict\"") < html.indexOf("id=\"summary\""), "the verdict comes first");
        assertTrue(html.contains("<a href=\"#table-0-"), "the summary links each table");
    }

    @Test
    void junitIsWellFormedXmlWithOneFailurePerBrokenCheck() throws Exception {
        String xml = JunitXml.render(report());
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals("job" + EVIL.replace("\u0001", ""), d.getElementsByTagName("testsuite").item(0).getAttributes()
                .getNamedItem("name").getNodeValue().substring("tally.".length()), "control characters dropped, rest kept");
        assertEquals(3, d.getElementsByTagName("failure").getLength(), "rows, the error rule, the orphans");
        assertEquals(d.getElementsByTagName("testcase").getLength(), Integer.parseInt(d.getElementsByTagName("testsuite")
                .item(0).getAttributes().getNamedItem("tests").getNodeValue()));
        assertTrue(xml.contains("name=\"warnings\""), "warnings pass with their text");
    }

    @Test
    void markdownCellsCannotBreakTheTable() {
        String md = MarkdownSummary.render(report());
        String row = md.lines().filter(l -> l.startsWith("| &lt;script")).findFirst().orElseThrow();
        assertEquals(10, row.split("(?<!\\\\)\\|", -1).length, "9 cells: the pipe in the name is escaped: " + row);
        assertFalse(md.contains("<script"));
    }
}
