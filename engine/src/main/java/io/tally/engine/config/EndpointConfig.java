package io.tally.engine.config;

import java.util.Map;

/**
 * Where one side lives. Secrets never sit in the file: {@code password_env} names an environment variable,
 * {@code password_file} a file holding the password.
 *
 * @param kind       {@code postgresql} or {@code mysql} (MariaDB too); inferred from the URL when absent
 * @param timeZone   zone of this side's zone-less temporal values (PostgreSQL timestamp, MySQL DATETIME)
 * @param properties extra JDBC connection properties (never a password)
 */
public record EndpointConfig(String kind, String url, String user, String passwordEnv, String passwordFile,
                             String timeZone, Map<String, String> properties) {

    public EndpointConfig {
        timeZone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** The URL without its parameters (where a driver may take secrets), for reports and plans. */
    public String urlWithoutParameters() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** This endpoint with its URL's parameters dropped. */
    public EndpointConfig withoutUrlParameters() {
        return new EndpointConfig(kind, urlWithoutParameters(), user, passwordEnv, passwordFile, timeZone, properties);
    }
}
