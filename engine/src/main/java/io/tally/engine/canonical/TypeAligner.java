package io.tally.engine.canonical;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.ColumnRule.Kind;
import io.tally.engine.config.ColumnOptions;
import io.tally.engine.model.ColumnInfo;
import io.tally.engine.model.LogicalType;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides how a source column and a target column are compared: the canonical kind, the precision both are
 * brought to, and every fold. Each decision is written out for the report; nothing is bent silently.
 */
public final class TypeAligner {

    private final String sourceZone;
    private final String targetZone;
    private final boolean sourceTruncates;
    private final boolean targetTruncates;

    /**
     * @param sourceTruncates whether the source engine truncates fractional seconds into a coarser column
     *                        (MariaDB) rather than rounding them (PostgreSQL, MySQL)
     */
    public TypeAligner(String sourceZone, String targetZone, boolean sourceTruncates, boolean targetTruncates) {
        this.sourceZone = sourceZone;
        this.targetZone = targetZone;
        this.sourceTruncates = sourceTruncates;
        this.targetTruncates = targetTruncates;
    }

    public Alignment align(String name, ColumnInfo src, ColumnInfo tgt, ColumnOptions options) {
        List<String> why = new ArrayList<>();
        Kind kind;
        if (options.type() != null) {
            kind = switch (options.type()) {
                case "json" -> Kind.JSON;
                case "uuid" -> Kind.UUID;
                default -> Kind.STRING;
            };
            why.add("compared as " + options.type() + " as configured (columns." + name + ".type)"
                    + (kind == Kind.STRING && !(src.type().isText() && tgt.type().isText())
                    ? "; non-text sides are read as their engine's text rendering, which may differ by engine" : ""));
        } else if (src.type() == LogicalType.UNSUPPORTED || tgt.type() == LogicalType.UNSUPPORTED) {
            ColumnInfo odd = src.type() == LogicalType.UNSUPPORTED ? src : tgt;
            return Alignment.excluded("type " + odd.nativeType() + " has no canonical form; set columns." + name
                    + ".type: string to compare the engines' text renderings");
        } else {
            kind = kindFor(src.type(), tgt.type(), why);
            if (kind == null) {
                return Alignment.excluded(src.nativeType() + " in source and " + tgt.nativeType()
                        + " in target cannot be compared; set columns." + name + ".type (string, json or uuid)"
                        + " or exclude the column");
            }
        }
        ColumnRule base = ColumnRule.of(kind);
        ColumnRule s = base;
        ColumnRule t = base;
        switch (kind) {
            case INSTANT, TIME -> {
                int ps = digits(src);
                int pt = digits(tgt);
                int p = Math.min(ps, pt);
                // The engine that holds the coarser column decided how values were reduced on insert.
                boolean truncate = ps < pt ? sourceTruncates : targetTruncates;
                if (ps != pt) {
                    why.add(src.nativeType() + " vs " + tgt.nativeType() + ": compared at " + p
                            + " fractional digits (the coarser side); finer values are "
                            + (truncate ? "truncated, as the coarser side's engine truncates on insert"
                            : "rounded half up, as the coarser side's engine rounds on insert"));
                }
                String zs = src.type() == LogicalType.TIMESTAMP_TZ ? "UTC" : sourceZone;
                String zt = tgt.type() == LogicalType.TIMESTAMP_TZ ? "UTC" : targetZone;
                if (kind == Kind.INSTANT && src.type() != tgt.type()) {
                    why.add("zoned vs zone-less timestamp: the zone-less side is read in its configured zone ("
                            + (src.type() == LogicalType.TIMESTAMP ? "source " + sourceZone : "target " + targetZone)
                            + ")");
                } else if (kind == Kind.INSTANT && src.type() == LogicalType.TIMESTAMP && !sourceZone.equals(targetZone)) {
                    why.add("zone-less timestamps read in " + sourceZone + " (source) and " + targetZone + " (target)");
                }
                s = s.withTemporal(p, zs, truncate);
                t = t.withTemporal(p, zt, truncate);
            }
            case STRING -> {
                boolean pad = src.type() == LogicalType.FIXED_STRING || tgt.type() == LogicalType.FIXED_STRING;
                if (pad) {
                    why.add("CHAR(n) on one side: trailing blanks are not significant on either side");
                }
                boolean nfc = options.normalize().contains("nfc");
                boolean fold = options.normalize().contains("casefold");
                boolean trim = options.normalize().contains("trim");
                if (nfc || fold || trim) {
                    why.add("normalized on both sides before hashing: " + String.join(", ", options.normalize())
                            + " (columns." + name + ".normalize)");
                }
                s = s.withStripPadding(pad).withFolds(nfc, fold, trim);
                t = t.withStripPadding(pad).withFolds(nfc, fold, trim);
            }
            case BINARY -> {
                boolean pad = src.type() == LogicalType.FIXED_BINARY || tgt.type() == LogicalType.FIXED_BINARY;
                if (pad) {
                    why.add("BINARY(n) on one side: trailing zero bytes are not significant on either side");
                }
                s = s.withStripPadding(pad);
                t = t.withStripPadding(pad);
            }
            case FLOAT -> {
                boolean single = src.type() != tgt.type();
                if (single) {
                    why.add(src.nativeType() + " vs " + tgt.nativeType()
                            + ": compared at single precision (the coarser side)");
                }
                s = s.withSinglePrecision(single);
                t = t.withSinglePrecision(single);
            }
            default -> {
                // exact numbers, booleans, uuid, json and dates need no per-side options
            }
        }
        if (kind != Kind.STRING && !options.normalize().isEmpty()) {
            throw new TallyError("columns." + name + ".normalize applies to text columns, but " + name
                    + " is compared as " + kind.name().toLowerCase(java.util.Locale.ROOT) + "; remove it");
        }
        return Alignment.of(new ColumnPair(name, src, tgt, s, t, why));
    }

    private static int digits(ColumnInfo c) {
        return c.precision() < 0 ? 6 : Math.min(6, c.precision());
    }

    private static Kind kindFor(LogicalType s, LogicalType t, List<String> why) {
        if (s == LogicalType.DOCUMENT || t == LogicalType.DOCUMENT) {
            return s == t ? Kind.BSON : null;
        }
        if (s.isNumeric() && t.isNumeric()) {
            if (s.isFloat() && t.isFloat()) {
                return Kind.FLOAT;
            }
            if (s.isFloat() || t.isFloat()) {
                why.add("floating point vs exact number: the float is compared through its shortest decimal text");
            }
            return Kind.EXACT;
        }
        if (s == LogicalType.BOOLEAN && t == LogicalType.BOOLEAN) {
            return Kind.BOOLEAN;
        }
        if ((s == LogicalType.BOOLEAN && t == LogicalType.INTEGER) || (s == LogicalType.INTEGER && t == LogicalType.BOOLEAN)) {
            why.add("boolean vs integer: compared as numbers, true = 1 and false = 0");
            return Kind.EXACT;
        }
        if (s.isText() && t.isText()) {
            return Kind.STRING;
        }
        if (binary(s) && binary(t)) {
            return Kind.BINARY;
        }
        if (s == LogicalType.UUID || t == LogicalType.UUID) {
            LogicalType other = s == LogicalType.UUID ? t : s;
            if (other == LogicalType.UUID) {
                return Kind.UUID;
            }
            if (other.isText()) {
                why.add("uuid vs text: the text is read as a UUID, case-insensitively");
                return Kind.UUID;
            }
            if (binary(other)) {
                why.add("uuid vs binary: 16 bytes read in RFC 4122 (big-endian) order");
                return Kind.UUID;
            }
            return null;
        }
        if (s == LogicalType.JSON || t == LogicalType.JSON) {
            LogicalType other = s == LogicalType.JSON ? t : s;
            if (other == LogicalType.JSON) {
                return Kind.JSON;
            }
            if (other.isText()) {
                why.add("json vs text: the text is parsed as JSON and compared in canonical form");
                return Kind.JSON;
            }
            return null;
        }
        if (s.isTimestamp() && t.isTimestamp()) {
            return Kind.INSTANT;
        }
        if ((s == LogicalType.DATE && (t == LogicalType.DATE || t.isTimestamp()))
                || (t == LogicalType.DATE && s.isTimestamp())) {
            if (s != t) {
                why.add("date vs timestamp: compared at day precision; the time of day is not compared");
            }
            return Kind.DATE;
        }
        if (s == LogicalType.TIME && t == LogicalType.TIME) {
            return Kind.TIME;
        }
        return null;
    }

    private static boolean binary(LogicalType t) {
        return t == LogicalType.BINARY || t == LogicalType.FIXED_BINARY;
    }
}
