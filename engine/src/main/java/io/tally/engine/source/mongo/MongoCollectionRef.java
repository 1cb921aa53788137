package io.tally.engine.source.mongo;

import io.tally.engine.TallyError;

import java.io.Serializable;
import java.util.Map;

/**
 * A collection to read through the MongoDB Spark Connector, and how to split it.
 *
 * @param partitioner        {@code sample} (the connector's default, for real servers), {@code paginate},
 *                           {@code single}, {@code sharded}, or a partitioner class name
 * @param partitionerOptions the connector's {@code partitioner.options.*} settings, without the prefix
 */
public record MongoCollectionRef(String uri, String database, String collection, String partitioner,
                                 Map<String, String> partitionerOptions) implements Serializable {

    private static final String PACKAGE = "com.mongodb.spark.sql.connector.read.partitioner.";

    public MongoCollectionRef {
        partitionerOptions = partitionerOptions == null ? Map.of() : Map.copyOf(partitionerOptions);
    }

    /** The connector's partitioner class for the configured name. */
    public String partitionerClass() {
        String p = partitioner == null ? "sample" : partitioner;
        return switch (p) {
            case "sample" -> PACKAGE + "SamplePartitioner";
            case "paginate" -> PACKAGE + "PaginateIntoPartitionsPartitioner";
            case "paginate-by-size" -> PACKAGE + "PaginateBySizePartitioner";
            case "single" -> PACKAGE + "SinglePartitionPartitioner";
            case "sharded" -> PACKAGE + "ShardedPartitioner";
            case "auto-bucket" -> PACKAGE + "AutoBucketPartitioner";
            default -> {
                if (!p.contains(".")) {
                    throw new TallyError("partitioner '" + p + "' is not known; use sample, paginate, "
                            + "paginate-by-size, single, sharded, auto-bucket or a partitioner class name");
                }
                yield p;
            }
        };
    }

    @Override
    public String toString() {
        return database + "." + collection;
    }
}
