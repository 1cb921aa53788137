package io.tally.engine.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tally.engine.TallyError;

import java.io.IOException;
import java.nio.file.Path;

/** Writes {@code report.json} atomically (a temp file moved into place), so a crash never leaves half a report. */
public final class ReportWriter {

    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public Path write(Report report, Path dir) {
        return writeJson(report, dir, "report.json");
    }

    /** Writes any value as JSON to {@code dir/name} through a temp file moved into place. */
    public static Path writeJson(Object value, Path dir, String name) {
        String json;
        try {
            json = JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new TallyError("cannot render " + name + ": " + e.getMessage(), e);
        }
        return AtomicFiles.writeString(dir.resolve(name), json, "choose a writable --out directory");
    }

    public Report read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Report.class);
        } catch (IOException e) {
            throw new TallyError("cannot read report " + file + ": " + e.getMessage());
        }
    }
}
