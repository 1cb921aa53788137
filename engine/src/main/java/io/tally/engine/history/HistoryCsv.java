package io.tally.engine.history;


import java.nio.file.Path;
import java.util.List;

/**
 * A job's history as CSV (RFC 4180, a header of the Parquet column names), for tools without a Parquet reader: the
 * notebooks in {@code notebooks/}, spreadsheets.
 */
public final class HistoryCsv {

    static final String HEADER = String.join(",", HistoryRecord.COLUMNS);

    private HistoryCsv() {
    }

    public static Path write(List<HistoryRecord> records, Path file) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (HistoryRecord r : records) {
            Object[] values = r.values();
            for (int i = 0; i < values.length; i++) {
                csv.append(i == 0 ? "" : ",").append(field(values[i]));
            }
            csv.append("\r\n");
        }
        return io.tally.engine.report.AtomicFiles.writeString(file, csv.toString(), "choose a writable path for --csv");
    }

    /** A CSV field: quoted when it must be; text a spreadsheet would run as a formula starts with an apostrophe. */
    static String field(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        if (v instanceof String && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0
                && !s.matches("-?\\d+(\\.\\d+)?")) {
            s = "'" + s;
        }
        return s.matches("[^\",\\r\\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
