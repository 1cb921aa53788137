package io.tally.jobs;

import io.tally.engine.plan.PlanFiles;
import io.tally.engine.plan.PlanManifest;

import java.io.PrintStream;

/** The human view of a plan: where it came from, what it would do per table, in which order. */
final class PlanSummary {

    private PlanSummary() {
    }

    /** URL without its parameters, and the user, as reports show a side. */
    private static String side(io.tally.engine.config.EndpointConfig e) {
        return e.urlWithoutParameters() + (e.user() == null ? "" : " as " + e.user());
    }

    static void print(PlanFiles.Loaded loaded, PrintStream out) {
        PlanManifest m = loaded.manifest();
        out.println();
        out.println("plan " + m.planId() + "  (" + loaded.dir().toAbsolutePath() + ")");
        out.println("  job " + m.job() + ", made " + m.createdAt() + " from the verify run started "
                + m.verifyRun().startedAt() + " (" + m.verifyRun().status() + "), canonical form " + m.canonicalForm());
        out.println("  source " + side(m.source()));
        out.println("  target " + side(m.target()));
        out.printf("  %-24s %8s %8s %8s %8s %12s%n", "table", "insert", "update", "replace", "delete", "unplannable");
        for (PlanManifest.PlannedTable t : m.tables()) {
            out.printf("  %-24s %8d %8d %8d %8d %12d%n", t.name(), t.inserts(), t.updates(), t.replaces(),
                    t.deletes().rows(), t.unplanned().sourceDuplicateKeys() + t.unplanned().nullKeyRows());
            if (!t.upserts().firstKeys().isEmpty()) {
                out.println("      first upsert keys: " + t.upserts().firstKeys());
            }
            if (!t.deletes().firstKeys().isEmpty()) {
                out.println("      first delete keys: " + t.deletes().firstKeys());
            }
            t.warnings().forEach(w -> out.println("      warning: " + w));
            if (t.unplanned().sourceDuplicateKeys() > 0) {
                out.println("      " + t.unplanned().sourceDuplicateKeys() + " key(s) duplicated in the source "
                        + "are not planned: which row is right is for a person to decide");
            }
            if (t.unplanned().nullKeyRows() > 0) {
                out.println("      " + t.unplanned().nullKeyRows() + " difference(s) in rows with a NULL key are "
                        + "not planned: there is no key to write them by");
            }
        }
        out.println("  upserts run in order " + m.upsertOrder() + ", deletes in order " + m.deleteOrder());
        out.println("  apply with: tally repair --plan " + loaded.dir().toAbsolutePath() + " [--dry-run]");
    }
}
