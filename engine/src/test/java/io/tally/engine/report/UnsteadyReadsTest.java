package io.tally.engine.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table whose rows differ warns that the differences may be writes made during the read exactly when a side was not
 * read in one picture and no recheck read the differing keys again (docs/live-systems.md).
 */
class UnsteadyReadsTest {

    private static final ReadSnapshot EXPORTED = new ReadSnapshot(ReadSnapshot.EXPORTED, "00000003-1", "10:10:",
            "0/1", "2026-11-24T00:00:00Z", 4, null, "one snapshot");
    private static final ReadSnapshot APART = new ReadSnapshot(ReadSnapshot.PER_CONNECTION, null, null, null,
            "2026-11-24T00:00:00Z", 3, 40L, "per connection");
    private static final ReadSnapshot TOGETHER = new ReadSnapshot(ReadSnapshot.PER_CONNECTION, null, null, null,
            "2026-11-24T00:00:00Z", 3, 0L, "per connection");
    private static final ReadSnapshot ONE = new ReadSnapshot(ReadSnapshot.PER_CONNECTION, null, null, null,
            "2026-11-24T00:00:00Z", 1, 0L, "per connection");
    private static final ReadSnapshot NONE = ReadSnapshot.none("snapshot: off");

    private static TableReport.Reads reads(ReadSnapshot source, ReadSnapshot target) {
        return new TableReport.Reads(new TableReport.SideRead(source, 0, 0), new TableReport.SideRead(target, 0, 0));
    }

    @Test
    void onlyDifferencesReadWithoutOnePictureAndWithoutARecheckWarn() {
        assertEquals(List.of(), reads(EXPORTED, EXPORTED).unsteady(5, null), "one snapshot per side");
        assertEquals(List.of(), reads(EXPORTED, TOGETHER).unsteady(5, null), "snapshots opened at the same instant");
        assertEquals(List.of(), reads(EXPORTED, ONE).unsteady(5, null), "one connection is one picture");
        assertEquals(List.of(), reads(NONE, APART).unsteady(0, null), "nothing differs");
        Recheck rechecked = new Recheck(1, 5, 5, 0, 5, List.of(), List.of(), null);
        assertEquals(List.of(), reads(NONE, APART).unsteady(5, rechecked), "the keys were read again");

        List<String> target = reads(EXPORTED, APART).unsteady(5, null);
        assertEquals(1, target.size());
        assertTrue(target.get(0).contains("the target (3 consistent snapshots 40 ms apart) was not read in one picture"),
                target.get(0));
        Recheck skipped = new Recheck(1, 5, 0, 0, 0, List.of(), List.of(), "too many keys");
        String both = reads(NONE, APART).unsteady(5, skipped).get(0);
        assertTrue(both.contains("the source (each partition at its own moment) and the target") && both.contains(
                " were not read") && both.contains("recheck was skipped (too many keys)")
                && both.contains("while writes are paused"), both);
        assertTrue(target.get(0).contains("recheck: {generations: 1}"), target.get(0));
    }
}
