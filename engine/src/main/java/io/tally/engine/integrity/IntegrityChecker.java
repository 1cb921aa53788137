package io.tally.engine.integrity;

import io.tally.engine.TallyError;
import io.tally.engine.config.IntegrityChecks;
import io.tally.engine.config.Reference;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.TableRef;
import io.tally.engine.model.TableSchema;
import io.tally.engine.report.IntegrityFinding;
import io.tally.engine.report.Report;
import io.tally.engine.source.Dialect;
import io.tally.engine.source.Endpoint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs the integrity checks on a relational side after its rows were compared: per compared table its declared
 * foreign keys and configured references (orphans), unvalidated constraints, sequences and statistics; per schema
 * holding one, broken indexes and schema-change leftovers. Everything runs as catalog queries and in-database
 * anti-joins; nothing is written. See docs/integrity.md.
 */
public final class IntegrityChecker {

    /**
     * A compared table of the side: its report name, where it is, its configured references, its counted rows,
     * and, when the other side is relational too, the pair of schemas to compare (else null).
     */
    public record Table(String name, TableRef table, List<Reference> references, long rows, SchemaDrift.Pair schema,
                        List<List<String>> expectedIndexes, NaturalKeys naturalKeys) {
    }

    /**
     * The configured natural keys of a table, as target column names and (when the source is relational) source
     * ones; {@code deduped} is the target names of the dedupe rule's key (null without one): the plan removes the
     * target's duplicates under it.
     */
    public record NaturalKeys(List<List<String>> target, List<List<String>> source, List<String> deduped) {
        public static final NaturalKeys NONE = new NaturalKeys(List.of(), List.of(), null);
    }

    private final IntegrityChecks checks;
    private final int sampleSize;
    private final Consumer<String> progress;

    public IntegrityChecker(IntegrityChecks checks, int sampleSize, Consumer<String> progress) {
        this.checks = checks;
        this.sampleSize = sampleSize;
        this.progress = progress;
    }

    /**
     * Planning: every configured reference names existing columns of existing tables, in equal numbers, and every
     * expected index existing columns of the table ({@code child}, as planning described it).
     */
    public static void validate(Endpoint side, TableSchema child, List<Reference> references, List<List<String>> indexes,
                                String at) {
        TableRef table = child.table();
        for (int i = 0; i < indexes.size(); i++) {
            if (indexes.get(i).isEmpty()) {
                throw new TallyError(at + ".indexes[" + i + "]: list the index's target columns, e.g. [customer_id]");
            }
            known(child, indexes.get(i), at + ".indexes[" + i + "]", table.toString());
        }
        if (references.isEmpty()) {
            return;
        }
        try (Connection c = side.connect()) {
            for (int i = 0; i < references.size(); i++) {
                Reference r = references.get(i);
                String where = at + ".references[" + i + "]";
                if (r.table() == null || r.columns().isEmpty() || r.columns().size() != r.to().size()) {
                    throw new TallyError(where + ": give columns, table and to, with as many 'to' columns as 'columns'");
                }
                TableRef ref = TableRef.parse(r.table());
                TableSchema parent = side.dialect().describe(c, ref.schema() == null && table.schema() != null
                        ? new TableRef(table.schema(), ref.name()) : ref);
                if (parent.columns().isEmpty()) {
                    throw new TallyError(where + ": table " + r.table() + " not found in " + side.describe()
                            + "; name an existing table (schema.table, names are case-sensitive)");
                }
                known(child, r.columns(), where + ".columns", table.toString());
                known(parent, r.to(), where + ".to", r.table());
            }
        } catch (SQLException e) {
            throw new TallyError("reading the catalog of the " + side.role() + " failed: " + side.scrub(e.getMessage()), e);
        }
    }

    private static void known(TableSchema schema, List<String> columns, String where, String table) {
        for (String col : columns) {
            if (schema.column(col).isEmpty()) {
                throw new TallyError(where + ": column " + col + " not in " + table + "; columns are "
                        + String.join(", ", schema.columns().stream().map(ColumnInfo::name).toList()));
            }
        }
    }

    /** The checks that ran on {@code side} and what they found; {@code other}: the other side when relational. */
    public Report.Integrity check(Endpoint side, String role, List<Table> tables, Endpoint other) {
        IntegrityCatalog catalog = side.dialect().integrity();
        IntegrityFindings out = new IntegrityFindings(role);
        Dialect d = side.dialect();
        try (Connection c = side.connect()) {
            Table all = new Table("(all)", new TableRef(null, "(all)"), List.of(), 0, null, List.of(), NaturalKeys.NONE);
            if (checks.schema() && other != null) {
                attempt("schema", all, side, other, out, () -> schema(other, catalog, c, tables, out));
            }
            for (Table t : tables) {
                if (checks.orphans()) {
                    attempt("orphans", t, side, null, out, () -> new OrphanFinder().check(c, d, catalog, t, sampleSize, out));
                }
                if (checks.constraints()) {
                    attempt("constraints", t, side, null, out, () -> notValid(c, d, catalog, t, out));
                }
                if (checks.sequences()) {
                    attempt("sequences", t, side, null, out, () -> sequences(c, catalog, t, out));
                }
                if (checks.indexes() && !t.expectedIndexes().isEmpty()) {
                    attempt("indexes", t, side, null, out, () -> expectedIndexes(c, d, catalog, t, out));
                }
                if (checks.stats()) {
                    attempt("stats", t, side, null, out, () -> statistics(c, d, catalog, t, out));
                }
                if (checks.duplicates()) {
                    attempt("duplicates", t, side, other, out, () -> new DuplicateFinder().check(c, d, t, other, sampleSize, out));
                }
            }
            Set<String> schemas = new LinkedHashSet<>();
            tables.forEach(t -> schemas.add(t.table().schema()));
            for (String schema : schemas) {
                if (checks.indexes()) {
                    attempt("indexes", all, side, null, out, () -> indexes(c, d, catalog, schema, out));
                }
                if (checks.leftovers()) {
                    attempt("leftovers", all, side, null, out, () -> leftovers(c, catalog, schema, out));
                }
            }
        } catch (SQLException e) {
            throw new TallyError("the integrity checks on the " + role + " (" + side.describe() + ") failed: "
                    + side.scrub(e.getMessage()) + "; switch a check off under 'checks:' if the user may not read it", e);
        }
        List<String> checked = new ArrayList<>();
        out.checked.forEach((what, n) -> checked.add(role + " " + what.replace("#", Long.toString(n))));
        progress.accept("integrity: " + String.join(", ", checked) + "; " + out.findings.size() + " finding(s)");
        return new Report.Integrity(checked, List.copyOf(out.findings));
    }

    private void schema(Endpoint other, IntegrityCatalog catalog, Connection c, List<Table> tables, IntegrityFindings out)
            throws SQLException {
        try (Connection o = other.connect()) {
            for (Table t : tables) {
                if (t.schema() == null) {
                    continue;
                }
                for (SchemaDrift.Difference d : new SchemaDrift().compare(t.schema(), other.dialect().integrity(), o,
                        catalog, c)) {
                    out.add("schema", t, d.object(), d.severity(), 1, d.detail(), d.fix(), false, List.of());
                }
                out.checked("schema: # table pair(s)", 1);
            }
            tablesOnlyInSource(other, o, catalog, c, tables, out);
        }
    }

    private interface Check {
        void run() throws SQLException;
    }

    /**
     * Runs one check; a check the database refuses (a privilege missing, a catalog view absent) does not cost the
     * run its report: it becomes a warning naming the check, and the check is not listed as covered.
     */
    private static void attempt(String check, Table t, Endpoint side, Endpoint other, IntegrityFindings out, Check work) {
        try {
            work.run();
        } catch (SQLException e) {
            String why = side.scrub(other == null ? e.getMessage() : other.scrub(e.getMessage()));
            out.add("not-run", t, check, IntegrityFinding.WARNING, 0, "the " + check + " check could not run: " + why,
                    "grant the privileges docs/operations.md lists, or switch it off under 'checks:'", false, List.of());
        }
    }

    private void notValid(Connection c, Dialect d, IntegrityCatalog catalog, Table t, IntegrityFindings out) throws SQLException {
        for (String name : catalog.notValidConstraints(c, t.table())) {
            out.add("not-valid-constraint", t, name, IntegrityFinding.WARNING, 1, "constraint " + name
                    + " was added NOT VALID and never checked against the existing rows", "ALTER TABLE "
                    + d.qualified(t.table()) + " VALIDATE CONSTRAINT " + d.quote(name)
                    + " (reads the table, takes no write lock)", false, List.of());
        }
        out.checked("constraints validated: # table(s)", 1);
    }

    private void expectedIndexes(Connection c, Dialect d, IntegrityCatalog catalog, Table t, IntegrityFindings out)
            throws SQLException {
        List<List<String>> present = catalog.indexes(c, t.table());
        for (List<String> configured : t.expectedIndexes()) {
            List<String> expected = CatalogQueries.resolved(c, d, t.table(), configured);
            if (!present.contains(expected)) {
                out.add("missing-index", t, "index (" + String.join(", ", expected) + ")", IntegrityFinding.ERROR, 1,
                        "the job expects an index on (" + String.join(", ", expected) + ") and the target has none with "
                                + "these columns in this order", "create it (CREATE INDEX CONCURRENTLY on PostgreSQL, an "
                                + "online ALTER TABLE on MySQL)", false, List.of());
            }
        }
        out.checked("expected indexes: #", t.expectedIndexes().size());
    }

    /** Tables of a compared table's source schema that the matching target schema lacks (not compared either). */
    private void tablesOnlyInSource(Endpoint other, Connection o, IntegrityCatalog catalog, Connection c,
                                    List<Table> tables, IntegrityFindings out) throws SQLException {
        Set<List<String>> schemaPairs = new LinkedHashSet<>();
        for (Table t : tables) {
            if (t.schema() != null) {
                schemaPairs.add(java.util.Arrays.asList(t.schema().source().table().schema(), t.table().schema()));
            }
        }
        for (List<String> pair : schemaPairs) {
            Set<String> target = new java.util.HashSet<>();
            catalog.tables(c, pair.get(1)).forEach(n -> target.add(n.toLowerCase(java.util.Locale.ROOT)));
            for (String name : other.dialect().integrity().tables(o, pair.get(0))) {
                if (!target.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    Table owner = new Table(name, new TableRef(pair.get(0), name), List.of(), 0, null, List.of(), NaturalKeys.NONE);
                    out.add("schema", owner, "table " + name, IntegrityFinding.WARNING, 1, "source table "
                            + (pair.get(0) == null ? "" : pair.get(0) + ".") + name + " has no table of that name in the "
                            + "target schema" + (pair.get(1) == null ? "" : " " + pair.get(1)), "migrate it, or "
                            + "confirm it was left behind on purpose", false, List.of());
                }
            }
        }
    }

    private void sequences(Connection c, IntegrityCatalog catalog, Table t, IntegrityFindings out) throws SQLException {
        List<IntegrityCatalog.SequenceState> states = catalog.sequences(c, t.table());
        for (IntegrityCatalog.SequenceState s : states) {
            if (s.behind()) {
                out.add("sequence", t, s.sequence(), IntegrityFinding.ERROR, 1, "next value " + s.next() + " is not above "
                        + "max(" + s.column() + ") = " + s.max() + ": the next insert without an explicit " + s.column()
                        + " fails on a duplicate key", "move it past the maximum; a plan written with --plan includes "
                        + "it and repair applies it (never backwards)", true, List.of());
            }
        }
        out.checked("sequences: #", states.size());
    }

    private void statistics(Connection c, Dialect d, IntegrityCatalog catalog, Table t, IntegrityFindings out) throws SQLException {
        IntegrityCatalog.Statistics s = catalog.statistics(c, t.table());
        String detail = null;
        if (s.neverAnalyzed() && t.rows() > 0) {
            detail = "statistics were never gathered (" + t.rows() + " rows counted): the planner guesses";
        } else if (t.rows() >= 1000 && (s.estimate() * 2 < t.rows() || s.estimate() > 2 * t.rows())) {
            detail = "the planner estimates " + s.estimate() + " rows, " + t.rows() + " were counted: statistics "
                    + "predate the load";
        }
        if (detail != null) {
            out.add("stats", t, t.table().toString(), IntegrityFinding.WARNING, t.rows(), detail,
                    catalog.analyze(d.qualified(t.table())), false, List.of());
        }
        out.checked("statistics: # table(s)", 1);
    }

    private void indexes(Connection c, Dialect d, IntegrityCatalog catalog, String schema, IntegrityFindings out) throws SQLException {
        for (IntegrityCatalog.BrokenIndex b : catalog.brokenIndexes(c, schema)) {
            Table owner = new Table(b.table(), new TableRef(schema, b.table()), List.of(), 0, null, List.of(), NaturalKeys.NONE);
            String index = schema == null ? d.quote(b.index()) : d.quote(schema) + "." + d.quote(b.index());
            out.add("invalid-index", owner, b.index(), b.building() ? IntegrityFinding.WARNING : IntegrityFinding.ERROR, 1,
                    b.building() ? "index " + b.index() + " is still being built; queries do not use it yet"
                            : "index " + b.index() + " is invalid (a failed CREATE INDEX CONCURRENTLY or REINDEX left it): "
                            + "writes still maintain it, queries never use it" + (b.definition().contains("UNIQUE")
                            ? ", and its uniqueness is not enforced" : ""),
                    b.building() ? "wait for the build to finish" : "REINDEX INDEX CONCURRENTLY " + index
                            + " (or DROP INDEX CONCURRENTLY and re-create: " + b.definition() + ")", false, List.of());
        }
        out.checked("indexes: # schema(s)", 1);
    }

    private void leftovers(Connection c, IntegrityCatalog catalog, String schema, IntegrityFindings out) throws SQLException {
        for (IntegrityCatalog.Leftover l : catalog.leftovers(c, schema)) {
            Table owner = new Table(l.table(), new TableRef(schema, l.table()), List.of(), 0, null, List.of(), NaturalKeys.NONE);
            out.add("leftover", owner, l.name(), l.unfinished() ? IntegrityFinding.ERROR : IntegrityFinding.WARNING, 1,
                    l.tool() + " " + l.kind() + " " + l.name() + " of table " + l.table() + ": " + l.role(),
                    l.unfinished() ? "finish or abort the " + l.tool() + " run (check it is not running), then drop the "
                            + l.kind() : "drop it once the cut-over is accepted (it holds the old rows)", false, List.of());
        }
        out.checked("schema-change leftovers: # schema(s)", 1);
    }
}
