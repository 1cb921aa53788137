package io.tally.jobs;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Background work on the test PostgreSQL server while {@link LiveReadsTest} verifies: a writer moving rows between
 * key partitions, another application's long statement, and a watcher sampling the server. Each runs on its own
 * thread and connection and stops on close.
 */
final class LiveLoad {

    private LiveLoad() {
    }

    /** Moves random rows between the low key partition (ids below zero) and the others, in both tables at once. */
    static final class Mover implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong moved = new AtomicLong();
        private final Thread thread;

        /** Rows {@code 1..rows} move between {@code id} and {@code id - away}. */
        Mover(int rows, long away) {
            thread = new Thread(() -> {
                var random = new java.util.Random(7);
                try (Connection c = TestDatabases.postgres().connect("postgres"); Statement s = c.createStatement()) {
                    while (!stop.get()) {
                        StringBuilder ids = new StringBuilder();
                        for (int i = 0; i < 25; i++) {
                            long id = 1 + random.nextInt(rows);
                            ids.append(i == 0 ? "" : ", ").append(id).append(", ").append(id - away);
                        }
                        moved.addAndGet(s.executeUpdate("UPDATE live_src.items SET id = CASE WHEN id > 0 THEN id - "
                                + away + " ELSE id + " + away + " END WHERE id IN (" + ids + ")"));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "mover");
            thread.start();
        }

        long moved() {
            return moved.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }

    /** Another application's statement that runs {@code seconds} on the PostgreSQL server, cancelled on close. */
    static final class Busy implements AutoCloseable {
        private final Thread thread;
        private volatile boolean done;

        Busy(int seconds) throws Exception {
            thread = new Thread(() -> {
                try (Connection c = TestDatabases.postgres().connect("postgres"); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_sleep(" + seconds + ")");
                } catch (java.sql.SQLException cancelled) {
                    // close() cancels a long one
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    done = true;
                }
            }, "busy");
            thread.start();
            for (int i = 0; i < 100 && running() == 0; i++) { // until the server shows it running
                Thread.sleep(50);
            }
        }

        private static long running() throws Exception {
            try (Connection c = TestDatabases.postgres().connect("postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        boolean done() {
            return done;
        }

        @Override
        public void close() throws Exception {
            try (Connection c = TestDatabases.postgres().connect("postgres"); Statement s = c.createStatement()) {
                s.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' "
                        + "AND state = 'active'");
            }
            thread.join();
        }
    }

    /** Samples one number every 20 ms on its own connection and keeps the largest under {@code key}. */
    static final class Watcher implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Watcher(String sql, Map<String, Double> into) throws Exception {
            this(sql, into, "max");
        }

        Watcher(String sql, Map<String, Double> into, String key) throws Exception {
            Connection c = TestDatabases.postgres().connect("postgres");
            thread = new Thread(() -> {
                try (c; Statement s = c.createStatement()) {
                    while (!stop.get()) {
                        try (ResultSet rs = s.executeQuery(sql)) {
                            rs.next();
                            into.merge(key, rs.getDouble(1), Math::max);
                        }
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "watcher");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }
}
