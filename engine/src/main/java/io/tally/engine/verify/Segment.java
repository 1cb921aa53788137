package io.tally.engine.verify;

import java.io.Serializable;
import java.math.BigInteger;

/**
 * A key range {@code [lo, hi)} of an integer first key column, the unit pushdown compares: its row count, its
 * distinct keys and two sums, modulo 2^64, of the halves of its rows' 128-bit hashes (order-independent, and
 * unlike XOR a pair of equal rows does not cancel).
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

    /** One side's aggregate over a segment; sums are kept modulo 2^64, so engines summing signed or not agree. */
    record Sums(long rows, long distinctKeys, BigInteger sum1, BigInteger sum2) implements Serializable {

        Sums {
            sum1 = sum1.mod(MOD);
            sum2 = sum2.mod(MOD);
        }

        /** Whether the segment holds a duplicated key: it is then read even when both sides agree. */
        boolean duplicated() {
            return distinctKeys != rows;
        }
    }
}
