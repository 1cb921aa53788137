package io.tally.jobs;

import io.tally.engine.TallyError;
import io.tally.engine.TallyVersion;
import io.tally.engine.canonical.CanonicalForm;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tally} command: verbs as subcommands, one handler that turns any failure into one line and exit 2. */
@Command(name = "tally", mixinStandardHelpOptions = true, versionProvider = TallyCli.Version.class,
        description = "Validates and reconciles database migrations (PostgreSQL, MySQL/MariaDB) on Apache Spark.",
        subcommands = {VerifyCommand.class, AuditCommand.class, PlanCommand.class, RepairCommand.class, HistoryCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:consistent (repair: the target matches)", "1:drift found (repair: it still differs)", "2:error (bad config, unreachable server, unreadable table)",
                "3:audit skipped: another audit of the job holds its lock"})
public final class TallyCli implements Runnable {

    public static final int CONSISTENT = 0;
    public static final int DRIFT = 1;
    public static final int ERROR = 2;
    public static final int BUSY = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: verify, audit, plan, repair, history or demo");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with errors going to {@code err}; returns the exit code. */
    public static int execute(java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new TallyCli());
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = false; // on the command that ran, however deep (plan show --debug)
            for (var sub = parseResult.subcommand(); sub != null; sub = sub.subcommand()) {
                debug |= sub.hasMatchedOption("--debug");
            }
            if (debug) {
                java.io.StringWriter trace = new java.io.StringWriter();
                ex.printStackTrace(new java.io.PrintWriter(trace));
                commandLine.getErr().print(io.tally.engine.Secrets.mask(trace.toString()));
            }
            if (ex instanceof TallyError) {
                commandLine.getErr().println("tally: error: " + io.tally.engine.Secrets.mask(oneLine(ex.getMessage())));
            } else {
                Throwable root = TallyError.rootCause(ex);
                commandLine.getErr().println("tally: unexpected error: " + root.getClass().getSimpleName() + ": "
                        + io.tally.engine.Secrets.mask(oneLine(root.getMessage()))
                        + (debug ? "" : " (run with --debug for the stack trace)"));
            }
            return ERROR;
        });
        return cli.execute(args);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').strip();
    }

    /** Prints the tool and canonical-form versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"tally " + TallyVersion.get() + " (canonical form " + CanonicalForm.VERSION
                    + ", Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ")"};
        }
    }
}
