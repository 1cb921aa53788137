package io.tally.jobs;

import io.tally.engine.plan.PlanFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tally plan show DIR}: checks a plan's integrity and prints what it would do. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Inspect reconciliation plans.",
        subcommands = PlanCommand.Show.class)
public final class PlanCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: show");
    }

    /** Prints the plan's summary after checking its files against the manifest. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Check a plan against its manifest and print what it would do.")
    static final class Show implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", description = "The verify --out directory, or its plan/ directory.")
        Path dir;

        @Option(names = "--debug", description = "Print stack traces on errors.")
        boolean debug;

        @Override
        public Integer call() {
            PlanSummary.print(PlanFiles.load(dir), System.out);
            return TallyCli.CONSISTENT;
        }
    }
}
