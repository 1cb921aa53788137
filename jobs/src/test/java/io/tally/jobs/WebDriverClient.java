package io.tally.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A headless Chromium driven through chromedriver's W3C WebDriver protocol over plain HTTP (the Debian packages
 * {@code chromium} and {@code chromium-driver}); no Selenium, whose Guava would clash with Spark's on the test
 * class path.
 */
final class WebDriverClient implements AutoCloseable {

    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String session;

    WebDriverClient(Path chromium, Path chromedriver) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        base = "http://127.0.0.1:" + port;
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                if (call("GET", "/status", null).at("/value/ready").asBoolean()) {
                    break;
                }
            } catch (IOException notYet) {
                // chromedriver is starting
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("chromedriver did not start on port " + port);
            }
            Thread.sleep(100);
        }
        Map<String, Object> caps = Map.of("capabilities", Map.of("alwaysMatch", Map.of("browserName", "chrome",
                "goog:chromeOptions", Map.of("binary", chromium.toString(), "args", List.of("--headless=new",
                        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600")))));
        try {
            session = call("POST", "/session", caps).at("/value/sessionId").asText();
        } catch (Exception e) {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
            throw e;
        }
    }

    void open(String url) throws Exception {
        call("POST", "/session/" + session + "/url", Map.of("url", url));
    }

    String title() throws Exception {
        return call("GET", "/session/" + session + "/title", null).get("value").asText();
    }

    /** The visible text of every element matching {@code css}. */
    List<String> texts(String css) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode e : call("POST", "/session/" + session + "/elements", Map.of("using", "css selector", "value", css))
                .get("value")) {
            out.add(call("GET", "/session/" + session + "/element/" + e.get(ELEMENT).asText() + "/text", null)
                    .get("value").asText());
        }
        return out;
    }

    /** A computed style of the first element matching {@code css}. */
    String style(String css, String property) throws Exception {
        JsonNode e = call("POST", "/session/" + session + "/element", Map.of("using", "css selector", "value", css));
        return call("GET", "/session/" + session + "/element/" + e.at("/value/" + ELEMENT).asText() + "/css/" + property,
                null).get("value").asText();
    }

    void screenshot(Path png) throws Exception {
        Files.write(png, Base64.getDecoder().decode(call("GET", "/session/" + session + "/screenshot", null)
                .get("value").asText()));
    }

    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
        b = switch (method) {
            case "GET" -> b.GET();
            case "DELETE" -> b.DELETE();
            default -> b.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        };
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + path + ": " + r.statusCode() + " " + json);
        }
        return json;
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (Exception ignored) {
            // the driver is stopped below either way
        } finally {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
        }
    }
}
