package io.tally.engine.repair;

import java.util.List;

/**
 * One planned key as the repair applies it.
 *
 * @param action     {@code insert}, {@code update}, {@code replace} (upserts), {@code delete} (a key only in the
 *                   target) or {@code dedupe} (the target copy of a source row a dedupe rule set aside)
 * @param sourceHash the source row's hash (the state an upsert produces); null for a delete
 * @param expected   the key's target state at verification: {@code absent}, a row hash, or a {@code dup:} state
 * @param tokens     an upsert's full row (canonical tokens, keys first), or a delete's key tokens
 * @param doc        an upsert's source document as canonical extended JSON, when source and target are MongoDB
 */
public record PlanRow(String key, String action, String sourceHash, String expected, List<String> tokens,
                      String doc) {

    public boolean isDelete() {
        return "delete".equals(action) || "dedupe".equals(action);
    }

    /** The state the key is in once this row is applied. */
    public String desired() {
        return isDelete() ? RowFetcher.ABSENT : sourceHash;
    }

    public List<String> keyTokens(int keyCount) {
        return tokens.subList(0, keyCount);
    }
}
