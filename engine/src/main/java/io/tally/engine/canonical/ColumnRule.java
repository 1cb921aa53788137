package io.tally.engine.canonical;

import java.io.Serializable;

/**
 * How one side's column value becomes a canonical token. Built by {@link TypeAligner} for both sides of a
 * column pair so that equal logical values give equal tokens; every field that bends a value is reported.
 *
 * @param kind             the canonical kind both sides are compared as
 * @param fractionalDigits temporal precision (0-6) both sides are brought to
 * @param zone             zone of the side's temporal text (UTC for zoned columns, the side's zone otherwise)
 * @param truncate         bring finer temporal values down by truncation instead of rounding half up
 * @param stripPadding     drop trailing blanks (CHAR) or trailing zero bytes (BINARY(n))
 * @param singlePrecision  round doubles to single precision (a FLOAT32 column on the other side)
 */
public record ColumnRule(Kind kind, int fractionalDigits, String zone, boolean truncate, boolean stripPadding,
                         boolean nfc, boolean casefold, boolean trim, boolean singlePrecision)
        implements Serializable {

    /** Canonical kinds; each has one token tag (see docs/canonical-form.md). */
    public enum Kind {
        EXACT('I'), FLOAT('F'), BOOLEAN('B'), STRING('S'), BINARY('X'), UUID('U'), JSON('J'),
        INSTANT('T'), DATE('D'), TIME('H'),
        /** A BSON value as a document field holds it (MongoDB on both sides), tagged by its BSON type. */
        BSON('M');

        public final char tag;

        Kind(char tag) {
            this.tag = tag;
        }
    }

    public static ColumnRule of(Kind kind) {
        return new ColumnRule(kind, 6, "UTC", false, false, false, false, false, false);
    }

    public ColumnRule withTemporal(int digits, String zoneId, boolean truncating) {
        return new ColumnRule(kind, digits, zoneId, truncating, stripPadding, nfc, casefold, trim, singlePrecision);
    }

    public ColumnRule withStripPadding(boolean strip) {
        return new ColumnRule(kind, fractionalDigits, zone, truncate, strip, nfc, casefold, trim, singlePrecision);
    }

    public ColumnRule withFolds(boolean nfcFold, boolean caseFold, boolean trimFold) {
        return new ColumnRule(kind, fractionalDigits, zone, truncate, stripPadding, nfcFold, caseFold, trimFold,
                singlePrecision);
    }

    public ColumnRule withSinglePrecision(boolean single) {
        return new ColumnRule(kind, fractionalDigits, zone, truncate, stripPadding, nfc, casefold, trim, single);
    }

}
