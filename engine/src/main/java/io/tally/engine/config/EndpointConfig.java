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
 *                   in parallel; at least 2; none by default (then {@code options.max_partitions} bounds the
 *                   reads). Relational sides only; left out of plan manifests when not set
 * @param throttle   when verify's reads pause for a busy server or a lagging replica (docs/live-systems.md); none by
 *                   default. Relational sides only; left out of plan manifests when not set
 */
public record EndpointConfig(String kind, String url, String user, String passwordEnv, String passwordFile,
                             String timeZone, Map<String, String> properties,
                             @com.fasterxml.jackson.annotation.JsonInclude(
                                     com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Integer maxConnections,
                             @com.fasterxml.jackson.annotation.JsonInclude(
                                     com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Throttle throttle) {

    public EndpointConfig(String kind, String url, String user, String passwordEnv, String passwordFile,
                          String timeZone, Map<String, String> properties) {
        this(kind, url, user, passwordEnv, passwordFile, timeZone, properties, null, null);
    }

    public EndpointConfig(String kind, String url, String user, String passwordEnv, String passwordFile,
                          String timeZone, Map<String, String> properties, Integer maxConnections) {
        this(kind, url, user, passwordEnv, passwordFile, timeZone, properties, maxConnections, null);
    }

    /**
     * Parallel work against this database beside the catalog connection: reads (partitions) or repair writers;
     * unbounded without {@code max_connections}.
     */
    public int parallelConnections() {
        return maxConnections == null ? Integer.MAX_VALUE : Math.max(1, maxConnections - 1);
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

    /**
     * This endpoint with its URL's parameters dropped, except the TLS settings ({@code ssl*}, {@code tls*},
     * {@code requireSSL}, {@code useSSL}, {@code verifyServerCertificate}, {@code trustCertificateKeyStore{Url,Type,Password}}):
     * a repair from the plan alone must not connect with weaker transport security than verify did. Parameters that
     * could hold a secret never reach here (the config loader refuses them).
     */
    public EndpointConfig withoutUrlParameters() {
        int q = url.indexOf('?');
        String kept = q < 0 ? "" : java.util.Arrays.stream(url.substring(q + 1).split("&"))
                .filter(p -> {
                    String name = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
                    return name.matches("(?i)ssl.*|tls.*|requiressl|usessl|verifyservercertificate|"
                            + "trustcertificatekeystore(url|type|password)")
                            && (name.equalsIgnoreCase("trustCertificateKeyStorePassword")
                            || !name.matches("(?i).*(password|passwd|pwd).*"));
                })
                .collect(java.util.stream.Collectors.joining("&"));
        return new EndpointConfig(kind, urlWithoutParameters() + (kept.isEmpty() ? "" : "?" + kept), user, passwordEnv,
                passwordFile, timeZone, properties, maxConnections, throttle);
    }
}
