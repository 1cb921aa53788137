package io.tally.jobs.embedded;

import io.tally.engine.TallyError;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;

/** PostgreSQL from Maven Central binaries (io.zonky.test), started on a free loopback port. */
public final class EmbeddedPostgresServer implements EmbeddedDatabase {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("timezone", "UTC")
                    .setServerConfig("max_connections", "100")
                    .start();
            return new EmbeddedPostgresServer(pg);
        } catch (IOException e) {
            throw new TallyError("could not start the embedded PostgreSQL: " + e.getMessage()
                    + "; check that /tmp is writable and util-linux 'unshare' is installed when running as root", e);
        }
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            // Shutting down a throw-away server: nothing to keep, nothing to report.
        }
    }
}
