package io.tally.engine.report;

import java.util.List;
import java.util.Map;

/**
 * One table's verdict, counts, per-column differences, decisions, exclusions and samples; {@code dedupe} (null
 * without a {@code dedupe} rule) tells which source rows were set aside before the diff; {@code rules} holds the
 * business rules evaluated on the table (docs/rules.md); {@code scope} (audits), {@code positions} and {@code recheck}
 * (null when rechecks are off) are described in docs/audits.md; {@code keyMap} places the differences in the key
 * range; {@code reads} says which picture of each database the reads saw and how long a throttle held them, and
 * {@code subset} (null: every row) which rows a canary run compared (docs/live-systems.md).
 */
public record TableReport(String name, String status, SideProfile source, SideProfile target, long missing,
                          long extra, long changed, Duplicates duplicates, List<ColumnReport> columns,
                          List<String> alignment, List<Excluded> excluded, Samples samples, Groups batches,
                          Groups windows, List<String> warnings, List<Finding> findings, Mode mode,
                          Dedupe dedupe, List<RuleResult> rules, ReadScope scope, Positions positions,
                          Recheck recheck, KeyMap keyMap, Reads reads, Subset subset) {

    public TableReport {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** This table's report with where its read began, the audit's scope and the rechecks (each may be null). */
    public TableReport with(ReadScope scope, Positions positions, Recheck recheck) {
        return new TableReport(name, status, source, target, missing, extra, changed, duplicates, columns, alignment,
                excluded, samples, batches, windows, warnings, findings, mode, dedupe, rules, scope, positions, recheck,
                keyMap, reads, subset);
    }

    /** This table's report with how its sides were read and the subset a canary compared (null: every row). */
    public TableReport with(Reads reads, Subset subset) {
        return new TableReport(name, status, source, target, missing, extra, changed, duplicates, columns, alignment,
                excluded, samples, batches, windows, warnings, findings, mode, dedupe, rules, scope, positions, recheck,
                keyMap, reads, subset);
    }

    /** This table's report with {@code more} warnings. */
    public TableReport withWarnings(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new TableReport(name, status, source, target, missing, extra, changed, duplicates, columns, alignment,
                excluded, samples, batches, windows, all, findings, mode, dedupe, rules, scope, positions, recheck,
                keyMap, reads, subset);
    }

    /** How each side was read (docs/live-systems.md). */
    public record Reads(SideRead source, SideRead target) {

        /**
         * A warning for a table whose rows differ although a side was not read in one picture (each partition at its
         * own moment, or MySQL's per-connection snapshots opened apart) and no recheck read the differing keys
         * again: some differences may be writes made while the partitions were read (docs/live-systems.md).
         */
        public java.util.List<String> unsteady(long differences, Recheck recheck) {
            if (differences == 0 || (recheck != null && recheck.rechecked() > 0)) {
                return java.util.List.of();
            }
            java.util.List<String> sides = new java.util.ArrayList<>();
            if (source != null && moving(source.snapshot())) {
                sides.add("the source (" + describe(source.snapshot()) + ")");
            }
            if (target != null && moving(target.snapshot())) {
                sides.add("the target (" + describe(target.snapshot()) + ")");
            }
            return sides.isEmpty() ? java.util.List.of() : java.util.List.of("if writes went on during the read, "
                    + "some differences may be them: " + String.join(" and ", sides)
                    + (sides.size() == 1 ? " was" : " were") + " not read in one picture; "
                    + (recheck != null && recheck.skipped() != null ? "recheck was skipped (" + recheck.skipped()
                    + "), so verify again while writes are paused before repairing"
                    : "confirm with recheck (recheck: {generations: 1}) before repairing"));
        }

        private static boolean moving(ReadSnapshot s) {
            return s != null && (ReadSnapshot.NONE.equals(s.kind()) || (ReadSnapshot.PER_CONNECTION.equals(s.kind())
                    && s.connections() > 1 && s.skewMillis() != null && s.skewMillis() > 0));
        }

        private static String describe(ReadSnapshot s) {
            return ReadSnapshot.NONE.equals(s.kind()) ? "each partition at its own moment"
                    : s.connections() + " consistent snapshots " + s.skewMillis() + " ms apart";
        }
    }

    /**
     * One side's read: the picture of the database it saw, and how long its throttle held read connections back in
     * all ({@code throttledMillis}, over {@code partitionsThrottled} partitions).
     */
    public record SideRead(ReadSnapshot snapshot, long throttledMillis, int partitionsThrottled) {
    }

    /**
     * The rows a canary run compared (docs/live-systems.md): each side's {@code where} (SQL on its own columns), the
     * first key column's range {@code [keyFrom, keyTo)} (either end open when null), the {@code batch} value, and the
     * deterministic {@code sample} (a fraction of keys chosen by a hash of the key, the same keys on both sides;
     * {@code sampleMethod} says where it was computed). {@code coverage} is the source rows compared over the source
     * table's rows ({@code sourceTotal}, an estimate from the catalog when {@code totalsEstimated}).
     */
    public record Subset(String sourceWhere, String targetWhere, String keyFrom, String keyTo, String batch,
                         String sample, String sampleMethod, long sourceRows, long targetRows, long sourceTotal,
                         long targetTotal, boolean totalsEstimated, double coverage) {
    }

    /** Both sides' positions as their reads of this table began (docs/audits.md). */
    public record Positions(Position source, Position target) {
    }

    /**
     * How the table was compared: {@code full} (every row read) or {@code pushdown} (segments compared inside the
     * databases, only differing ranges read), why, and how many rows were read from each side.
     */
    public record Mode(String used, String reason, long segmentsCompared, int rounds, int rangesRead,
                       long sourceRowsRead, long targetRowsRead) {
    }

    /**
     * A problem the row diff does not show by itself (MongoDB targets): {@code half-done} documents a migration
     * marked unfinished, {@code logical-duplicates} (one entity under several documents) and {@code orphans}
     * (references to documents that do not exist). Any finding makes the table DRIFT.
     */
    public record Finding(String kind, String detail, long count, List<Map<String, String>> samples) {
    }

    /** Keys holding more than one row, per side, and the surplus rows beyond the first. */
    public record Duplicates(long sourceKeys, long targetKeys, long sourceSurplusRows, long targetSurplusRows) {
        public boolean any() {
            return sourceKeys > 0 || targetKeys > 0;
        }
    }

    public record ColumnReport(String name, String sourceColumn, String targetColumn, String sourceType,
                               String targetType, String comparedAs, long differences) {
    }

    /**
     * The source rows a {@code dedupe} rule set aside: the values of its key held by more than one source row,
     * the rows beyond the one kept per value (not compared; the plan deletes them from the target), and samples
     * (the key's values, the kept row's key and a set-aside row's key).
     */
    public record Dedupe(List<String> key, String keep, String by, long values, long rowsSetAside,
                         List<Map<String, String>> samples) {
    }

    public record Excluded(String column, String side, String reason) {
    }

    public record Samples(List<Map<String, String>> missing, List<Map<String, String>> extra,
                          List<ChangedRow> changed, List<DuplicateKey> duplicates) {
    }

    public record ChangedRow(Map<String, String> key, Map<String, ValuePair> columns) {
    }

    public record ValuePair(String source, String target) {
    }

    public record DuplicateKey(Map<String, String> key, long sourceRows, long targetRows) {
    }

    /** Row counts per batch value or time window, both sides; {@code groups} lists differing ones first. */
    public record Groups(String column, String window, long total, long differing, boolean truncated,
                         List<GroupCount> groups) {
    }

    public record GroupCount(String value, long source, long target) {
    }
}
