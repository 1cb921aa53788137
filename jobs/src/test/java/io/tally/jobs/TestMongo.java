package io.tally.jobs;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;

/**
 * The MongoDB the tests talk to: an in-process server speaking the wire protocol (mongo-java-server, wire
 * version 7), bound to loopback once per test JVM. No MongoDB binary can be installed here; a real server
 * belongs to the Testcontainers path where a Docker engine exists.
 */
final class TestMongo {

    private static String uri;

    private TestMongo() {
    }

    /** A connection string; server selection gives up after 5 s rather than hanging a Spark job. */
    static synchronized String uri() {
        if (uri == null) {
            MongoServer server = new MongoServer(new MemoryBackend());
            server.bind("127.0.0.1", 0);
            InetSocketAddress address = server.getLocalAddress();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
            uri = "mongodb://127.0.0.1:" + address.getPort() + "/?serverSelectionTimeoutMS=5000";
        }
        return uri;
    }
}
