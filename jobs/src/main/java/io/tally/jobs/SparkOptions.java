package io.tally.jobs;

import picocli.CommandLine.Option;

/** The options every command that starts Spark shares: where Spark runs, and whether errors show stack traces. */
final class SparkOptions {

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*,4], each failed task tried up to 4 times).")
    String master;

    /** Read by {@link TallyCli}'s error handler through the parse result. */
    @Option(names = "--debug", description = "Print stack traces on errors.")
    boolean debug;
}
