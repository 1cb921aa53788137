package io.tally.engine.repair;

import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.canonical.RowHasher;
import io.tally.engine.canonical.ValueCanonicalizer;
import org.apache.commons.codec.digest.DigestUtils;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the current rows under a batch of keys over plain JDBC, through the same read expressions and canonical
 * rules as verify, and reduces each key to its state: {@link #ABSENT}, the row hash, or for several rows
 * {@code dup:<n>:<sha256 of the sorted hashes>} (the same state verify computes for a duplicated key).
 */
public final class RowFetcher {

    public static final String ABSENT = "absent";

    /**
     * The state of every requested key, and whether the server returned rows under keys that were not asked
     * for (a case- or accent-insensitive collation matching more than the exact key).
     */
    public record Fetched(Map<String, String> states, Map<String, String> guards, boolean foreign) {
        public String state(String key) {
            return states.getOrDefault(key, ABSENT);
        }

        /** The state under unfolded rules (NFC, case and trim folding off), as the plan's guard records it. */
        public String guard(String key) {
            return guards.getOrDefault(key, ABSENT);
        }
    }

    /** Keys as lists of canonical tokens (key columns in order); {@code lock} reads FOR UPDATE. */
    public Fetched fetch(Connection c, SideAccess side, List<List<String>> keys, boolean lock) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < side.columns().size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(side.dialect().readExpression(side.columns().get(i),
                    side.rules().get(i).kind()));
        }
        sql.append(" FROM ").append(side.qualified()).append(" WHERE ").append(inList(side, keys.size()));
        if (lock) {
            sql.append(" FOR UPDATE");
        }
        Set<String> asked = new HashSet<>();
        keys.forEach(k -> asked.add(String.join("", k)));
        Map<String, List<String>> hashes = new HashMap<>();
        Map<String, List<String>> guardHashes = new HashMap<>();
        List<ColumnRule> unfolded = side.rules().stream().map(r -> r.withFolds(false, false, false)).toList();
        boolean folds = !unfolded.equals(side.rules());
        boolean foreign = false;
        RowHasher hasher = new RowHasher();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (List<String> key : keys) {
                for (int k = 0; k < side.keyCount(); k++) {
                    ValueBinder.bind(ps, p++, key.get(k), side.columns().get(k), side.rules().get(k));
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = side.columns().size();
                while (rs.next()) {
                    String[] tokens = new String[n];
                    String[] whole = folds ? new String[n] : tokens;
                    StringBuilder key = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        Object value = rs.getObject(i + 1);
                        tokens[i] = ValueCanonicalizer.token(value, side.rules().get(i));
                        if (folds) {
                            whole[i] = ValueCanonicalizer.token(value, unfolded.get(i));
                        }
                        if (i < side.keyCount()) {
                            key.append(tokens[i]);
                        }
                    }
                    if (!asked.contains(key.toString())) {
                        foreign = true;
                        continue;
                    }
                    hashes.computeIfAbsent(key.toString(), x -> new ArrayList<>()).add(hasher.hash(tokens));
                    guardHashes.computeIfAbsent(key.toString(), x -> new ArrayList<>()).add(hasher.hash(whole));
                }
            }
        }
        Map<String, String> states = new HashMap<>();
        hashes.forEach((k, h) -> states.put(k, state(h)));
        Map<String, String> guards = new HashMap<>();
        guardHashes.forEach((k, h) -> guards.put(k, state(h)));
        return new Fetched(states, guards, foreign);
    }

    /** The state of a key from its rows' hashes; matches the plan's {@code dup:} state computed in Spark. */
    static String state(List<String> hashes) {
        if (hashes.isEmpty()) {
            return ABSENT;
        }
        if (hashes.size() == 1) {
            return hashes.get(0);
        }
        List<String> sorted = new ArrayList<>(hashes);
        java.util.Collections.sort(sorted);
        return "dup:" + sorted.size() + ":" + DigestUtils.sha256Hex(String.join(",", sorted));
    }

    private static String inList(SideAccess side, int n) {
        List<String> keyCols = side.quotedKeys();
        List<String> ph = side.columns().subList(0, side.keyCount()).stream().map(side.dialect()::placeholder).toList();
        String one = side.keyCount() == 1 ? ph.get(0) : "(" + String.join(", ", ph) + ")";
        String lhs = side.keyCount() == 1 ? keyCols.get(0) : "(" + String.join(", ", keyCols) + ")";
        return lhs + " IN (" + String.join(", ", java.util.Collections.nCopies(n, one)) + ")";
    }

    /** The key string of a plan row (its key tokens concatenated), as verify keys rows. */
    static String keyOf(List<String> keyTokens) {
        return String.join("", keyTokens);
    }
}
