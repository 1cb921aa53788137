package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.Alignment;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.TypeAligner;
import io.tally.engine.config.ConfigLoader;
import io.tally.engine.config.TableConfig;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.TableSchema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Matches a table's columns across sides (names, renames, include/exclude) and aligns each pair's types. */
public final class TablePlanner {

    private final TypeAligner aligner;

    public TablePlanner(TypeAligner aligner) {
        this.aligner = aligner;
    }

    public TablePlan plan(TableConfig cfg, String at, TableSchema src, TableSchema tgt) {
        List<String> keyNames = cfg.key().isEmpty() ? src.primaryKey() : cfg.key();
        if (keyNames.isEmpty()) {
            throw new TallyError(at + ": source table " + src.table() + " has no primary key; name the key columns "
                    + "with " + at + ".key");
        }
        // Names in the config resolve to the catalog's spelling (exact, else unambiguous case-insensitive).
        Map<String, String> rename = new LinkedHashMap<>();
        cfg.rename().forEach((k, v) -> rename.put(requireColumn(src, k, at + ".rename", "source").name(), v));
        Set<String> include = new HashSet<>();
        cfg.include().forEach(n -> include.add(requireColumn(src, n, at + ".include", "source").name()));
        Set<String> exclude = new HashSet<>();
        cfg.exclude().forEach(n -> exclude.add(requireColumn(src, n, at + ".exclude", "source").name()));
        Map<String, io.tally.engine.config.ColumnOptions> options = new LinkedHashMap<>();
        cfg.columns().forEach((k, v) -> options.put(requireColumn(src, k, at + ".columns", "source").name(),
                v == null ? io.tally.engine.config.ColumnOptions.none() : v));
        Set<String> keySet = new HashSet<>();
        for (String k : keyNames) {
            keySet.add(requireColumn(src, k, at + ".key", "source").name());
        }

        List<ColumnPair> keys = new ArrayList<>();
        List<ColumnPair> values = new ArrayList<>();
        List<Exclusion> exclusions = new ArrayList<>();
        Set<String> matchedTargets = new HashSet<>();
        Map<String, ColumnInfo> ordered = new LinkedHashMap<>();
        for (String k : keyNames) {
            ColumnInfo c = src.column(k).orElseThrow();
            ordered.put(c.name(), c);
        }
        src.columns().forEach(c -> ordered.putIfAbsent(c.name(), c));

        for (ColumnInfo s : ordered.values()) {
            boolean isKey = keySet.contains(s.name());
            String targetName = rename.getOrDefault(s.name(), s.name());
            ColumnInfo t = tgt.column(targetName).orElse(null);
            if (t != null) {
                matchedTargets.add(t.name());
            }
            if (!isKey && (exclude.contains(s.name()) || (!include.isEmpty() && !include.contains(s.name())))) {
                exclusions.add(new Exclusion(s.name(), "both", "excluded by configuration"));
                continue;
            }
            if (t == null) {
                if (isKey) {
                    throw new TallyError(at + ": key column " + s.name() + " has no column " + targetName
                            + " in target " + tgt.table() + "; map it with " + at + ".rename");
                }
                exclusions.add(new Exclusion(s.name(), "source", "only in source: no column " + targetName
                        + " in target; map it with rename or exclude it"));
                continue;
            }
            Alignment a = aligner.align(s.name(), s, t,
                    options.getOrDefault(s.name(), io.tally.engine.config.ColumnOptions.none()));
            if (!a.comparable()) {
                if (isKey) {
                    throw new TallyError(at + ": key " + s.name() + " is " + s.nativeType() + " in source and "
                            + t.nativeType() + " in target, which cannot be compared; name other key columns with "
                            + at + ".key, or set columns." + s.name() + ".type (string, json or uuid) if both hold "
                            + "the same text");
                }
                exclusions.add(new Exclusion(s.name(), "both", a.exclusion()));
                continue;
            }
            (isKey ? keys : values).add(a.pair());
        }
        for (ColumnInfo t : tgt.columns()) {
            if (!matchedTargets.contains(t.name())) {
                exclusions.add(new Exclusion(t.name(), "target", "only in target: no source column maps to it"));
            }
        }
        List<ColumnPair> columns = new ArrayList<>(keys);
        columns.addAll(values);
        int batch = indexOf(columns, cfg.batchColumn(), src, at + ".batch_column");
        int time = indexOf(columns, cfg.timeColumn(), src, at + ".time_column");
        long window = cfg.timeColumn() == null ? 0
                : ConfigLoader.windowMicros(cfg.timeWindow() == null ? "1d" : cfg.timeWindow(), at);
        if (time >= 0) {
            var kind = columns.get(time).sourceRule().kind();
            if (kind != io.tally.engine.canonical.ColumnRule.Kind.INSTANT
                    && kind != io.tally.engine.canonical.ColumnRule.Kind.DATE) {
                throw new TallyError(at + ".time_column " + cfg.timeColumn() + " is not a date or timestamp column");
            }
        }
        return new TablePlan(cfg.name(), cfg, src, tgt, columns, keys.size(), exclusions, batch, time, window);
    }

    private static int indexOf(List<ColumnPair> columns, String name, TableSchema src, String at) {
        if (name == null) {
            return -1;
        }
        String resolved = requireColumn(src, name, at, "source").name();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(resolved)) {
                return i;
            }
        }
        throw new TallyError(at + " " + name + " is not compared (excluded or without a target column); "
                + "include it to count per value");
    }

    private static ColumnInfo requireColumn(TableSchema schema, String name, String at, String side) {
        return schema.column(name).orElseThrow(() -> new TallyError(at + " names column '" + name
                + "', which " + side + " table " + schema.table() + " does not have; its columns are "
                + String.join(", ", schema.columns().stream().map(ColumnInfo::name).toList())));
    }
}
