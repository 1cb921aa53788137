package io.tally.engine.report;

import java.util.List;

/**
 * The contract of {@code report.json} (documented in docs/report.md). Field names are written in snake_case;
 * new fields may be added, existing ones keep their meaning.
 *
 * @param status    {@code CONSISTENT} when every table is consistent and no integrity check found an error,
 *                  {@code DRIFT} otherwise
 * @param integrity the integrity checks that ran beyond the row diff and their findings (docs/integrity.md)
 * @param partial   a canary run: some table compared only a subset of its rows (each table's {@code subset} says
 *                  which and how much), so CONSISTENT speaks for that subset only
 */
public record Report(String tool, String toolVersion, String canonicalForm, String job, String status,
                     String startedAt, String finishedAt, Side source, Side target, List<TableReport> tables,
                     Integrity integrity, boolean partial) {

    public Report {
        integrity = integrity == null ? new Integrity(List.of(), List.of()) : integrity;
    }

    public static final String CONSISTENT = "CONSISTENT";
    public static final String DRIFT = "DRIFT";

    /** A side without secrets: engine, URL without parameters, user, zone for zone-less values. */
    public record Side(String kind, String url, String user, String timeZone) {
    }

    /** What was checked ({@code orphans: 3 reference(s)}, ...) and every finding, errors and warnings. */
    public record Integrity(List<String> checked, List<IntegrityFinding> findings) {

        public Integrity {
            checked = checked == null ? List.of() : List.copyOf(checked);
            findings = findings == null ? List.of() : List.copyOf(findings);
        }

        public boolean hasErrors() {
            return findings.stream().anyMatch(IntegrityFinding::isError);
        }
    }
}
