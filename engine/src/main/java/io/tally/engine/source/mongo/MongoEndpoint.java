package io.tally.engine.source.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tally.engine.TallyError;
import io.tally.engine.config.EndpointConfig;
import io.tally.engine.model.TableRef;
import io.tally.engine.source.Endpoint;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One MongoDB side, resolved: the connection string with the user and the password (from the environment or a
 * file) spliced in, the default database from the URL's path, and the connector's partitioner settings. As with
 * {@link Endpoint}, the password never appears in a description or an error message.
 */
public final class MongoEndpoint {

    private final String role;
    private final String uri;
    private final String safeUrl;
    private final String user;
    private final String password;
    private final String database;
    private final String partitioner;
    private final Map<String, String> partitionerOptions;

    private MongoEndpoint(String role, EndpointConfig config, String password) {
        this.role = role;
        this.user = config.user();
        this.password = password;
        this.safeUrl = config.urlWithoutParameters();
        String url = config.url();
        if (user != null) {
            int scheme = url.indexOf("://") + 3;
            url = url.substring(0, scheme) + encode(user) + (password.isEmpty() ? "" : ":" + encode(password)) + "@"
                    + url.substring(scheme);
        }
        this.uri = url;
        try {
            this.database = new ConnectionString(url).getDatabase();
        } catch (IllegalArgumentException e) {
            throw new TallyError(role + ".url is not a MongoDB connection string: " + scrub(e.getMessage())
                    + "; write it as mongodb://host:27017/database");
        }
        Map<String, String> options = new LinkedHashMap<>();
        config.properties().forEach((k, v) -> {
            if (k.startsWith("partitioner.options.")) {
                options.put(k.substring("partitioner.options.".length()), v);
            }
        });
        this.partitioner = config.properties().getOrDefault("partitioner", "sample");
        this.partitionerOptions = options;
        try {
            new MongoCollectionRef(uri, "x", "x", partitioner, options).partitionerClass(); // an unknown name fails now
        } catch (TallyError e) {
            throw new TallyError(role + ".properties: " + e.getMessage());
        }
    }

    public static MongoEndpoint resolve(String role, EndpointConfig config) {
        return new MongoEndpoint(role, config, Endpoint.password(role, config));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public String role() {
        return role;
    }

    public String user() {
        return user;
    }

    public String safeUrl() {
        return safeUrl;
    }

    /** A collection named {@code database.collection}, or {@code collection} in the URL's database. */
    public MongoCollectionRef collection(TableRef table, String at) {
        String db = table.schema() != null ? table.schema() : database;
        if (db == null) {
            throw new TallyError(at + " names collection " + table.name() + " without a database and " + role
                    + ".url names none; write database.collection or add /database to the URL");
        }
        return new MongoCollectionRef(uri, db, table.name(), partitioner, partitionerOptions);
    }

    /** A client for the driver-side work (counts, samples, repair), failing fast when the server is away. */
    public MongoClient client() {
        ConnectionString cs = new ConnectionString(uri);
        MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(cs);
        if (cs.getServerSelectionTimeout() == null) {
            b.applyToClusterSettings(c -> c.serverSelectionTimeout(10, java.util.concurrent.TimeUnit.SECONDS));
        }
        return MongoClients.create(b.build());
    }

    public String describe() {
        return "mongodb at " + safeUrl + (user == null ? "" : " as " + user);
    }

    /** Removes the password from a driver's message. */
    public String scrub(String message) {
        return io.tally.engine.Secrets.scrub(message, password);
    }
}
