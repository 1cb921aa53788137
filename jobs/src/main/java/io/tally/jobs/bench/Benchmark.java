package io.tally.jobs.bench;

import io.tally.engine.report.Report;
import io.tally.engine.report.ReportWriter;
import io.tally.engine.report.TableReport;
import io.tally.jobs.embedded.EmbeddedMysql;
import io.tally.jobs.embedded.EmbeddedPostgresServer;
import org.postgresql.PGConnection;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code bench/run [ROWS ...]}: PostgreSQL 16 -> MySQL 8.0 on loopback (embedded), an {@code orders} table per size
 * with 0.25 % drift; measures in the same run the floor (each side read once, each side's in-database hash
 * aggregate) and Tally in {@code full} mode (with its default one-snapshot-per-side reads, and with {@code snapshot:
 * off}), in {@code pushdown} mode, in {@code full} mode with ten business rules, and as a 1 % canary sample (each in
 * its own JVM, for its peak RSS), and prints a table: wall seconds, rows/s, ratio to the floor, peak RSS,
 * differences found against injected (and, with rules, their results and the cost over plain {@code full}).
 */
public final class Benchmark {

    private Benchmark() {
    }

    /** Ten rules of every kind on the bench table, for the cost of rules on top of a full verify (issue 7). */
    static final String TEN_RULES = """
            rules:
              - {name: amount_positive, table: orders, kind: row, check: 'amount >= 0'}
              - {name: status_known, table: orders, kind: row, side: both, check: "status IN ('new', 'paid', 'shipped', 'done', 'changed')"}
              - {name: note_present, table: orders, kind: row, check: 'note IS NOT NULL', severity: warn}
              - {name: updated_after, table: orders, kind: row, check: 'updated_at >= created_at', severity: warn}
              - {name: per_customer, table: orders, kind: aggregate, expr: 'sum(amount)', by: [customer_id], tolerance: 0.01}
              - {name: average, table: orders, kind: aggregate, expr: 'avg(amount)', tolerance: 0.01}
              - {name: per_status, table: orders, kind: count, by: [status]}
              - {name: per_day, table: orders, kind: count, by: ['date(created_at)']}
              - {name: zero_sum, table: orders, kind: balance, expr: 'sum(amount) - sum(amount)', by: [status]}
              - {name: flow, table: orders, kind: transition, column: status, allowed: {new: [paid, changed], paid: [shipped, changed], shipped: [done, changed], done: [changed]}}
            """;

    public static void main(String[] args) throws Exception {
        List<Long> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Long.parseLong(a.replace("_", "")));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1_000_000L);
        }
        Path out = Files.createDirectories(Path.of("bench-out"));
        List<String> table = new ArrayList<>();
        table.add(String.format("| %9s | %-22s | %8s | %10s | %8s | %8s | %-28s |", "rows", "run", "wall s", "rows/s",
                "× floor", "RSS MB", "found / injected (m, e, c)"));
        table.add("|---|---|---|---|---|---|---|");
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(); EmbeddedMysql my = EmbeddedMysql.start()) {
            for (long rows : sizes) {
                BenchData data = new BenchData(rows);
                System.out.println("bench: generating " + rows + " rows on both sides");
                try (Connection p = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
                     Connection m = DriverManager.getConnection(my.jdbcUrl("mysql"), my.user(), my.password())) {
                    data.createPostgres(p);
                    data.createMysql(m);
                }
                long[] injected = injected(my.jdbcUrl("bench"), my.user(), rows);
                String myUrl = my.jdbcUrl("bench");
                double pgRead = time(() -> pgCopy(pg.jdbcUrl("postgres"), pg.user()));
                double myRead = time(() -> mysqlScan(myUrl, my.user()));
                double pgHash = time(() -> scalar(pg.jdbcUrl("postgres"), pg.user(), "SELECT count(*), sum(('x' || "
                        + "substr(md5(t::text), 1, 16))::bit(64)::bigint) FROM bench.orders t"));
                double myHash = time(() -> scalar(myUrl, my.user(), "SELECT COUNT(*), SUM(CONV(SUBSTR(MD5(CONCAT_WS('|', "
                        + "id, customer_id, status, amount, note, created_at, updated_at)), 1, 16), 16, 10)) FROM orders"));
                String found = injected[0] + ", " + injected[1] + ", " + injected[2];
                table.add(row(rows, "floor: PG COPY read", pgRead, 0, -1, "-"));
                table.add(row(rows, "floor: MySQL read", myRead, 0, -1, "-"));
                table.add(row(rows, "floor: PG hash aggregate", pgHash, 0, -1, "-"));
                table.add(row(rows, "floor: MySQL hash aggr.", myHash, 0, -1, "-"));
                double full = 0;
                for (String run : List.of("full", "full, snapshot off", "pushdown", "full + 10 rules", "sample 1%")) {
                    String mode = run.equals("pushdown") ? "pushdown" : "full";
                    boolean rules = run.endsWith("rules");
                    boolean sample = run.startsWith("sample");
                    Path dir = out.resolve(rows + "-" + run.replaceAll("[^a-z0-9]+", "-"));
                    Path config = Files.createDirectories(dir).resolve("job.yaml");
                    Files.writeString(config, "job: bench\nsource: {url: '" + pg.jdbcUrl("postgres") + "', user: "
                            + pg.user() + "}\ntarget: {url: '" + myUrl + "', user: " + my.user() + "}\n"
                            + "options: {mode: " + mode + (run.contains("snapshot off") ? ", snapshot: 'off'" : "")
                            + "}\ntables: [{name: orders, source: bench.orders, target: bench.orders}]\n"
                            + (rules ? TEN_RULES : "") + (sample ? "canary: {sample: 1%}\n" : ""));
                    long[] rss = new long[1];
                    double wall = time(() -> rss[0] = TallyProcess.verify(config, dir));
                    TableReport t = new ReportWriter().read(dir.resolve("report.json")).tables().get(0);
                    String got = t.missing() + ", " + t.extra() + ", " + t.changed() + " / " + found
                            + (sample ? String.format(" (a %.2f %% sample)", 100 * t.subset().coverage())
                            : t.missing() == injected[0] && t.extra() == injected[1] && t.changed() == injected[2]
                            ? " exact" : " MISMATCH");
                    double floor = mode.equals("full") ? Math.max(pgRead, myRead) : Math.max(pgHash, myHash);
                    if (rules || run.contains("snapshot off")) {
                        got += String.format("; %+.0f %% over full", 100 * (wall - full) / full);
                    }
                    if (rules) {
                        long violations = t.rules().stream().mapToLong(r -> r.violations()).sum();
                        got += "; " + t.rules().size() + " rule results, " + violations + " violations";
                    } else if (run.equals("full")) {
                        full = wall;
                    }
                    table.add(row(rows, "tally " + run, wall, wall / floor, rss[0], got));
                }
            }
        }
        System.out.println();
        table.forEach(System.out::println);
        Files.write(out.resolve("results.md"), table);
    }

    /** Missing, extra and changed rows, counted on the target. */
    private static long[] injected(String url, String user, long rows) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + rows + " - SUM(id <= " + rows + "), SUM(id > " + rows
                     + "), SUM(id <= " + rows + " AND status = 'changed') FROM orders")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    private static String row(long rows, String run, double wall, double ratio, long rssKb, String found) {
        return String.format("| %9d | %-22s | %8.1f | %10.0f | %8s | %8s | %-28s |", rows, run, wall, rows / wall,
                ratio == 0 ? "-" : String.format("%.2f", ratio), rssKb < 0 ? "-" : Long.toString(rssKb / 1024), found);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double time(Work w) throws Exception {
        long t0 = System.nanoTime();
        w.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void pgCopy(String url, String user) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY bench.orders TO STDOUT", OutputStream.nullOutputStream());
        }
    }

    private static void mysqlScan(String url, String user) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("useCursorFetch", "true");
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT * FROM orders")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        rs.getString(i);
                    }
                }
            }
        }
    }

    private static void scalar(String url, String user, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
        }
    }
}
