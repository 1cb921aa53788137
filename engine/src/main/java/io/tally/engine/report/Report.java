package io.tally.engine.report;

import java.util.List;

/**
 * The contract of {@code report.json} (documented in docs/report.md). Field names are written in snake_case;
 * new fields may be added, existing ones keep their meaning.
 *
 * @param status {@code CONSISTENT} when every table is consistent, {@code DRIFT} otherwise
 */
public record Report(String tool, String toolVersion, String canonicalForm, String job, String status,
                     String startedAt, String finishedAt, Side source, Side target, List<TableReport> tables) {

    public static final String CONSISTENT = "CONSISTENT";
    public static final String DRIFT = "DRIFT";

    /** A side without secrets: engine, URL without parameters, user, zone for zone-less values. */
    public record Side(String kind, String url, String user, String timeZone) {
    }
}
