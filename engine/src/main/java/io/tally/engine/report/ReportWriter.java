package io.tally.engine.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tally.engine.TallyError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + name + "-", ".tmp");
            JSON.writeValue(tmp.toFile(), value);
            Path out = dir.resolve(name);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new TallyError("cannot write " + name + " into " + dir + ": " + e.getMessage()
                    + "; choose a writable --out directory");
        }
    }

    public Report read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Report.class);
        } catch (IOException e) {
            throw new TallyError("cannot read report " + file + ": " + e.getMessage());
        }
    }
}
