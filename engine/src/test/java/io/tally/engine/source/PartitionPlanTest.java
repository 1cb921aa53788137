package io.tally.engine.source;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class PartitionPlanTest {

    private final PartitionPlan five = new PartitionPlan(List.of("k < 10", "k >= 10 AND k < 20", "k >= 20 AND k < 30",
            "k >= 30", "k IS NULL"), "equal-width ranges of k", "u >= '2026-01-01'");

    @Test
    void joinsNeighbouringRangesSoNoMoreTasksThanTheCapRead() {
        PartitionPlan two = five.cappedAt(2);
        assertEquals(List.of("(k < 10) OR (k >= 10 AND k < 20)", "(k >= 20 AND k < 30) OR (k >= 30) OR (k IS NULL)"),
                two.predicates(), "every range kept, each in exactly one task, the groups even");
        assertEquals("u >= '2026-01-01'", two.filter(), "an audit's narrowing survives the cap");
        assertEquals("equal-width ranges of k, joined into 2 task(s) by max_connections", two.method());
        assertEquals(1, five.cappedAt(1).size());
        assertEquals(List.of("(k < 10)", "(k >= 10 AND k < 20)", "(k >= 20 AND k < 30)", "(k >= 30) OR (k IS NULL)"),
                five.cappedAt(4).predicates(), "the ranges plus the NULL range in as many tasks as ranges");
    }

    @Test
    void aPlanWithinTheCapIsLeftAlone() {
        assertSame(five, five.cappedAt(5));
        assertSame(five, five.cappedAt(64));
    }
}
