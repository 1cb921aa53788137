package io.tally.engine.verify;

import io.tally.engine.TallyError;
import io.tally.engine.model.TableRef;
import io.tally.engine.report.TableReport;

import java.util.function.Supplier;

/**
 * Turns failures while reading a table into one line for the user: which table, which side and server, the driver's
 * message with passwords masked, and that nothing was reported as consistent. Spark has already retried the read
 * task by then (spark.task.maxFailures), so what arrives here did not heal.
 */
final class ReadFailures {

    private ReadFailures() {
    }

    /**
     * Runs a table's comparison; a failure no step named (a read task that broke after its retries, a connection lost
     * while Spark recomputed rows) becomes one line naming the table, with both sides' passwords masked.
     */
    static TableReport named(String name, TableRef sourceTable, TableRef targetTable, VerifySide src, VerifySide tgt,
                             Supplier<TableReport> work) {
        return failingAs("comparing " + name + " (source " + sourceTable + " on " + src.describe() + ", target "
                + targetTable + " on " + tgt.describe() + ")", " (each read task was tried up to "
                + "spark.task.maxFailures times)", src, tgt, work);
    }

    /**
     * Runs a whole job; a failure no table or step named (a catalog connection lost while planning, say) becomes one
     * line naming the job and both servers.
     */
    static <T> T job(String job, VerifySide src, VerifySide tgt, Supplier<T> work) {
        return failingAs("job " + job + " (source " + src.describe() + ", target " + tgt.describe() + ")", "", src,
                tgt, work);
    }

    private static <T> T failingAs(String what, String retries, VerifySide src, VerifySide tgt, Supplier<T> work) {
        try {
            return work.get();
        } catch (TallyError err) {
            throw err;
        } catch (Exception err) { // SparkException is checked in Java's terms, yet thrown undeclared
            Throwable root = TallyError.rootCause(err);
            String why = timeout(root.getMessage());
            throw new TallyError(what + " failed: " + masked(src, tgt, root.getClass().getSimpleName() + ": "
                    + root.getMessage()) + "; nothing was reported as consistent. " + (why != null ? why
                    : "If a server restarted or the network failed, run again once it is back" + retries
                    + "; otherwise --debug shows the stack trace"), err);
        }
    }

    /** Runs one read step of a side; a failure becomes one line naming the side, the table and the server. */
    static <T> T guarded(VerifySide e, TableRef table, Supplier<T> action) {
        try {
            return action.get();
        } catch (TallyError err) {
            throw err;
        } catch (Exception err) { // SparkException is checked in Java's terms, yet thrown undeclared
            Throwable root = TallyError.rootCause(err);
            String why = timeout(root.getMessage());
            throw new TallyError("reading " + e.role() + " table " + table + " from " + e.describe() + " failed: "
                    + e.scrub(root.getMessage()) + "; nothing was reported as consistent" + (why != null ? ". " + why
                    : ""), err);
        }
    }

    /**
     * What to do when a read gave up on a verify timeout (options.lock_timeout, options.statement_timeout), or null
     * when the message is about something else.
     */
    static String timeout(String message) {
        String m = String.valueOf(message).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("lock timeout") || m.contains("lock wait timeout")) {
            return "Another transaction held a lock on the table longer than options.lock_timeout allows a read to wait "
                    + "(verify fails rather than queue behind it and stall the writers queued behind itself); run again "
                    + "once that transaction ends (pg_stat_activity or SHOW PROCESSLIST shows it), or raise lock_timeout";
        }
        if (m.contains("throttle:")) {
            return "The throttle held a read longer than throttle.max_wait; run again at a quieter time, raise "
                    + "throttle.max_wait, or loosen max_running / max_lag (docs/live-systems.md)";
        }
        if (m.contains("statement timeout") || m.contains("maximum statement execution time")
                || m.contains("max_statement_time")) {
            return "A read ran longer than options.statement_timeout; raise it, or split the table into more partitions "
                    + "(tables[].partitions, options.rows_per_partition)";
        }
        return null;
    }

    /** Every remembered password masked, longest first (one side's may contain the other's), then each side's. */
    private static String masked(VerifySide src, VerifySide tgt, String text) {
        return tgt.scrub(src.scrub(io.tally.engine.Secrets.mask(text)));
    }
}
