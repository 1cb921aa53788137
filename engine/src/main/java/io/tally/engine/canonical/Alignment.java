package io.tally.engine.canonical;

/** The outcome of aligning one column: a comparable pair, or the reason it is excluded. */
public record Alignment(ColumnPair pair, String exclusion) {

    public static Alignment of(ColumnPair pair) {
        return new Alignment(pair, null);
    }

    public static Alignment excluded(String reason) {
        return new Alignment(null, reason);
    }

    public boolean comparable() {
        return pair != null;
    }
}
