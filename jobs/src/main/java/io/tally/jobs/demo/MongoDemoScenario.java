package io.tally.jobs.demo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's document migration that failed midway: {@code legacy.users} is backfilled into {@code app.users_v2},
 * each copied document marked with {@code migrationId} and a {@code status} that turns {@code complete} once the
 * document is whole. The backfill died at user {@link #COPIED}: the last batch is half-done, the rest is missing,
 * a retry wrote one user twice, and {@code app.orders} (copied whole) references users not yet in
 * {@code users_v2}. {@link #EXPECTED} and {@link #FINDINGS} are what the report must show, exactly.
 */
public final class MongoDemoScenario {

    public static final int USERS = 120;
    public static final int COPIED = 100;
    /** The batch the backfill was writing when it died: core fields written, profile not yet, status in_progress. */
    public static final int HALF_DONE_FROM = 91;
    public static final int ORDERS = 200;
    private static final long DAY = 86_400_000L;
    private static final long BASE = 1_700_000_000_000L;
    private static final String[] CITIES = {"Lisbon", "Oslo", "Quito", "Accra", "Hanoi"};

    public static final Map<String, DemoScenario.Expected> EXPECTED = Map.of(
            "users", new DemoScenario.Expected(USERS - COPIED, 2, COPIED - HALF_DONE_FROM + 1 + 2, 0,
                    Map.of("profile", (long) (COPIED - HALF_DONE_FROM + 1), "balance", 1L, "legacyNote", 1L)),
            "orders", new DemoScenario.Expected(0, 0, 0, 0, Map.of()));

    /** Finding counts per table and kind. */
    public static final Map<String, Map<String, Long>> FINDINGS = Map.of(
            "users", Map.of("half-done", (long) (COPIED - HALF_DONE_FROM + 1 + 1), "logical-duplicates", 1L),
            "orders", Map.of("orphans", 20L));

    public static final List<String> STORY = List.of(
            "A backfill copies MongoDB legacy.users into app.users_v2 and died midway:",
            "  - users " + (COPIED + 1) + "-" + USERS + " were never copied; users " + HALF_DONE_FROM + "-" + COPIED
                    + " are half-done (status in_progress, profile not yet written);",
            "  - a retry wrote user 3 a second time under a new _id; user 999, deleted at the source, is still there;",
            "  - user 8's balance went in as a double instead of a Decimal128; user 14 lost its null legacyNote field;",
            "  - user 7's age went in as a 64-bit integer: equal under the default numeric policy, so not flagged;",
            "  - app.orders was copied whole, but 20 orders reference users that users_v2 does not have yet.");

    private MongoDemoScenario() {
    }

    public static ObjectId userId(int i) {
        return new ObjectId(String.format("%024x", 0x650000000000L + i));
    }

    static BsonDocument user(int i) {
        BsonArray tags = new BsonArray(List.of(new BsonString("t" + i % 3)));
        if (i % 10 == 0) {
            tags.add(new BsonString("vip"));
        }
        BsonDocument d = new BsonDocument("_id", new BsonObjectId(userId(i)))
                .append("name", new BsonString("User " + i))
                .append("email", new BsonString("user" + i + "@example.com"))
                .append("age", new BsonInt32(20 + i % 50))
                .append("balance", new BsonDecimal128(Decimal128.parse(i * 10 + ".50")))
                .append("active", BsonBoolean.valueOf(i % 4 != 0))
                .append("createdAt", new BsonDateTime(BASE + i * DAY))
                .append("updatedAt", new BsonDateTime(BASE + i * DAY + 3_600_000L))
                .append("profile", new BsonDocument("city", new BsonString(CITIES[i % CITIES.length])).append("tags", tags));
        if (i % 7 == 0) {
            d.append("legacyNote", BsonNull.VALUE);
        }
        return d;
    }

    private static BsonDocument marked(BsonDocument d, String status) {
        return d.clone().append("migrationId", new BsonString("m-2026-11")).append("status", new BsonString(status));
    }

    /** Writes both databases from scratch on the server at {@code uri}. */
    public static void seed(String uri) {
        try (MongoClient client = MongoClients.create(uri)) {
            MongoDatabase legacy = client.getDatabase("legacy");
            MongoDatabase app = client.getDatabase("app");
            legacy.drop();
            app.drop();
            List<BsonDocument> users = new ArrayList<>();
            List<BsonDocument> copied = new ArrayList<>();
            for (int i = 1; i <= USERS; i++) {
                BsonDocument u = user(i);
                users.add(u);
                if (i > COPIED) {
                    continue;
                }
                BsonDocument c = marked(u, i >= HALF_DONE_FROM ? "in_progress" : "complete");
                if (i >= HALF_DONE_FROM) {
                    c.remove("profile");
                }
                if (i == 7) {
                    c.put("age", new BsonInt64(c.getInt32("age").getValue()));
                }
                if (i == 8) {
                    c.put("balance", new BsonDouble(80.5));
                }
                if (i == 14) {
                    c.remove("legacyNote");
                }
                copied.add(c);
            }
            BsonDocument retried = marked(user(3), "in_progress");
            retried.put("_id", new BsonObjectId(new ObjectId("6600000000000000000000aa")));
            retried.put("updatedAt", new BsonDateTime(BASE));
            copied.add(retried);
            BsonDocument gone = marked(user(999), "complete");
            copied.add(gone);
            legacy.getCollection("users", BsonDocument.class).insertMany(users);
            app.getCollection("users_v2", BsonDocument.class).insertMany(copied);
            List<BsonDocument> orders = new ArrayList<>();
            for (int j = 1; j <= ORDERS; j++) {
                orders.add(new BsonDocument("_id", new BsonInt32(j))
                        .append("userId", new BsonObjectId(userId(j % USERS + 1)))
                        .append("amount", new BsonDecimal128(Decimal128.parse(j + ".25")))
                        .append("status", new BsonString(j % 3 == 0 ? "paid" : "new")));
            }
            legacy.getCollection("orders", BsonDocument.class).insertMany(orders);
            MongoCollection<BsonDocument> target = app.getCollection("orders", BsonDocument.class);
            target.insertMany(orders);
        }
    }

    /** The job: {@code sourceUri} and {@code targetUri} name the legacy and app databases. */
    public static String config(String sourceUri, String targetUri, String partitioner) {
        return """
                # Written by 'tally demo': a users -> users_v2 backfill on an in-process MongoDB.
                job: demo-users-backfill
                source:
                  url: %s
                  properties: {partitioner: %s, partitioner.options.max.number.of.partitions: "3"}
                target:
                  url: %s
                  properties: {partitioner: %s, partitioner.options.max.number.of.partitions: "3"}
                tables:
                  - name: users
                    source: legacy.users
                    target: app.users_v2
                    documents:
                      marker: {field: migrationId, status_field: status, complete: complete}
                      duplicates: {key: [email], keep: complete, by: updatedAt}
                  - name: orders
                    source: legacy.orders
                    target: app.orders
                    documents:
                      references: [{field: userId, collection: users_v2}]
                """.formatted(sourceUri, partitioner, targetUri, partitioner);
    }
}
