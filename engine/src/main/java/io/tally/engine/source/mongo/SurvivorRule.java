package io.tally.engine.source.mongo;

import io.tally.engine.canonical.DocumentCanonicalizer;
import io.tally.engine.config.DocumentRules;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.Comparator;
import java.util.List;

/**
 * Which of several documents of one logical entity is kept: with {@code keep: complete}, a document whose marker
 * status is complete first; then the latest by the {@code by} field (dates, numbers and strings each in their own
 * order; a missing or null value is oldest); ties go to the smallest {@code _id} (by canonical token), so the choice
 * is the same in verify's report and in the repair. Without a rule, the smallest {@code _id} is kept.
 */
public final class SurvivorRule {

    private static final DocumentCanonicalizer TOKENS = new DocumentCanonicalizer(DocumentCanonicalizer.NumericPolicy.EXACT);

    private final DocumentRules.Duplicates rule;
    private final DocumentRules.Marker marker;

    public SurvivorRule(DocumentRules.Duplicates rule, DocumentRules.Marker marker) {
        this.rule = rule;
        this.marker = marker;
    }

    public BsonDocument choose(List<BsonDocument> docs) {
        Comparator<BsonDocument> better = Comparator.comparing((BsonDocument d) -> complete(d) ? 0 : 1)
                .thenComparing(this::version, SurvivorRule::newerFirst)
                .thenComparing(d -> TOKENS.token(d.get("_id")));
        return docs.stream().min(better).orElseThrow();
    }

    private boolean complete(BsonDocument d) {
        if (rule == null || !"complete".equals(rule.keep()) || marker == null || marker.statusField() == null) {
            return false;
        }
        BsonValue s = DocumentCanonicalizer.at(d, marker.statusField());
        return s != null && s.isString() && s.asString().getValue().equals(marker.complete());
    }

    private BsonValue version(BsonDocument d) {
        return rule == null || rule.by() == null ? null : DocumentCanonicalizer.at(d, rule.by());
    }

    /** Orders versions newest first: dates, then numbers, then strings, then anything else, then missing. */
    private static int newerFirst(BsonValue a, BsonValue b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (ra) {
            case 0 -> Long.compare(b.asDateTime().getValue(), a.asDateTime().getValue());
            case 1 -> new java.math.BigDecimal(b.isDecimal128() ? b.asDecimal128().getValue().toString()
                    : Double.toString(b.asNumber().doubleValue())).compareTo(new java.math.BigDecimal(
                    a.isDecimal128() ? a.asDecimal128().getValue().toString() : Double.toString(a.asNumber().doubleValue())));
            case 2 -> b.asString().getValue().compareTo(a.asString().getValue());
            case 3 -> TOKENS.token(b).compareTo(TOKENS.token(a));
            default -> 0;
        };
    }

    private static int rank(BsonValue v) {
        if (v == null || v.isNull()) {
            return 4;
        }
        if (v.isDateTime()) {
            return 0;
        }
        if (v.isDecimal128()) {
            return v.asDecimal128().getValue().isFinite() ? 1 : 3;
        }
        if (v.isNumber()) {
            return Double.isFinite(v.asNumber().doubleValue()) ? 1 : 3;
        }
        return v.isString() ? 2 : 3;
    }
}
