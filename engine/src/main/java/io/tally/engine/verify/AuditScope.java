package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.config.Incremental;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;
import io.tally.engine.model.TableRef;
import io.tally.engine.report.ReadScope;

/**
 * Narrows an audit's read of one table to the rows changed since the last consistent audit (docs/audits.md).
 * Before anything is read, each side's highest value of the incremental column, less the overlap, is taken in the
 * database's own type and arithmetic: that is where the next audit starts. This audit reads the rows at or above
 * the marks the last one left, on both sides; every key found differing is then read again whole by key, so a
 * row inside the scope on one side only is never mistaken for a missing one.
 */
final class AuditScope {

    /** Each side's filter (null: every row) and the report's account of the scope. */
    record Scoped(String sourceFilter, String targetFilter, ReadScope scope) {

        boolean incremental() {
            return ReadScope.INCREMENTAL.equals(scope.read());
        }
    }

    private AuditScope() {
    }

    static Scoped of(AuditRequest audit, TablePlan plan, VerifySide src, VerifySide tgt, TableRef sref, TableRef tref,
                     String at) {
        Incremental inc = plan.config().incremental();
        if (inc == null) {
            return new Scoped(null, null, new ReadScope(ReadScope.FULL, null, null, 0, null, null, null, null,
                    "the table sets no incremental column"));
        }
        if (!(src instanceof JdbcSide s) || !(tgt instanceof JdbcSide t)) {
            throw new TallyError(at + ".incremental narrows relational reads; a MongoDB collection is audited whole, "
                    + "remove incremental from the table");
        }
        String where = at + ".incremental." + inc.kind();
        ColumnInfo sc = plan.source().column(inc.column()).orElseThrow(() -> new TallyError(where + ": column "
                + inc.column() + " not in source table " + sref + "; name a source column (renames are applied for "
                + "the target)"));
        String targetName = plan.config().rename().getOrDefault(sc.name(), sc.name());
        ColumnInfo tc = plan.target().column(targetName).orElseThrow(() -> new TallyError(where + ": column "
                + targetName + " not in target table " + tref + "; map it with rename"));
        long overlap = inc.overlapSeconds();
        boolean temporal = sc.type().isTimestamp() || sc.type() == LogicalType.DATE;
        if (overlap > 0 && !(temporal && (tc.type().isTimestamp() || tc.type() == LogicalType.DATE))) {
            throw new TallyError(where + ": column " + sc.name() + " is " + sc.nativeType() + " (source) and "
                    + tc.nativeType() + " (target); a watermark with an overlap must be a date or timestamp on both "
                    + "sides: use batch for a growing number, or set overlap: 0s");
        }
        if (!temporal && !sc.type().isNumeric() && !sc.type().isText()) {
            throw new TallyError(where + ": column " + sc.name() + " is " + sc.nativeType() + ", which cannot mark "
                    + "progress; use a timestamp, date, number or text column that only grows");
        }
        if (plan.config().dedupe() != null) {
            throw new TallyError(at + ".incremental and .dedupe cannot go together: a dedupe rule ranks every source "
                    + "row; remove incremental (the table is then audited whole)");
        }
        String sourceNext = s.next(sref, sc, overlap, temporal);
        String targetNext = t.next(tref, tc, overlap, tc.type().isTimestamp() || tc.type() == LogicalType.DATE);
        AuditRequest.Marks last = audit.since().get(plan.name());
        String reason = audit.full() ? "--full was given"
                : last == null ? "no earlier consistent audit left a mark for " + inc.kind() + " " + sc.name()
                : last.source() == null || last.target() == null ? "a side had no rows at the last mark" : null;
        if (reason != null) {
            return new Scoped(null, null, new ReadScope(ReadScope.FULL, sc.name(), inc.kind(), overlap, null, null,
                    sourceNext, targetNext, reason));
        }
        var sd = s.endpoint().dialect();
        var td = t.endpoint().dialect();
        return new Scoped(sd.quote(sc.name()) + " >= " + sd.literal(last.source(), sc),
                td.quote(tc.name()) + " >= " + td.literal(last.target(), tc),
                new ReadScope(ReadScope.INCREMENTAL, sc.name(), inc.kind(), overlap, last.source(), last.target(),
                        sourceNext, targetNext, "rows at or above the last consistent audit's marks"));
    }
}
