package io.tally.jobs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An error is one line, and --debug adds the stack trace on whichever command ran, however deep (plan show). */
class DebugFlagTest {

    @Test
    void debugOnANestedCommandPrintsTheTrace() {
        RepairScenariosTest.Run plain = RepairScenariosTest.cli("plan", "show", "/nonexistent-plan");
        assertEquals(2, plain.code());
        assertEquals(1, plain.err().strip().lines().count(), plain.err());
        assertFalse(plain.err().contains("\tat "), plain.err());
        RepairScenariosTest.Run debug = RepairScenariosTest.cli("plan", "show", "/nonexistent-plan", "--debug");
        assertEquals(2, debug.code());
        assertTrue(debug.err().contains("\tat io.tally.") && debug.err().contains("tally: error: no plan at"),
                debug.err());
    }
}
