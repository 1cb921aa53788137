package io.tally.jobs.embedded;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A MongoDB wire-protocol server in this JVM (mongo-java-server, in memory) on loopback, for the demo and the
 * tests: no MongoDB binary can be installed here. It speaks wire version 7 and lacks {@code $collStats}, so reads
 * through the Spark Connector use the {@code paginate} or {@code single} partitioner against it.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server;
    private final int port;

    private EmbeddedMongo(MongoServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedMongo start() {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        return new EmbeddedMongo(server, server.getLocalAddress().getPort());
    }

    /** A connection string for {@code database}; server selection gives up after 5 s rather than hanging a job. */
    public String uri(String database) {
        return "mongodb://127.0.0.1:" + port + "/" + database + "?serverSelectionTimeoutMS=5000";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
