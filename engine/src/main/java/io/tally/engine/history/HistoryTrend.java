package io.tally.engine.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's history as runs in time order, and its regressions: a table whose differences or errors grew from one
 * verify or audit run to the next, or that went from CONSISTENT to DRIFT. Repairs are listed, not compared (what
 * they leave behind is the next verification's to judge).
 */
public final class HistoryTrend {

    /** One run: its records by table, in the order written. */
    public record Run(String runId, String command, String startedAt, String verdict,
                      Map<String, HistoryRecord> tables) {
    }

    /** A table that got worse in {@code run} compared with {@code since}. */
    public record Regression(String table, Run run, Run since, String what) {
    }

    private final List<Run> runs = new ArrayList<>();
    private final Set<String> tables = new LinkedHashSet<>();

    public HistoryTrend(List<HistoryRecord> records) {
        Map<String, Run> byId = new LinkedHashMap<>();
        for (HistoryRecord r : records) {
            Run run = byId.computeIfAbsent(r.runId(), id -> new Run(id, r.command(), r.startedAt(), r.verdict(),
                    new LinkedHashMap<>()));
            run.tables().put(r.table(), r);
            tables.add(r.table());
        }
        runs.addAll(byId.values());
    }

    public List<Run> runs() {
        return runs;
    }

    public Set<String> tables() {
        return tables;
    }

    public List<Regression> regressions() {
        List<Regression> out = new ArrayList<>();
        Map<String, Run> last = new LinkedHashMap<>();
        for (Run run : runs) {
            if (run.command().equals("repair")) {
                continue;
            }
            for (HistoryRecord now : run.tables().values()) {
                Run before = last.get(now.table());
                if (before != null) {
                    HistoryRecord was = before.tables().get(now.table());
                    String what = worse(was, now);
                    if (what != null) {
                        out.add(new Regression(now.table(), run, before, what));
                    }
                }
                last.put(now.table(), run);
            }
        }
        return out;
    }

    /** Whether the newest verify or audit run regressed on any table. */
    public boolean latestRegressed() {
        Run latest = null;
        for (Run r : runs) {
            if (!r.command().equals("repair")) {
                latest = r;
            }
        }
        Run newest = latest;
        return newest != null && regressions().stream().anyMatch(g -> g.run() == newest);
    }

    private static String worse(HistoryRecord was, HistoryRecord now) {
        if (now.differences() > was.differences()) {
            return "differences " + was.differences() + " -> " + now.differences();
        }
        if (now.errors() > was.errors()) {
            return "errors " + was.errors() + " -> " + now.errors();
        }
        if (now.duplicates() > was.duplicates()) {
            return "duplicate keys " + was.duplicates() + " -> " + now.duplicates();
        }
        if ("CONSISTENT".equals(was.status()) && "DRIFT".equals(now.status())) {
            return "CONSISTENT -> DRIFT";
        }
        return null;
    }
}
