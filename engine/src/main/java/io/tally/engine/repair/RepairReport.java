package io.tally.engine.repair;

import java.util.List;
import java.util.Map;

/**
 * {@code repair-report.json}: what a repair run did per table and set, the conflicts it left alone, the
 * sequences it moved, and the re-verification of every planned key and of the table counts.
 *
 * @param status {@code REPAIRED} (every table matches now), {@code NOT_REPAIRED}, or {@code DRY_RUN}
 */
public record RepairReport(String tool, String toolVersion, String planId, String job, String status,
                           boolean dryRun, boolean force, int batchSize, String ledger, String startedAt,
                           String finishedAt, List<TableResult> tables) {

    public static final String REPAIRED = "REPAIRED";
    public static final String NOT_REPAIRED = "NOT_REPAIRED";
    public static final String DRY_RUN = "DRY_RUN";

    public record TableResult(String name, String target, String writeMode, SetResult upserts, SetResult deletes,
                              List<String> sequences, List<ConflictSample> conflictSamples,
                              Verification verification, List<String> sampleStatements) {
    }

    /**
     * @param batchesFromLedger batches an earlier run had already applied (skipped this run)
     * @param alreadyApplied    keys found already in their planned state
     */
    public record SetResult(long planned, long applied, long alreadyApplied, long conflicts, long forced,
                            long batches, long batchesFromLedger) {
    }

    public record ConflictSample(String set, Map<String, String> key, String expected, String found) {
    }

    /**
     * Every planned key re-read on both sides after the repair, and both tables counted.
     *
     * @param matches keys checked all equal on both sides, the counts are equal, and nothing was unplannable
     */
    public record Verification(long keysChecked, long keysMatching, List<Mismatch> mismatchSamples, long sourceRows,
                               long targetRows, boolean matches) {
    }

    public record Mismatch(Map<String, String> key, String source, String target) {
    }
}
