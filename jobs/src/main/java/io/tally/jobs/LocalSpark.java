package io.tally.jobs;

import org.apache.spark.sql.SparkSession;

/**
 * The Spark session for a command: {@code local[*]} by default, or the {@code --master} given. Settings a
 * cluster submission already made (spark-submit --conf) are left as they are.
 */
public final class LocalSpark {

    private LocalSpark() {
    }

    public static SparkSession start(String master) {
        int cores = Runtime.getRuntime().availableProcessors();
        SparkSession.Builder b = SparkSession.builder().appName("tally")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", Integer.toString(Math.max(4, 2 * cores)))
                .config("spark.sql.adaptive.enabled", "true")
                .config("spark.redaction.regex", "(?i)secret|password|token|passwd|pwd");
        String effective = master != null ? master : System.getProperty("spark.master", "local[*]");
        b.master(effective);
        if (effective.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }
}
