package io.tally.engine.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The integrity catalogs' one way to prepare a catalog query: its '?' bound, in order, to names (or null). */
final class CatalogQueries {

    private CatalogQueries() {
    }

    static PreparedStatement bound(Connection c, String sql, String... values) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < values.length; i++) {
            ps.setString(i + 1, values[i]);
        }
        return ps;
    }
}
