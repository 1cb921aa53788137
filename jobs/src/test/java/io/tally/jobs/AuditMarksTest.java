package io.tally.jobs;

import io.tally.engine.config.ConfigLoader;
import io.tally.engine.history.HistoryRecord;
import io.tally.engine.verify.AuditRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which earlier audit's marks an audit starts from: the newest consistent one of the same column and kind. */
class AuditMarksTest {

    private static final String JOB = "job: m\nsource: {url: 'jdbc:postgresql://h/db'}\ntarget: {url: 'jdbc:mysql://h/db'}\n"
            + "tables: [{name: t, source: t, incremental: %s}]\n";

    private static HistoryRecord audit(String status, String source, String target, String of) {
        return new HistoryRecord("r", "m", "audit", "2026-11-24T00:00:00Z", "2026-11-24T00:01:00Z", status, "t", status,
                0, 0, 0, 0, 0, 0, 0, 0, 0, source, target, of);
    }

    private static Map<String, AuditRequest.Marks> marks(String incremental, HistoryRecord... records) {
        return AuditCommand.marks(List.of(records), new ConfigLoader().parse(String.format(JOB, incremental), "m.yaml"));
    }

    @Test
    void theNewestConsistentAuditOfTheSameColumnGivesTheMarks() {
        HistoryRecord first = audit("CONSISTENT", "2026-01-01", "2026-01-01", "watermark:updated_at");
        HistoryRecord drift = audit("DRIFT", "2026-02-01", "2026-02-01", "watermark:updated_at");
        assertEquals(Map.of("t", new AuditRequest.Marks("2026-01-01", "2026-01-01")),
                marks("{watermark: updated_at}", first, drift), "drift leaves no mark: the same rows are read again");
        assertEquals(Map.of(), marks("{batch: load_id}", first), "a mark of another column or kind is never used");
        assertEquals(Map.of(), marks("{watermark: changed_at}", first));
        HistoryRecord empty = audit("CONSISTENT", null, "2026-03-01", "watermark:updated_at");
        assertEquals(Map.of("t", new AuditRequest.Marks(null, "2026-03-01")), marks("{watermark: updated_at}", first, empty),
                "an empty side's null mark is taken as it is (a full read), not an older mark");
        HistoryRecord verify = new HistoryRecord("v", "m", "verify", "2026-11-24T00:00:00Z", null, "CONSISTENT", "t",
                "CONSISTENT", 0, 0, 0, 0, 0, 0, 0, 0, 0, "x", "x", "watermark:updated_at");
        assertEquals(Map.of("t", new AuditRequest.Marks("2026-01-01", "2026-01-01")),
                marks("{watermark: updated_at}", first, verify), "only audits leave marks");
    }
}
