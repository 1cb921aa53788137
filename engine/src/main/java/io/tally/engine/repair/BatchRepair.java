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
 * exactly the key; a key planned as absent is inserted with the insert-only form (PostgreSQL DO NOTHING, MySQL a
 * plain INSERT), so a row that appears between the check and the write is reported, not overwritten. Without such an index (a target that holds
 * duplicate keys) the key's rows are deleted and the source row inserted, in the same transaction.
 */
public final class BatchRepair {

    private static final String FOREIGN = "other rows match this key in the target's collation";

    /**
     * How to write one table: its target side, whether a unique index covers exactly its key, and its write
     * shape (generated columns are never written; a GENERATED ALWAYS identity takes OVERRIDING SYSTEM VALUE).
     */
    public record Target(SideAccess side, boolean uniqueKey, io.tally.engine.source.WriteShape shape) {

        /** Positions (in plan column order) of the columns the repair writes. */
        int[] written() {
            return java.util.stream.IntStream.range(0, side.columns().size())
                    .filter(i -> !shape.generated().contains(side.columns().get(i).name())).toArray();
        }
    }

    private final RowFetcher fetcher = new RowFetcher();
    /** Keys whose DELETE removed another number of rows than the check saw, in an earlier attempt of this batch. */
    private final java.util.Set<String> unstable = java.util.concurrent.ConcurrentHashMap.newKeySet();
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
        Map<String, String> guards = new HashMap<>(fetched.guards());
        if (fetched.foreign()) {
            // The collation matched rows under other spellings: settle each key on its own.
            for (PlanRow r : rows) {
                RowFetcher.Fetched one = fetcher.fetch(c, side, List.of(r.keyTokens(keys)), !dryRun);
                String state = one.foreign() ? FOREIGN : one.state(r.key());
                states.put(r.key(), state);
                guards.put(r.key(), one.foreign() ? FOREIGN : one.guard(r.key()));
            }
        }
        List<PlanRow> write = new ArrayList<>();
        List<BatchOutcome.Conflict> conflicts = new ArrayList<>();
        int already = 0;
        int forced = 0;
        for (PlanRow r : rows) {
            String now = states.getOrDefault(r.key(), RowFetcher.ABSENT);
            String guard = guards.getOrDefault(r.key(), RowFetcher.ABSENT);
            if (unstable.contains(r.key())) {
                conflicts.add(new BatchOutcome.Conflict(r, "DELETE under this key removed other rows than the "
                        + "check saw (a concurrent write, or a collation matching other spellings of the key)"));
            } else if (now.equals(r.desired())) {
                already++;
            } else if (guard.equals(r.expected())) {
                write.add(r);
            } else if (force && !now.equals(FOREIGN)) {
                write.add(r);
                forced++;
            } else {
                conflicts.add(new BatchOutcome.Conflict(r, guard));
            }
        }
        List<String> statements = new ArrayList<>();
        List<PlanRow> lost = write(c, write, statements, states);
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
    private List<PlanRow> write(Connection c, List<PlanRow> rows, List<String> statements, Map<String, String> seen)
            throws SQLException {
        SideAccess side = target.side();
        var d = side.dialect();
        List<PlanRow> lost = new ArrayList<>();
        if (rows.isEmpty()) {
            return lost;
        }
        String delete = "DELETE FROM " + side.qualified() + " WHERE " + side.keyPredicate();
        if (rows.get(0).isDelete()) {
            deleteExactly(c, delete, rows, seen, statements);
            return lost;
        }
        int[] written = target.written();
        List<String> quoted = side.quotedColumns();
        List<String> typed = side.placeholders();
        List<String> columns = java.util.Arrays.stream(written).mapToObj(quoted::get).toList();
        List<String> placeholders = java.util.Arrays.stream(written).mapToObj(typed::get).toList();
        List<String> always = target.shape().identityAlways().stream().map(d::quote).filter(columns::contains).toList();
        boolean overriding = !always.isEmpty();
        if (!target.uniqueKey()) {
            deleteExactly(c, delete, rows, seen, statements);
            run(c, d.insert(side.qualified(), columns, placeholders, overriding), rows, written, statements);
            return lost;
        }
        Map<Boolean, List<PlanRow>> byKind = rows.stream().collect(java.util.stream.Collectors.partitioningBy(
                r -> RowFetcher.ABSENT.equals(r.expected()) && !force));
        List<PlanRow> inserts = byKind.get(true);
        List<PlanRow> upserts = byKind.get(false);
        int[] counts = run(c, d.upsert(side.qualified(), columns, placeholders, side.quotedKeys(), true, always),
                inserts, written, statements);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                lost.add(inserts.get(i));
            }
        }
        run(c, d.upsert(side.qualified(), columns, placeholders, side.quotedKeys(), false, always), upserts,
                written, statements);
        return lost;
    }

    /**
     * Deletes by key and checks each key lost exactly the rows its checked state had. Without a unique index a
     * row committed under the key after the check is not locked by it, and a case-insensitive collation can
     * match other spellings: the mismatch rolls the batch back (SQLState {@value #TARGET_MOVED}, retried), and
     * the retry reports those keys as conflicts.
     */
    private void deleteExactly(Connection c, String sql, List<PlanRow> rows, Map<String, String> seen,
                               List<String> statements) throws SQLException {
        int[] counts = run(c, sql, rows, java.util.stream.IntStream.range(0, target.side().keyCount()).toArray(),
                statements);
        boolean moved = false;
        for (int i = 0; i < counts.length && !dryRun; i++) {
            int expected = rowsIn(seen.getOrDefault(rows.get(i).key(), RowFetcher.ABSENT));
            if (counts[i] != expected) {
                unstable.add(rows.get(i).key()); // the retry reports it as a conflict instead of writing it
                moved = true;
            }
        }
        if (moved) {
            throw new SQLException("a DELETE under a planned key removed other rows than the check saw", TARGET_MOVED);
        }
    }

    /** SQLState for "the target changed between the check and the write"; class 40, so the batch is retried. */
    static final String TARGET_MOVED = "40T01";

    /** How many rows a key state stands for: absent 0, a row hash 1, {@code dup:<n>:…} n. */
    static int rowsIn(String state) {
        if (RowFetcher.ABSENT.equals(state)) {
            return 0;
        }
        if (state.startsWith("dup:")) {
            return Integer.parseInt(state.substring(4, state.indexOf(':', 4)));
        }
        return 1;
    }

    /** Binds the tokens at {@code bound} of each row; in a dry run only renders a sample of the statements. */
    private int[] run(Connection c, String sql, List<PlanRow> rows, int[] bound, List<String> statements)
            throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        SideAccess side = target.side();
        if (dryRun) {
            for (PlanRow r : rows.subList(0, Math.min(rows.size(), sampleStatements))) {
                StringBuilder shown = new StringBuilder();
                int next = 0;
                for (char ch : sql.toCharArray()) {
                    if (ch == '?' && next < bound.length) {
                        int i = bound[next++];
                        shown.append(ValueBinder.display(r.tokens().get(i), side.columns().get(i), side.rules().get(i)));
                    } else {
                        shown.append(ch);
                    }
                }
                statements.add(shown.toString());
            }
            int[] wouldWrite = new int[rows.size()];
            java.util.Arrays.fill(wouldWrite, 1);
            return wouldWrite;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (PlanRow r : rows) {
                for (int p = 0; p < bound.length; p++) {
                    int i = bound[p];
                    ValueBinder.bind(ps, p + 1, r.tokens().get(i), side.columns().get(i), side.rules().get(i));
                }
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int n : counts) {
                if (n < 0) {
                    throw new io.tally.engine.TallyError("the " + side.dialect().name() + " driver did not report "
                            + "row counts for the repair's statements; remove reWriteBatchedInserts or "
                            + "rewriteBatchedStatements from the target URL");
                }
            }
            return counts;
        }
    }
}
