package io.tally.jobs.embedded;

/** A real database server started by Tally on loopback for the demo and the tests. */
public interface EmbeddedDatabase extends AutoCloseable {

    /** JDBC URL of the server's default database (or the server itself). */
    String jdbcUrl(String database);

    String user();

    /** The password; empty for the embedded servers, which listen on loopback only. */
    String password();

    int port();

    @Override
    void close();
}
