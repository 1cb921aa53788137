package io.tally.engine.repair;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one batch of one table's plan set in one transaction: lock the batch's target rows, compare each
 * key's state with the state verification saw, write the keys that still match (or all, with force), record
 * the batch in the ledger, commit. A key already in its planned state is skipped, which is what makes a re-run
 * after a crash converge instead of duplicating or reporting conflicts.
 *
 * <p>Upserts use the dialect's INSERT ... ON CONFLICT / ON DUPLICATE KEY when the target has a unique index on
 * exactly the key; a key planned as absent is inserted with "do nothing" semantics, so a row that appears
 * between the check and the write is reported, not overwritten. Without such an index (a target that holds
 * duplicate keys) the key's rows are deleted and the source row inserted, in the same transaction.
 */
public final class BatchRepair {

    /** How to write one table: its target side and whether a unique index covers exactly its key. */
    public record Target(SideAccess side, boolean uniqueKey) {
    }

    private final RowFetcher fetcher = new RowFetcher();
    private final Target target;
    private final boolean force;
    private final boolean dryRun;
    private final int sampleStatements;

    public BatchRepair(Target target, boolean force, boolean dryRun, int sampleStatements) {
        this.target = target;
        this.force = force;
        this.dryRun = dryRun;
        this.sampleStatements = sampleStatements;
    }

    /**
     * Runs the batch on {@code c} (auto-commit off). {@code beforeCommit} records the ledger entry in the same
     * transaction; in a dry run nothing is locked, written or recorded, and the transaction is rolled back.
     */
    public BatchOutcome apply(Connection c, List<PlanRow> rows, LedgerStep beforeCommit) throws SQLException {
        SideAccess side = target.side();
        int keys = side.keyCount();
        RowFetcher.Fetched fetched = fetcher.fetch(c, side, rows.stream().map(r -> r.keyTokens(keys)).toList(), !dryRun);
        Map<String, String> states = new HashMap<>(fetched.states());
        if (fetched.foreign()) {
            // The collation matched rows under other spellings: settle each key on its own.
            for (PlanRow r : rows) {
                RowFetcher.Fetched one = fetcher.fetch(c, side, List.of(r.keyTokens(keys)), !dryRun);
                states.put(r.key(), one.foreign() ? "other rows match this key in the target's collation"
                        : one.state(r.key()));
            }
        }
        List<PlanRow> write = new ArrayList<>();
        List<BatchOutcome.Conflict> conflicts = new ArrayList<>();
        int already = 0;
        int forced = 0;
        for (PlanRow r : rows) {
            String now = states.getOrDefault(r.key(), RowFetcher.ABSENT);
            if (now.equals(r.desired())) {
                already++;
            } else if (now.equals(r.expected())) {
                write.add(r);
            } else if (force && !now.startsWith("other rows")) {
                write.add(r);
                forced++;
            } else {
                conflicts.add(new BatchOutcome.Conflict(r, now));
            }
        }
        List<String> statements = new ArrayList<>();
        List<PlanRow> lost = write(c, write, statements);
        lost.forEach(r -> conflicts.add(new BatchOutcome.Conflict(r, "a row appeared under this key after the check")));
        BatchOutcome outcome = new BatchOutcome(write.size() - lost.size(), already, forced, conflicts, statements);
        if (dryRun) {
            c.rollback();
        } else {
            beforeCommit.record(c, outcome);
            c.commit();
        }
        return outcome;
    }

    /** Records a batch's outcome inside its transaction. */
    @FunctionalInterface
    public interface LedgerStep {
        void record(Connection c, BatchOutcome outcome) throws SQLException;
    }

    /** Writes the rows; returns the inserts that found a row already there (do-nothing inserts that did nothing). */
    private List<PlanRow> write(Connection c, List<PlanRow> rows, List<String> statements) throws SQLException {
        SideAccess side = target.side();
        var d = side.dialect();
        List<PlanRow> lost = new ArrayList<>();
        if (rows.isEmpty()) {
            return lost;
        }
        if (rows.get(0).isDelete()) {
            run(c, "DELETE FROM " + side.qualified() + " WHERE " + side.keyPredicate(), rows, side.keyCount(), statements);
            return lost;
        }
        String insert = "INSERT INTO " + side.qualified() + " (" + String.join(", ", side.quotedColumns())
                + ") VALUES (" + String.join(", ", side.placeholders()) + ")";
        if (!target.uniqueKey()) {
            run(c, "DELETE FROM " + side.qualified() + " WHERE " + side.keyPredicate(), rows, side.keyCount(),
                    statements);
            run(c, insert, rows, side.columns().size(), statements);
            return lost;
        }
        List<PlanRow> inserts = rows.stream().filter(r -> RowFetcher.ABSENT.equals(r.expected()) && !force).toList();
        List<PlanRow> upserts = rows.stream().filter(r -> !inserts.contains(r)).toList();
        int[] counts = run(c, d.upsert(side.qualified(), side.quotedColumns(), side.placeholders(), side.quotedKeys(),
                true), inserts, side.columns().size(), statements);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                lost.add(inserts.get(i));
            }
        }
        run(c, d.upsert(side.qualified(), side.quotedColumns(), side.placeholders(), side.quotedKeys(), false),
                upserts, side.columns().size(), statements);
        return lost;
    }

    /** Binds the first {@code width} tokens of each row; in a dry run only renders a sample of the statements. */
    private int[] run(Connection c, String sql, List<PlanRow> rows, int width, List<String> statements)
            throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        SideAccess side = target.side();
        if (dryRun) {
            for (PlanRow r : rows.subList(0, Math.min(rows.size(), sampleStatements))) {
                String shown = sql;
                for (int i = 0; i < width; i++) {
                    shown = shown.replaceFirst("\\?", java.util.regex.Matcher.quoteReplacement(
                            ValueBinder.display(r.tokens().get(i), side.columns().get(i), side.rules().get(i))));
                }
                statements.add(shown);
            }
            int[] wouldWrite = new int[rows.size()];
            java.util.Arrays.fill(wouldWrite, 1);
            return wouldWrite;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (PlanRow r : rows) {
                for (int i = 0; i < width; i++) {
                    ValueBinder.bind(ps, i + 1, r.tokens().get(i), side.columns().get(i), side.rules().get(i));
                }
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }
}
