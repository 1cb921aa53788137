package io.tally.engine.plan;

import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.config.EndpointConfig;
import io.tally.engine.model.TableRef;

import java.util.List;
import java.util.Map;

/**
 * {@code plan/manifest.json}: what a reconciliation plan holds and where it came from. The plan id is the
 * SHA-256 of this manifest with its volatile fields (id, creation time, verify run, file checksums) blanked,
 * so the same verification inputs give the same id; the file checksums seal the Parquet sets against edits.
 *
 * @param runId       random, per plan written: the ledger keys progress by plan id and run id, so a new plan
 *                    with the same content (the same damage found again) starts a fresh ledger
 * @param source      the source endpoint as configured, URL without its parameters (user, the name of the
 *                    password variable or file; never a secret)
 * @param upsertOrder table names, parents before children (declared foreign keys in the target)
 * @param deleteOrder table names, children before parents
 * @param sequences   table names whose target sequences verify found at or behind the key's maximum: repair moves
 *                    them past it (never backwards), whether or not it wrote rows there
 */
public record PlanManifest(String format, String planId, String runId, String canonicalForm, String tallyVersion,
                           String job, String createdAt, VerifyRun verifyRun, EndpointConfig source, EndpointConfig target,
                           List<PlannedTable> tables, List<String> upsertOrder, List<String> deleteOrder,
                           List<String> sequences) {

    public PlanManifest {
        sequences = sequences == null ? List.of() : List.copyOf(sequences);
    }

    public static final String FORMAT = "tally-plan/1";

    /** The verification the plan was computed by. */
    public record VerifyRun(String startedAt, String finishedAt, String status) {
    }

    /**
     * One table's planned work. Upserts are full source rows for missing keys ({@code inserts}), changed keys
     * ({@code updates}) and keys duplicated in the target ({@code replaces}: every target row under the key gives
     * way to the one source row); deletes are keys only in the target.
     *
     * @param columns   the compared columns, keys first, with both sides' declarations and canonical rules
     * @param documents how document fields were canonicalized and written, when a side is MongoDB; else null
     * @param setAside  the dedupe rule and how many source rows it set aside (their target copies are in the
     *                  delete set, marked {@code dedupe}); null without a rule
     */
    public record PlannedTable(String name, TableRef source, TableRef target, int keyCount, List<ColumnPair> columns,
                               PlanSet upserts, PlanSet deletes, long inserts, long updates, long replaces,
                               Unplanned unplanned, List<String> warnings, Documents documents, SetAside setAside) {
    }

    /**
     * Source rows a dedupe rule keeps out of the target: repair's re-verification expects their keys absent
     * from the target, and the target to hold {@code rows} fewer rows than the source.
     */
    public record SetAside(io.tally.engine.config.Dedupe rule, long rows, long deletes) {
    }

    /**
     * A MongoDB side's settings the repair must share with verify: the numeric policy, missing-field semantics and
     * seed-pattern rules, and the BSON type each relational column is written as where the config chose one.
     */
    public record Documents(String numbers, io.tally.engine.config.DocumentRules rules, Map<String, String> bson,
                            List<String> ignoredSource, List<String> ignoredTarget) {

        /** The field canonicalizer verify used. */
        public io.tally.engine.canonical.FieldCanonicalizer fields() {
            return new io.tally.engine.canonical.FieldCanonicalizer(
                    io.tally.engine.canonical.DocumentCanonicalizer.NumericPolicy.valueOf(
                            numbers.toUpperCase(java.util.Locale.ROOT)), rules.missingIsNull());
        }
    }

    /**
     * A Parquet set: its directory under {@code plan/}, row count, the SHA-256 of its rows in key order, the
     * checksum of each file, and the first keys for humans.
     */
    public record PlanSet(String path, long rows, String contentSha256, List<FileSum> files,
                          List<Map<String, String>> firstKeys) {
    }

    public record FileSum(String name, long bytes, String sha256) {
    }

    /**
     * Differences no plan can fix: keys duplicated in the source (which row is right is not knowable) and rows
     * whose key has a NULL (no key to write by). They stay in the report and keep the table from matching.
     */
    public record Unplanned(long sourceDuplicateKeys, long nullKeyRows) {
    }

    /** The manifest as hashed into the plan id: volatile fields blanked. */
    PlanManifest identity() {
        List<PlannedTable> stable = tables.stream().map(t -> new PlannedTable(t.name(), t.source(), t.target(),
                t.keyCount(), t.columns(), stable(t.upserts()), stable(t.deletes()), t.inserts(), t.updates(),
                t.replaces(), t.unplanned(), t.warnings(), t.documents(), t.setAside())).toList();
        return new PlanManifest(format, null, null, canonicalForm, null, job, null, null, source, target, stable,
                upsertOrder, deleteOrder, sequences);
    }

    private static PlanSet stable(PlanSet s) {
        return new PlanSet(s.path(), s.rows(), s.contentSha256(), List.of(), s.firstKeys());
    }

    public PlanManifest withId(String id) {
        return new PlanManifest(format, id, runId, canonicalForm, tallyVersion, job, createdAt, verifyRun, source,
                target, tables, upsertOrder, deleteOrder, sequences);
    }

    /** The key of this plan's progress in the ledger. */
    public String ledgerId() {
        return planId + "/" + runId;
    }

    public PlannedTable table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
