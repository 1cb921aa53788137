package io.tally.jobs;

import io.tally.jobs.embedded.EmbeddedMongo;

/**
 * The MongoDB the tests talk to, once per test JVM: {@code TALLY_TEST_MONGO_URI} when set (a real server);
 * else a real MongoDB 7 in a container through Testcontainers when a Docker engine answers; else the in-process
 * wire-compatible server. The same test classes run against each.
 */
final class TestMongo {

    private static String uri;
    private static boolean real;

    private TestMongo() {
    }

    /** A connection string without a database; server selection gives up after 5 s. */
    static synchronized String uri() {
        if (uri == null) {
            String given = System.getenv("TALLY_TEST_MONGO_URI");
            if (given != null && !given.isBlank()) {
                uri = given;
                real = true;
            } else if (docker()) {
                var container = new org.testcontainers.containers.MongoDBContainer("mongo:7.0");
                container.start();
                Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
                uri = container.getReplicaSetUrl("test");
                real = true;
            } else {
                EmbeddedMongo server = EmbeddedMongo.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                uri = server.uri("");
            }
        }
        return uri;
    }

    private static boolean docker() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** A URL naming {@code database}, with the query string kept. */
    static String uri(String database) {
        String base = uri();
        int q = base.indexOf('?');
        String head = q < 0 ? base : base.substring(0, q);
        String query = q < 0 ? "" : base.substring(q);
        int slash = head.indexOf('/', head.indexOf("://") + 3);
        return (slash < 0 ? head : head.substring(0, slash)) + "/" + database + query;
    }

    /** The connector partitioner to read with: the connector's default on a real server. */
    static String partitioner() {
        uri();
        return real ? "sample" : "paginate";
    }
}
