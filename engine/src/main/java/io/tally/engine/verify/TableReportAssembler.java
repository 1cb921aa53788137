package io.tally.engine.verify;

import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.report.Report;
import io.tally.engine.report.SideProfile;
import io.tally.engine.report.TableReport;

import java.util.ArrayList;
import java.util.List;

/** Puts one table's plan, profiles, diff and group counts into its report entry and decides its status. */
final class TableReportAssembler {

    private TableReportAssembler() {
    }

    static TableReport assemble(TablePlan plan, SideProfile source, SideProfile target, DiffResult diff,
                                TableReport.Groups batches, TableReport.Groups windows,
                                List<TableReport.Finding> findings, TableReport.Mode mode, TableReport.Dedupe dedupe,
                                List<io.tally.engine.report.RuleResult> rules) {
        List<TableReport.ColumnReport> columns = new ArrayList<>();
        List<String> alignment = new ArrayList<>();
        for (int i = 0; i < plan.columns().size(); i++) {
            ColumnPair p = plan.columns().get(i);
            columns.add(new TableReport.ColumnReport(p.name(), p.source().name(), p.target().name(),
                    p.source().nativeType(), p.target().nativeType(), p.comparedAs(), diff.columnDifferences()[i]));
            p.decisions().forEach(d -> alignment.add(p.name() + ": " + d));
        }
        List<TableReport.Excluded> excluded = plan.exclusions().stream()
                .map(e -> new TableReport.Excluded(e.column(), e.side(), e.reason())).toList();
        List<String> warnings = new ArrayList<>();
        String keyNames = String.join(", ", plan.keys().stream().map(ColumnPair::name).toList());
        if (source.nullKeyRows() > 0) {
            warnings.add(source.nullKeyRows() + " source rows have a NULL in the key (" + keyNames
                    + "); they are matched by content, not by key");
        }
        if (target.nullKeyRows() > 0) {
            warnings.add(target.nullKeyRows() + " target rows have a NULL in the key (" + keyNames
                    + "); they are matched by content, not by key");
        }
        for (TableReport.Excluded e : excluded) {
            if (!e.reason().startsWith("excluded by configuration")) {
                warnings.add("column " + e.column() + " (" + e.side() + ") is not compared: " + e.reason());
            }
        }
        if (dedupe != null && dedupe.rowsSetAside() > 0) {
            warnings.add(dedupe.rowsSetAside() + " source row(s) sharing " + dedupe.values() + " value(s) of ("
                    + String.join(", ", dedupe.key()) + ") were set aside by the dedupe rule (keep " + dedupe.keep()
                    + " " + dedupe.by() + ") and not compared; their target copies count as extra");
        }
        boolean drift = diff.missing() + diff.extra() + diff.changed() > 0 || diff.duplicates().any()
                || (batches != null && batches.differing() > 0) || (windows != null && windows.differing() > 0)
                || findings.stream().anyMatch(f -> f.count() > 0)
                || rules.stream().anyMatch(io.tally.engine.report.RuleResult::fails);
        return new TableReport(plan.name(), drift ? Report.DRIFT : Report.CONSISTENT, source, target,
                diff.missing(), diff.extra(), diff.changed(), diff.duplicates(), columns, alignment, excluded,
                diff.samples(), batches, windows, warnings, List.copyOf(findings), mode, dedupe, rules, null, null, null,
                diff.keyMap(), null, null);
    }
}
