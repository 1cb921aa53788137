package io.tally.jobs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input with a MongoDB side: one line naming what is wrong and the fix, exit 2, no stack trace, no report
 * written, and the password (given through a file) in no message.
 */
class MongoBadInputTest {

    private static final String SECRET = "M0ngo-secret!";

    @BeforeAll
    static void seed() {
        try (var client = com.mongodb.client.MongoClients.create(TestMongo.uri(""))) {
            var c = client.getDatabase("bad").getCollection("users", org.bson.BsonDocument.class);
            c.drop();
            c.insertOne(org.bson.BsonDocument.parse("{_id: 1, name: 'a'}"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing collection|SRC||tables: [{source: bad.nope, target: bad.users}]|source collection bad.nope not found",
            "no database|mongodb://127.0.0.1:PORT/?serverSelectionTimeoutMS=3000||tables: [{source: users}]|without a database",
            "unreachable|mongodb://127.0.0.1:1/bad?serverSelectionTimeoutMS=1000|, user: tally, password_file: PWFILE"
                    + "|tables: [{source: bad.users}]|cannot reach the source",
            "password in url|mongodb://u:pw@127.0.0.1:1/bad||tables: [{source: bad.users}]|contains a password",
            "unknown partitioner|SRC|, properties: {partitioner: fancy}|tables: [{source: bad.users}]|partitioner 'fancy' is not known",
            "driver option as property|SRC|, properties: {readPreference: secondary}|tables: [{source: bad.users}]"
                    + "|is not a MongoDB read setting",
            "keep complete without marker|SRC||tables: [{source: bad.users, documents: {duplicates: {key: [name], keep: complete}}}]"
                    + "|needs documents.marker",
            "latest without by|SRC||tables: [{source: bad.users, documents: {duplicates: {key: [name]}}}]|needs 'by'",
            "missing_fields|SRC||tables: [{source: bad.users, documents: {missing_fields: maybe}}]|use distinct or null",
            "normalize|SRC||tables: [{source: bad.users, columns: {name: {normalize: [trim]}}}]|normalize is not supported",
            "strict numbers is document-only|SRC||options: {document_numbers: sometimes} NL tables: [{source: bad.users}]"
                    + "|use exact, value or strict",
            "unknown key column|SRC||tables: [{source: bad.users, key: [nope]}]|none of the first 1000 documents",
            "partitioner the server cannot run|SRC|, properties: {partitioner: sample}|tables: [{source: bad.users}]"
                    + "|could not partition"})
    void refused(String name, String url, String extra, String tables, String expected, @TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(name.startsWith("partitioner the server")
                && TestMongo.partitioner().equals("sample"), "a real server runs the sample partitioner");
        Path pw = dir.resolve("pw");
        Files.writeString(pw, SECRET + "\n");
        String src = url.equals("SRC") ? TestMongo.uri("bad") : url.replace("PORT", port());
        String endpoint = "{url: '" + src + "'" + (extra == null ? "" : extra.replace("PWFILE", "'" + pw + "'")) + "}";
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "job: bad\nsource: " + endpoint + "\ntarget: " + endpoint + "\n" + tables.replace(" NL ", "\n") + "\n");
        Path out = dir.resolve("out");
        RepairScenariosTest.Run run = RepairScenariosTest.cli("verify", "--config", config.toString(), "--out",
                out.toString());
        assertEquals(2, run.code(), run.out() + run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --debug: " + run.err());
        assertFalse((run.out() + run.err()).contains(SECRET), "the password leaked");
        assertFalse(Files.exists(out.resolve("report.json")), "nothing written");
    }

    private static String port() {
        String u = TestMongo.uri("");
        return u.replaceAll("^mongodb://[^:/]+:(\\d+).*$", "$1");
    }
}
