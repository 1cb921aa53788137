package io.tally.engine.report;

import java.util.List;
import java.util.Map;

/**
 * A problem of a side's schema or data that a row-for-row match does not rule out (see docs/integrity.md).
 *
 * @param check    {@code orphans}, {@code invalid-index}, {@code leftover}, {@code sequence}, {@code stats} or
 *                 {@code not-valid-constraint}
 * @param side     {@code source} or {@code target}
 * @param table    the table it concerns (the child table for orphans)
 * @param object   the constraint, index, sequence, leftover table or trigger
 * @param severity {@code error} (the verdict becomes DRIFT) or {@code warning} (reported only)
 * @param count    how many rows or objects are affected
 * @param detail   what is wrong, in one line
 * @param fix      what repairs it: planned and applied by {@code repair} when {@code planned}, else advice
 * @param samples  a bounded sample of affected rows
 */
public record IntegrityFinding(String check, String side, String table, String object, String severity, long count,
                               String detail, String fix, boolean planned, List<Map<String, String>> samples) {

    public static final String ERROR = "error";
    public static final String WARNING = "warning";

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isError() {
        return ERROR.equals(severity);
    }
}
