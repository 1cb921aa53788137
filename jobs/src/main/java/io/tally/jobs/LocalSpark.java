package io.tally.jobs;

import io.tally.engine.TallyError;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Spark session for a command: {@code local[*,4]} by default (a failed task is retried), or the {@code --master} given, or the master
 * spark-submit set. Settings a submission already made ({@code spark-submit --conf}) are left as they are. With a
 * cluster master and no application jar set, the Tally application jar ({@code jobs/target/tally-jobs-*-spark.jar})
 * is shipped to the executors, so {@code bin/tally verify --master spark://...} works like spark-submit.
 */
public final class LocalSpark {

    /** Every core, and each failed task tried up to four times in all. */
    public static final String DEFAULT_MASTER = "local[*,4]";

    private LocalSpark() {
    }

    public static SparkSession start(String master) {
        int cores = Runtime.getRuntime().availableProcessors();
        SparkSession.Builder b = SparkSession.builder().appName("tally");
        unlessSet(b, "spark.ui.enabled", "false");
        unlessSet(b, "spark.sql.session.timeZone", "UTC");
        unlessSet(b, "spark.sql.shuffle.partitions", Integer.toString(Math.max(4, 2 * cores)));
        unlessSet(b, "spark.sql.adaptive.enabled", "true");
        // Spark masks matching configuration values and JDBC options in the UI, event logs and plan strings.
        unlessSet(b, "spark.redaction.regex", "(?i)secret|password|token|access[.]?key|passwd|pwd");
        // local[*, 4]: like a cluster's spark.task.maxFailures, a read task whose connection broke runs again (up to
        // three more times) before the run fails; plain local[*] would fail the run on the first broken connection
        String effective = master != null ? master : System.getProperty("spark.master", DEFAULT_MASTER);
        b.master(effective);
        if (effective.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        } else {
            // only when bin/tally named the master: under spark-submit the submission ships the jar (YARN renames it)
            if (master != null && System.getProperty("spark.jars") == null && !fromApplicationJar()) {
                b.config("spark.jars", applicationJar().toString());
            }
            String flags = System.getProperty("tally.jvm.flags.file");
            if (System.getProperty("spark.executor.extraJavaOptions") == null && flags != null) {
                b.config("spark.executor.extraJavaOptions", read(Path.of(flags))); // Java 17 module flags
            }
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }

    private static void unlessSet(SparkSession.Builder b, String key, String value) {
        if (System.getProperty(key) == null) {
            b.config(key, value);
        }
    }

    /** Whether Tally runs from the application jar (spark-submit ships that jar itself). */
    private static boolean fromApplicationJar() {
        var source = LocalSpark.class.getProtectionDomain().getCodeSource();
        return source != null && source.getLocation().getPath().endsWith("-spark.jar");
    }

    /** The application jar the build made beside the classes (or the plain jar) Tally runs from: jobs/target. */
    static Path applicationJar() {
        var source = LocalSpark.class.getProtectionDomain().getCodeSource();
        Path target = source == null ? null : Path.of(source.getLocation().getPath()).getParent();
        try (var files = target == null ? null : Files.list(target)) {
            if (files != null) {
                var jar = files.filter(f -> f.getFileName().toString().matches("tally-jobs-.*-spark\\.jar")).findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        } catch (IOException ignored) {
            // reported below
        }
        throw new TallyError("a cluster master needs the Tally application jar on the executors and none was built; "
                + "run 'mvn -DskipTests package' (it writes jobs/target/tally-jobs-*-spark.jar), or use spark-submit "
                + "as docs/operations.md shows");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new TallyError("cannot read the JVM flags file " + file + ": " + e.getMessage());
        }
    }
}
