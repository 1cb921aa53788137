package io.tally.engine.report;

import io.tally.engine.TallyError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file whole or not at all: into a temp file beside it, then moved into place (the temp file never stays). */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** @param fix what to do when the write fails, for the error line */
    public static Path writeString(Path file, String content, String fix) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName() + "-", ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more can be done about a stray temp file
                }
            }
            throw new TallyError("cannot write " + file + ": " + e.getMessage() + "; " + fix);
        }
    }
}
