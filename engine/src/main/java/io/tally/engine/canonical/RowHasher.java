package io.tally.engine.canonical;

import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The 128-bit row hash: the first 16 bytes of SHA-256 over the concatenated tokens of a row's compared
 * columns, in the aligned column order. Not thread-safe: one instance per partition.
 */
public final class RowHasher {

    private final MessageDigest sha256 = DigestUtils.getSha256Digest();

    public String hash(String[] tokens) {
        sha256.reset();
        for (String t : tokens) {
            sha256.update(t.getBytes(StandardCharsets.UTF_8));
        }
        byte[] full = sha256.digest();
        return Hex.encodeHexString(java.util.Arrays.copyOf(full, 16));
    }
}
