package io.tally.engine.integrity;

import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;
import io.tally.engine.model.TableRef;
import io.tally.engine.model.TableSchema;
import io.tally.engine.report.IntegrityFinding;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Source against target schema of one compared table, as both catalogs declare it, with the job's column
 * mapping applied: columns only on one side, columns the target holds narrower (text length, decimal digits) or
 * with other nullability, a different primary key, and source indexes (unique or not) and foreign keys without a
 * target counterpart on the same columns. A source column without a target column and a narrower target column
 * are errors (data cannot land); the rest are warnings, as are column defaults that differ ({@link ColumnDefaults})
 * and a source unique key the target indexes without uniqueness.
 */
public final class SchemaDrift {

    /**
     * A compared table: both schemas, each source column's target name (compared or not), and the source
     * columns the job left out on purpose ({@code exclude}, or outside {@code include}).
     */
    public record Pair(String name, TableSchema source, TableSchema target, Map<String, String> targetNames,
                Set<String> excluded) {
    }

    /** One difference: the object it concerns, its severity and what is wrong. */
    record Difference(String object, String severity, String detail, String fix) {
    }

    List<Difference> compare(Pair p, IntegrityCatalog srcCatalog, Connection src, IntegrityCatalog tgtCatalog,
                             Connection tgt) throws SQLException {
        List<Difference> out = new ArrayList<>();
        Set<String> mappedTargets = new HashSet<>();
        Map<String, String> sourceDefaults = srcCatalog.defaults(src, p.source().table());
        Map<String, String> targetDefaults = tgtCatalog.defaults(tgt, p.target().table());
        for (ColumnInfo s : p.source().columns()) {
            ColumnInfo t = p.target().column(target(p, s.name())).orElse(null);
            if (t == null) {
                if (!p.excluded().contains(s.name())) {
                    out.add(new Difference(s.name(), IntegrityFinding.ERROR, "source column " + s.name() + " ("
                            + s.nativeType() + ") has no target column: its values were not migrated",
                            "add the column to the target (then repair fills it), or exclude it in the job"));
                }
                continue;
            }
            mappedTargets.add(t.name());
            String narrower = narrower(s, t);
            if (narrower == null && characters(s) < 0 && s.type().isText() && characters(t) > 0) {
                out.add(new Difference(s.name(), IntegrityFinding.WARNING, "column " + s.name() + " is unbounded in the "
                        + "source (" + s.nativeType() + ") and " + t.nativeType() + " in the target: longer values "
                        + "cannot land", "check the source's longest value, or widen the target column"));
            }
            if (narrower != null) {
                out.add(new Difference(s.name(), IntegrityFinding.ERROR, narrower, "widen the target column (ALTER TABLE)"));
            }
            Difference d = defaults(s.name(), ColumnDefaults.canonical(sourceDefaults.get(s.name())),
                    ColumnDefaults.canonical(targetDefaults.get(t.name())));
            if (d != null) {
                out.add(d);
            }
            if (s.nullable() != t.nullable()) {
                out.add(new Difference(s.name(), IntegrityFinding.WARNING, "column " + s.name() + " is "
                        + (s.nullable() ? "nullable" : "NOT NULL") + " in the source and "
                        + (t.nullable() ? "nullable" : "NOT NULL") + " in the target", "align the constraint"));
            }
        }
        for (ColumnInfo t : p.target().columns()) {
            if (!mappedTargets.contains(t.name())) {
                out.add(new Difference(t.name(), IntegrityFinding.WARNING, "target column " + t.name() + " ("
                        + t.nativeType() + ") has no source column", "expected for a new or surrogate column"));
            }
        }
        List<String> pk = mapped(p, p.source().primaryKey());
        if (!pk.isEmpty() && !new HashSet<>(pk).equals(new HashSet<>(p.target().primaryKey()))) {
            out.add(new Difference("primary key", IntegrityFinding.WARNING, "the source's primary key is (" + String.join(", ", pk)
                    + "), the target's (" + String.join(", ", p.target().primaryKey()) + ")",
                    "give the target the source's key, or a unique index on it"));
        }
        TableRef sref = p.source().table();
        TableRef tref = p.target().table();
        List<List<String>> targetOrdered = tgtCatalog.indexes(tgt, tref);
        List<Set<String>> targetIndexes = targetOrdered.stream().map(l -> (Set<String>) new HashSet<>(l)).toList();
        Set<List<String>> keysSeen = new HashSet<>();
        keysSeen.add(pk);
        for (List<String> index : srcCatalog.indexes(src, sref)) {
            List<String> m = mapped(p, index);
            if (m.size() != index.size() || keysSeen.contains(m) || targetOrdered.contains(m)) {
                continue;
            }
            keysSeen.add(m);
            out.add(new Difference("index (" + String.join(", ", m) + ")", IntegrityFinding.WARNING, "the source has an "
                    + "index on (" + String.join(", ", m) + "), the target none with these columns in this order"
                    + (targetIndexes.contains(new HashSet<>(m)) ? " (one in another order)" : "")
                    + ": queries that used it scan; if it was unique, duplicates can enter", "create the index"));
        }
        List<Set<String>> targetUnique = tgtCatalog.uniqueKeys(tgt, tref).stream()
                .map(l -> (Set<String>) new HashSet<>(l)).toList();
        for (List<String> unique : srcCatalog.uniqueKeys(src, sref)) {
            List<String> m = mapped(p, unique);
            if (m.size() == unique.size() && !m.equals(pk) && targetIndexes.contains(new HashSet<>(m))
                    && !targetUnique.contains(new HashSet<>(m))) {
                out.add(new Difference("unique (" + String.join(", ", m) + ")", IntegrityFinding.WARNING, "the source "
                        + "keeps (" + String.join(", ", m) + ") unique; the target indexes it without uniqueness",
                        "check the target for duplicates (natural_keys), then make the index unique"));
            }
        }
        List<IntegrityCatalog.ForeignKey> targetKeys = tgtCatalog.foreignKeys(tgt, tref);
        for (IntegrityCatalog.ForeignKey k : srcCatalog.foreignKeys(src, sref)) {
            List<String> m = mapped(p, k.columns());
            boolean kept = targetKeys.stream().anyMatch(x -> x.columns().equals(m)
                    && x.parent().name().equalsIgnoreCase(k.parent().name()));
            if (!kept) {
                out.add(new Difference(k.name(), IntegrityFinding.WARNING, "the source's foreign key " + k.name() + " ("
                        + String.join(", ", m) + ") -> " + k.parent().name() + " is not declared in the target",
                        "declare it (after checking for orphans), or list it under references to have it checked"));
            }
        }
        return out;
    }

    /** A default that differs (both in canonical form, null for none), or null when they agree. */
    private static Difference defaults(String column, String s, String t) {
        if (java.util.Objects.equals(s, t)) {
            return null;
        }
        String sd = s == null ? "no default" : "default " + s;
        String td = t == null ? "no default" : "default " + t;
        String why = "auto-increment".equals(s) ? ": the target does not number new rows itself"
                : s != null && t == null ? ": inserts that omit it get NULL or fail" : "";
        return new Difference(column, IntegrityFinding.WARNING, "column " + column + " has " + sd + " in the source, "
                + td + " in the target" + why, "align the column's DEFAULT (docs/integrity.md says how defaults are "
                + "compared)");
    }

    /** Why {@code t} cannot hold every value of {@code s}, or null. */
    private static String narrower(ColumnInfo s, ColumnInfo t) {
        int sl = characters(s);
        int tl = characters(t);
        if (sl > 0 && tl > 0 && tl < sl) {
            return "column " + s.name() + " holds " + sl + " characters in the source (" + s.nativeType() + "), " + tl
                    + " in the target (" + t.nativeType() + ")";
        }
        if (s.type() == LogicalType.DECIMAL && t.type() == LogicalType.DECIMAL && s.precision() > 0 && t.precision() > 0
                && (t.scale() < s.scale() || t.precision() - t.scale() < s.precision() - s.scale())) {
            return "column " + s.name() + " is " + s.nativeType() + " in the source, " + t.nativeType()
                    + " in the target: digits are lost";
        }
        return null;
    }

    /** A text column's declared length in characters ({@code varchar(n)}, {@code char(n)}), or -1 when unbounded. */
    private static int characters(ColumnInfo c) {
        if (!c.type().isText()) {
            return -1;
        }
        if (c.length() > 0) {
            return c.length();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:character varying|varchar|character|char)\\((\\d+)\\)")
                .matcher(c.nativeType().toLowerCase(java.util.Locale.ROOT));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String target(Pair p, String sourceColumn) {
        String name = p.targetNames().getOrDefault(sourceColumn, sourceColumn);
        if (p.target().column(name).isPresent()) {
            return name;
        }
        return p.target().columns().stream().map(ColumnInfo::name).filter(n -> n.equalsIgnoreCase(name)).findFirst()
                .orElse(name);
    }

    /** The source columns' target names, or a shorter list when one has no target column. */
    private static List<String> mapped(Pair p, List<String> sourceColumns) {
        List<String> out = new ArrayList<>();
        for (String c : sourceColumns) {
            String t = target(p, c);
            if (p.target().column(t).isPresent()) {
                out.add(t);
            }
        }
        return out;
    }
}
