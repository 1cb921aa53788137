package io.tally.engine.source;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.execution.datasources.jdbc.JDBCOptions;
import org.apache.spark.sql.jdbc.JdbcConnectionProvider;
import scala.collection.immutable.Map;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections of Spark's JDBC reader, opened Tally's way: after the driver connects, the {@link ReadSession}
 * named by the {@value #OPTION} option runs (throttle, session set-up, timeouts, read-only, the shared
 * snapshot). Spark finds
 * this class through {@code META-INF/services} on the driver and on every executor, and uses it only for reads that
 * name it ({@code connectionProvider=tally}). A probe's value is kept for the task that opened the connection, so
 * the canonical step of the same task can report which snapshot it read and how long the throttle held it.
 */
public final class ReadSessionProvider extends JdbcConnectionProvider {

    public static final String NAME = "tally";
    public static final String OPTION = "tally.session";

    private static final ConcurrentHashMap<Long, ReadSession.Begun> BEGUN = new ConcurrentHashMap<>();

    /** The reader options that route a read's connections through {@code session} (serialized, as Base64). */
    public static void apply(Properties readerOptions, ReadSession session) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(session);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        readerOptions.setProperty("connectionProvider", NAME);
        readerOptions.setProperty(OPTION, java.util.Base64.getEncoder().encodeToString(bytes.toByteArray()));
    }

    /** How the current task's read connection began, once; null outside a task or before it connected. */
    public static ReadSession.Begun takeBegun() {
        TaskContext task = TaskContext.get();
        return task == null ? null : BEGUN.remove(task.taskAttemptId());
    }

    private static ReadSession session(String option) {
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(option)))) {
            return (ReadSession) in.readObject();
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new IllegalStateException("the read session option does not hold a Tally read session", e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canHandle(Driver driver, Map<String, String> options) {
        return options.contains(OPTION);
    }

    @Override
    public Connection getConnection(Driver driver, Map<String, String> options) {
        try {
            ReadSession session = session(options.apply(OPTION));
            JDBCOptions jdbc = new JDBCOptions(options);
            Properties props = new Properties();
            props.putAll(jdbc.asConnectionProperties());
            props.remove(OPTION);
            Connection c = driver.connect(jdbc.url(), props);
            try {
                TaskContext task = TaskContext.get(); // null: Spark's schema lookup on the driver, not a read
                ReadSession.Begun begun = session.begin(c, task != null);
                if (task != null) {
                    long id = task.taskAttemptId();
                    BEGUN.put(id, begun);
                    task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) done -> BEGUN.remove(id));
                }
                return c;
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw ReadSessionProvider.<RuntimeException>undeclared(e); // as Spark's own provider: the driver's error
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E undeclared(Exception e) throws E {
        throw (E) e;
    }

    @Override
    public boolean modifiesSecurityContext(Driver driver, Map<String, String> options) {
        return false;
    }
}
