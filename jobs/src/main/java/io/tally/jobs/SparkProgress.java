package io.tally.jobs;

import org.apache.spark.SparkStageInfo;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;

/** Prints the running Spark stage's task progress every few seconds while a long phase runs. */
final class SparkProgress implements AutoCloseable {

    private final Thread thread;

    SparkProgress(SparkSession spark, PrintStream out, long everyMillis) {
        thread = new Thread(() -> {
            String last = "";
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
                StringBuilder line = new StringBuilder();
                for (int id : spark.sparkContext().statusTracker().getActiveStageIds()) {
                    SparkStageInfo info = spark.sparkContext().statusTracker().getStageInfo(id).getOrElse(() -> null);
                    if (info != null) {
                        line.append(String.format("  ... stage %d: %d/%d tasks done%n", id, info.numCompletedTasks(),
                                info.numTasks()));
                    }
                }
                if (!line.isEmpty() && !line.toString().equals(last)) {
                    out.print(line);
                    last = line.toString();
                }
            }
        }, "tally-progress");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
