package io.tally.engine.verify;

import java.io.Serializable;
import java.math.BigInteger;

/**
 * A key range {@code [lo, hi)} of an integer first key column, the unit pushdown compares: its row count, its
 * distinct keys and the sum modulo 2^64 of its rows' 128-bit hashes, taken over their first 64 bits
 * (order-independent and, unlike XOR, a pair of equal rows does not cancel; a changed segment keeps its count and
 * sum with a chance of 2^-64).
 */
record Segment(long lo, long hi) implements Serializable {

    static final BigInteger MOD = BigInteger.ONE.shiftLeft(64);

    long width() {
        return hi - lo;
    }

    /** The read predicate of this range on the read query's first-key alias. */
    String predicate(String keyAlias) {
        return keyAlias + " >= " + lo + " AND " + keyAlias + " < " + hi;
    }

    /** One side's aggregate over a segment; the sum is kept modulo 2^64, so engines summing signed or not agree. */
    record Sums(long rows, long distinctKeys, long sum) implements Serializable {

        Sums(long rows, long distinctKeys, BigInteger exactSum) {
            this(rows, distinctKeys, exactSum.mod(MOD).longValue());
        }

        /** Whether the segment holds a duplicated key: it is then read even when both sides agree. */
        boolean duplicated() {
            return distinctKeys != rows;
        }
    }
}
