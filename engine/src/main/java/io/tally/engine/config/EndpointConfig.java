package io.tally.engine.config;

import java.util.Map;

/**
 * Where one side lives. Secrets never sit in the file: {@code password_env} names an environment variable,
 * {@code password_file} a file holding the password.
 *
 * @param kind       {@code postgresql}, {@code mysql} (MariaDB too) or {@code mongodb}; inferred from the URL when
 *                   absent
 * @param timeZone   zone of this side's zone-less temporal values (PostgreSQL timestamp, MySQL DATETIME)
 * @param properties extra JDBC connection properties (never a password); for MongoDB, the Spark Connector's
 *                   {@code partitioner} and {@code partitioner.options.*} read settings
 * @param maxConnections the most connections a run opens to this database at once, however many executors the
 *                   cluster has (docs/operations.md): one for the catalog, the rest read (or, for repair, write)
 *                   in parallel; at least 2, default {@value #DEFAULT_MAX_CONNECTIONS}. Relational sides only
 */
public record EndpointConfig(String kind, String url, String user, String passwordEnv, String passwordFile,
                             String timeZone, Map<String, String> properties, Integer maxConnections) {

    public static final int DEFAULT_MAX_CONNECTIONS = 16;

    public EndpointConfig(String kind, String url, String user, String passwordEnv, String passwordFile,
                          String timeZone, Map<String, String> properties) {
        this(kind, url, user, passwordEnv, passwordFile, timeZone, properties, null);
    }

    /** Parallel work against this database beside the catalog connection: reads (partitions) or repair writers. */
    public int parallelConnections() {
        return Math.max(1, (maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections) - 1);
    }

    public EndpointConfig {
        timeZone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** Whether this side is a MongoDB deployment (a {@code mongodb://} or {@code mongodb+srv://} URL). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDocument() {
        return "mongodb".equals(kind) || (kind == null && url != null && url.startsWith("mongodb"));
    }

    /** The URL without its parameters (where a driver may take secrets), for reports and plans. */
    public String urlWithoutParameters() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** This endpoint with its URL's parameters dropped. */
    public EndpointConfig withoutUrlParameters() {
        return new EndpointConfig(kind, urlWithoutParameters(), user, passwordEnv, passwordFile, timeZone, properties,
                maxConnections);
    }
}
