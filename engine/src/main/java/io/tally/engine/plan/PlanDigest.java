package io.tally.engine.plan;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.spark.sql.Row;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * SHA-256 over a plan set's rows in key order. Every string is length-prefixed and every array counted, so no
 * two different sets digest alike by shifting a boundary; a NULL has its own marker.
 */
final class PlanDigest {

    private final MessageDigest digest = DigestUtils.getSha256Digest();

    void add(Row row) {
        for (int i = 0; i < row.length(); i++) {
            Object v = row.get(i);
            if (v == null) {
                digest.update((byte) 'N');
            } else if (v instanceof scala.collection.Seq<?> || v instanceof List<?>) {
                List<Object> items = row.getList(i);
                string("[" + items.size());
                items.forEach(item -> string(String.valueOf(item)));
            } else {
                string(v.toString());
            }
        }
        digest.update((byte) '\n');
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        digest.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(b);
    }

    String hex() {
        return org.apache.commons.codec.binary.Hex.encodeHexString(digest.digest());
    }
}
