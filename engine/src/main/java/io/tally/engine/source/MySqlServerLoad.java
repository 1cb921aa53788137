package io.tally.engine.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A MySQL or MariaDB server's load for a throttle: {@code Threads_running} (no privilege needed; Tally's own running
 * reads count too) and, when asked, this server's lag as a replica ({@code Seconds_Behind_Source}, needs REPLICATION
 * CLIENT; 0 when it replicates from no one, unbounded while replication is stopped).
 */
final class MySqlServerLoad {

    private MySqlServerLoad() {
    }

    static ServerLoad read(Connection c, boolean lag) throws SQLException {
        long running;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Threads_running'")) {
            running = rs.next() ? Long.parseLong(rs.getString(2).trim()) - 1 : 0; // less this statement
        }
        return new ServerLoad(running, lag ? lag(c) : 0);
    }

    private static double lag(Connection c) throws SQLException {
        SQLException first = null;
        for (String sql : new String[]{"SHOW REPLICA STATUS", "SHOW SLAVE STATUS"}) { // MySQL 8.0.22+, else older/MariaDB
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                if (!rs.next()) {
                    return 0;
                }
                String seconds = column(rs, "Seconds_Behind_Source", "Seconds_Behind_Master");
                return seconds == null ? Double.POSITIVE_INFINITY : Double.parseDouble(seconds);
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    private static String column(ResultSet rs, String... names) throws SQLException {
        var meta = rs.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            for (String n : names) {
                if (n.equalsIgnoreCase(meta.getColumnLabel(i))) {
                    return rs.getString(i);
                }
            }
        }
        return null;
    }
}
