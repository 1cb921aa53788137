package io.tally.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the demo leaves for people and CI: a self-contained {@code report.html} that headless Chromium renders with
 * the verdict first, every table and a key map; JUnit XML a CI system can read; a Markdown summary; and the
 * notebooks in {@code notebooks/}, executed headless with nbconvert on the demo's outputs. The screenshot is kept in
 * {@code target/demo-report.png}. Needs the Debian packages bin/tally test installs (chromium, chromium-driver,
 * jupyter-nbconvert, python3-pandas, python3-matplotlib, python3-ipykernel).
 */
class DemoOutputsIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path NBCONVERT = Path.of("/usr/bin/jupyter-nbconvert");

    @Test
    void theDemoWritesReportsPeopleAndCiReadAndTheNotebooksRunOnThem(@TempDir Path dir) throws Exception {
        for (Path tool : List.of(CHROMIUM, CHROMEDRIVER, NBCONVERT)) {
            assertTrue(Files.isExecutable(tool), tool + " is missing: run the tests with bin/tally test, which installs "
                    + "chromium, chromium-driver and jupyter-nbconvert (Debian packages)");
        }
        Path out = dir.resolve("demo");
        RepairScenariosTest.Run demo = RepairScenariosTest.cli("demo", "--out", out.toString());
        assertEquals(0, demo.code(), demo.out() + demo.err());
        assertTrue(demo.out().contains("html: file:"), "the console links the HTML report: " + demo.out());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        int tables = report.get("tables").size();

        // self-contained: nothing is fetched from elsewhere
        String html = Files.readString(out.resolve("report.html"));
        for (String external : List.of("<script", "src=\"http", "href=\"http", "@import", "url(")) {
            assertFalse(html.contains(external), "the report loads something from elsewhere: " + external);
        }

        try (WebDriverClient browser = new WebDriverClient(CHROMIUM, CHROMEDRIVER)) {
            browser.open(out.resolve("report.html").toUri().toString());
            assertEquals("Tally DRIFT — " + report.get("job").asText(), browser.title());
            assertEquals(List.of("DRIFT"), browser.texts("#verdict h1"), "the verdict comes first");
            assertEquals("rgba(179, 38, 30, 1)", browser.style("header.verdict", "background-color"), "drift is red");
            assertEquals(tables, browser.texts("#summary tbody tr").size(), "one summary row per table");
            assertEquals(tables, browser.texts("section.table").size(), "one section per table");
            List<String> names = new ArrayList<>();
            report.get("tables").forEach(t -> names.add(t.get("name").asText()));
            assertEquals(names, browser.texts("#summary tbody tr td:first-child a"), "each row links to its table");
            assertFalse(browser.texts("svg.keymap").isEmpty(), "a key map shows where the differences sit");
            assertFalse(browser.texts("#integrity table.integrity tbody tr").isEmpty(), "integrity findings are listed");
            assertTrue(browser.texts("table.rules").stream().anyMatch(t -> t.contains("transfers_balance")), "rules");
            Path png = Path.of("target", "demo-report.png");
            browser.screenshot(png);
            assertTrue(Files.size(png) > 20_000, "a screenshot of a rendered page");
        }

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(out.resolve("report.junit.xml").toFile());
        Element suite = (Element) junit.getElementsByTagName("testsuite").item(0);
        NodeList cases = junit.getElementsByTagName("testcase");
        assertEquals(Integer.parseInt(suite.getAttribute("tests")), cases.getLength());
        assertTrue(Integer.parseInt(suite.getAttribute("failures")) > 0, "the demo's drift fails test cases");
        int rowCases = 0;
        for (int i = 0; i < cases.getLength(); i++) {
            rowCases += ((Element) cases.item(i)).getAttribute("name").equals("rows") ? 1 : 0;
        }
        assertEquals(tables, rowCases, "one rows case per table");
        assertTrue(Files.readString(out.resolve("summary.md")).startsWith("## Tally: ❌ DRIFT"));

        Path executed = Files.createDirectories(dir.resolve("notebooks"));
        try (var notebooks = Files.list(Path.of("..", "notebooks"))) {
            for (Path nb : notebooks.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList()) {
                ProcessBuilder pb = new ProcessBuilder(NBCONVERT.toString(), "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.timeout=300", "--output-dir", executed.toString(), nb.toString())
                        .redirectErrorStream(true);
                pb.environment().put("TALLY_OUT", out.toAbsolutePath().toString());
                Process p = pb.start();
                String log = new String(p.getInputStream().readAllBytes());
                assertEquals(0, p.waitFor(), nb + " failed:\n" + log);
                String result = Files.readString(executed.resolve(nb.getFileName()));
                assertFalse(result.contains("\"output_type\": \"error\""), nb + " raised an error");
            }
        }
        for (String figure : List.of("differences.png", "plan.png", "history.png")) {
            assertTrue(Files.size(out.resolve("figures").resolve(figure)) > 5_000, figure + " was plotted");
        }
    }
}
