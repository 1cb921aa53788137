package io.tally.engine.repair;

import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.TableRef;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.source.Dialect;

import java.util.List;

/**
 * One side of a planned table as the repair reads and writes it: the table, its compared columns in plan order
 * (keys first), and the canonical rule of each on this side.
 */
public record SideAccess(Dialect dialect, TableRef table, List<ColumnInfo> columns, List<ColumnRule> rules,
                         int keyCount) {

    public static SideAccess of(Dialect dialect, PlanManifest.PlannedTable t, boolean source) {
        List<ColumnPair> pairs = t.columns();
        return new SideAccess(dialect, source ? t.source() : t.target(),
                pairs.stream().map(p -> source ? p.source() : p.target()).toList(),
                pairs.stream().map(p -> source ? p.sourceRule() : p.targetRule()).toList(), t.keyCount());
    }

    public String qualified() {
        return dialect.qualified(table);
    }

    public List<String> quotedColumns() {
        return columns.stream().map(c -> dialect.quote(c.name())).toList();
    }

    public List<String> quotedKeys() {
        return quotedColumns().subList(0, keyCount);
    }

    public List<String> placeholders() {
        return columns.stream().map(dialect::placeholder).toList();
    }

    /** {@code k1 = ? AND k2 = ?} with the dialect's typed placeholders. */
    public String keyPredicate() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < keyCount; k++) {
            sb.append(k == 0 ? "" : " AND ").append(dialect.quote(columns.get(k).name())).append(" = ")
                    .append(dialect.placeholder(columns.get(k)));
        }
        return sb.toString();
    }
}
