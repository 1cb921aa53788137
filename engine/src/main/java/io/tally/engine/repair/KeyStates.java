package io.tally.engine.repair;

import com.mongodb.client.MongoClient;
import io.tally.engine.TallyError;
import io.tally.engine.config.EndpointConfig;
import io.tally.engine.plan.PlanManifest;
import io.tally.engine.source.Endpoint;
import io.tally.engine.source.mongo.MongoEndpoint;
import org.bson.BsonDocument;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * One side of a planned table, read by key for the re-verification: each key's current state (absent, row hash
 * or {@code dup:} state, as verify computes it) and the table's row count. A table is read over JDBC, a collection
 * with the MongoDB driver.
 */
public interface KeyStates extends AutoCloseable {

    Map<String, String> states(List<List<String>> keys);

    long count();

    @Override
    void close();

    /** What a failure means for the caller's work, appended to the error; the repair's by default. */
    String AFTER_REPAIR = "the repair itself is committed, run 'tally verify' to check";

    static KeyStates open(String role, EndpointConfig config, PlanManifest.PlannedTable t, boolean source) {
        return open(role, config, t, source, AFTER_REPAIR);
    }

    static KeyStates open(String role, EndpointConfig config, PlanManifest.PlannedTable t, boolean source,
                          String afterFailure) {
        return config.isDocument() ? new Documents(MongoEndpoint.resolve(role, config), t, source, afterFailure)
                : new Jdbc(Endpoint.resolve(role, config), t, source, afterFailure);
    }

    /** A relational side: {@link RowFetcher} on one connection. */
    final class Jdbc implements KeyStates {
        private final Endpoint endpoint;
        private final Connection connection;
        private final SideAccess side;
        private final RowFetcher fetcher = new RowFetcher();
        private final String afterFailure;

        Jdbc(Endpoint endpoint, PlanManifest.PlannedTable t, boolean source, String afterFailure) {
            this.endpoint = endpoint;
            this.afterFailure = afterFailure;
            this.connection = endpoint.connect();
            this.side = SideAccess.of(endpoint.dialect(), t, source);
        }

        @Override
        public Map<String, String> states(List<List<String>> keys) {
            try {
                return fetcher.fetch(connection, side, keys, false).states();
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public long count() {
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + side.qualified())) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        private TallyError failed(SQLException e) {
            return new TallyError("reading keys of " + side.table() + " again on the " + endpoint.role() + " failed: "
                    + endpoint.scrub(e.getMessage()) + "; " + afterFailure, e);
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // read-only work; nothing is lost with the connection
            }
        }
    }

    /** A MongoDB side: {@link DocumentStates} through the driver. */
    final class Documents implements KeyStates {
        private final MongoEndpoint endpoint;
        private final MongoClient client;
        private final DocumentStates states;
        private final String afterFailure;

        Documents(MongoEndpoint endpoint, PlanManifest.PlannedTable t, boolean source, String afterFailure) {
            this.endpoint = endpoint;
            this.afterFailure = afterFailure;
            this.client = endpoint.client();
            var ref = source ? t.source() : t.target();
            try {
                this.states = DocumentStates.of(client.getDatabase(ref.schema()).getCollection(ref.name(),
                        BsonDocument.class), t, source);
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }

        @Override
        public Map<String, String> states(List<List<String>> keys) {
            try {
                return states.fetch(keys).states();
            } catch (com.mongodb.MongoException e) {
                throw failed(e);
            }
        }

        @Override
        public long count() {
            try {
                return states.count();
            } catch (com.mongodb.MongoException e) {
                throw failed(e);
            }
        }

        private TallyError failed(com.mongodb.MongoException e) {
            return new TallyError("reading keys again on the " + endpoint.role() + " (" + endpoint.describe()
                    + ") failed: " + endpoint.scrub(e.getMessage()) + "; " + afterFailure, e);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
