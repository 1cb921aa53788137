package io.tally.jobs;

import org.apache.spark.sql.SparkSession;

/** One local Spark session per test JVM (start-up costs seconds). */
public final class TestSpark {

    private static SparkSession session;

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            session = LocalSpark.start("local[2,4]");
            session.conf().set("spark.sql.shuffle.partitions", "4");
        }
        return session;
    }
}
