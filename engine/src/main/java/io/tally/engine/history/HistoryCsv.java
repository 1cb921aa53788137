package io.tally.engine.history;

import io.tally.engine.TallyError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A job's history as CSV (RFC 4180, a header of the Parquet column names), for tools without a Parquet reader: the
 * notebooks in {@code notebooks/}, spreadsheets.
 */
public final class HistoryCsv {

    static final String HEADER = "run_id,job,command,started_at,finished_at,verdict,table,status,source_rows,"
            + "target_rows,missing,extra,changed,differences,duplicates,errors,in_flight,source_mark,target_mark,mark_of";

    private HistoryCsv() {
    }

    public static Path write(List<HistoryRecord> records, Path file) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (HistoryRecord r : records) {
            Object[] values = {r.runId(), r.job(), r.command(), r.startedAt(), r.finishedAt(), r.verdict(), r.table(),
                    r.status(), r.sourceRows(), r.targetRows(), r.missing(), r.extra(), r.changed(), r.differences(),
                    r.duplicates(), r.errors(), r.inFlight(), r.sourceMark(), r.targetMark(), r.markOf()};
            for (int i = 0; i < values.length; i++) {
                csv.append(i == 0 ? "" : ",").append(field(values[i]));
            }
            csv.append("\r\n");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".history-", ".csv");
            Files.writeString(tmp, csv, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new TallyError("cannot write " + file + ": " + e.getMessage() + "; choose a writable path for --csv");
        }
    }

    private static String field(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        return s.matches("[^\",\\r\\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
