package io.tally.engine.source;

import io.tally.engine.TallyError;
import io.tally.engine.config.EndpointConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One side, resolved: its dialect, URL, user and the password read from the environment or a file. The
 * password never appears in {@link #toString()}, {@link #describe()} or an error message.
 */
public final class Endpoint {

    private final String role;
    private final Dialect dialect;
    private final String url;
    private final String safeUrl;
    private final String user;
    private final String password;
    private final String zone;
    private final java.util.Map<String, String> extra;
    /** Statements every connection but a writer's runs after the session set-up (see {@link #guarded}). */
    private final java.util.List<String> guards;

    private Endpoint(String role, Dialect dialect, EndpointConfig config, String password) {
        this.role = role;
        this.dialect = dialect;
        this.url = config.url();
        this.safeUrl = config.urlWithoutParameters();
        this.user = config.user();
        this.password = password;
        this.zone = config.timeZone();
        this.extra = config.properties();
        this.guards = java.util.List.of();
    }

    private Endpoint(Endpoint base, java.util.List<String> guards) {
        this.role = base.role;
        this.dialect = base.dialect;
        this.url = base.url;
        this.safeUrl = base.safeUrl;
        this.user = base.user;
        this.password = base.password;
        this.zone = base.zone;
        this.extra = base.extra;
        this.guards = java.util.List.copyOf(guards);
    }

    /**
     * This endpoint whose reading connections also run {@code guards} (a verify's timeouts and read-only mode, see
     * {@link Dialect#readGuards}); {@link #connectForWrites()} never runs them.
     */
    public Endpoint guarded(java.util.List<String> guards) {
        return new Endpoint(this, guards);
    }

    /** What a connection runs first: the dialect's session set-up, then the guards. */
    public java.util.List<String> setUp() {
        java.util.List<String> all = new java.util.ArrayList<>();
        all.add(dialect.sessionInit());
        all.addAll(guards);
        return all;
    }

    public static Endpoint resolve(String role, EndpointConfig config) {
        Dialect dialect = Dialect.of(config, role);
        return new Endpoint(role, dialect, config, password(role, config));
    }

    /** The side's password from {@code password_env} or {@code password_file}; empty when neither is set. */
    public static String password(String role, EndpointConfig config) {
        if (config.passwordEnv() != null) {
            String password = System.getenv(config.passwordEnv());
            if (password == null) {
                // the name only when it looks like one (upper case, digits, _): a password written there by mistake
                // must not be echoed
                String name = config.passwordEnv().matches("[A-Z_][A-Z0-9_]{0,63}") ? config.passwordEnv() + " "
                        : "";
                throw new TallyError("environment variable " + name + "(named by " + role
                        + ".password_env) is not set; export it before running tally");
            }
            io.tally.engine.Secrets.remember(password);
            return password;
        }
        if (config.passwordFile() != null) {
            try {
                String password = Files.readString(Path.of(config.passwordFile())).strip();
                io.tally.engine.Secrets.remember(password);
                return password;
            } catch (IOException e) {
                throw new TallyError("cannot read " + role + ".password_file " + config.passwordFile()
                        + ": " + e.getClass().getSimpleName() + "; check the path and its permissions");
            }
        }
        return "";
    }

    public String role() {
        return role;
    }

    public Dialect dialect() {
        return dialect;
    }

    public String url() {
        return url;
    }

    public String zone() {
        return zone;
    }

    public String user() {
        return user;
    }

    /** The URL without its parameters, for reports. */
    public String safeUrl() {
        return safeUrl;
    }

    /** Connection properties including the password: for JDBC and Spark's reader only, never for printing. */
    public Properties connectionProperties() {
        Properties p = new Properties();
        p.putAll(extra);
        p.putAll(dialect.forcedProperties());
        if (user != null) {
            p.setProperty("user", user);
        }
        p.setProperty("password", password);
        return p;
    }

    public Connection connect() {
        return connect(java.util.Map.of(), setUp());
    }

    /** A connection for the repair: the dialect's write properties on top of the usual ones, no read guards. */
    public Connection connectForWrites() {
        return connect(dialect.writeProperties(), java.util.List.of(dialect.sessionInit()));
    }

    private Connection connect(java.util.Map<String, String> more, java.util.List<String> setUp) {
        try {
            Properties props = connectionProperties();
            props.putAll(more);
            Connection c = DriverManager.getConnection(url, props);
            try (Statement s = c.createStatement()) {
                for (String sql : setUp) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (SQLException e) {
            throw new TallyError("cannot connect to the " + role + " (" + describe() + "): "
                    + scrub(e.getMessage()) + "; check " + role + ".url, " + role + ".user and the password variable", e);
        }
    }

    /** The side for humans: engine, URL without parameters, and user. */
    public String describe() {
        return dialect.name() + " at " + safeUrl() + (user == null ? "" : " as " + user);
    }

    /** Removes the password from a driver's message, should a driver ever echo it. */
    public String scrub(String message) {
        return io.tally.engine.Secrets.scrub(message, password);
    }

    @Override
    public String toString() {
        return role + ": " + describe();
    }
}
