package io.tally.engine.verify;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.report.Recheck;
import io.tally.engine.repair.KeyStates;
import io.tally.engine.repair.RowFetcher;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads differing keys again on both sides, in generations (docs/audits.md). Each generation first waits, then
 * reads the current state of every key still differing (absent, the row hash, or a duplicate state, through the
 * same canonical rules as the diff) and drops the keys whose sides now agree: they were writes in flight. What
 * differs at every look persists. Keys are read in batches on one connection per side.
 */
final class Rechecker {

    /**
     * A differing key: the diff's key text, its canonical key tokens (key columns in order), and whether the diff
     * saw it on one side only (missing or extra).
     */
    record Key(String key, List<String> tokens, boolean oneSided) {
    }

    /**
     * The keys found in flight, the account of every generation, and the keys that still differ although the last
     * look found a row on both sides ({@code held}): a narrowed read that saw such a key on one side only (its
     * row fell outside the other side's condition) compares them whole, as changed rows.
     */
    record Outcome(Set<String> resolved, Recheck report, List<Key> held) {
    }

    static final int BATCH = 500;

    private final Consumer<String> progress;
    private final RecheckPause sleeper;

    Rechecker(Consumer<String> progress, RecheckPause sleeper) {
        this.progress = progress;
        this.sleeper = sleeper;
    }

    /**
     * @param confirm  first read every key at once, before any wait (an incremental read saw each side only in
     *                 part); this look counts as generation 0
     * @param columns  the key columns' names, for the samples
     */
    Outcome run(String table, List<Key> keys, int generations, long delaySeconds, boolean confirm, KeyStates source,
                KeyStates target, List<String> columns, int sampleSize) {
        Map<String, Key> open = new LinkedHashMap<>();
        keys.forEach(k -> open.put(k.key(), k));
        Set<String> resolved = new LinkedHashSet<>();
        Set<String> found = new java.util.HashSet<>(); // keys some look read back on a side
        Set<String> onBoth = new java.util.HashSet<>(); // keys the latest look found on both sides
        List<Map<String, String>> samples = new ArrayList<>();
        List<Recheck.Generation> rounds = new ArrayList<>();
        for (int g = confirm ? 0 : 1; g <= generations && !open.isEmpty(); g++) {
            if (g > 0) {
                pause(delaySeconds);
            }
            long asked = open.size();
            String at = Instant.now().toString();
            List<Key> all = new ArrayList<>(open.values());
            for (int i = 0; i < all.size(); i += BATCH) {
                List<Key> batch = all.subList(i, Math.min(all.size(), i + BATCH));
                List<List<String>> tokens = batch.stream().map(Key::tokens).toList();
                Map<String, String> s = source.states(tokens);
                Map<String, String> t = target.states(tokens);
                for (Key k : batch) {
                    String a = s.getOrDefault(k.key(), RowFetcher.ABSENT);
                    String b = t.getOrDefault(k.key(), RowFetcher.ABSENT);
                    boolean absent = a.equals(RowFetcher.ABSENT);
                    if (!absent || !b.equals(RowFetcher.ABSENT)) {
                        found.add(k.key());
                    }
                    if (!absent && !b.equals(RowFetcher.ABSENT)) {
                        onBoth.add(k.key());
                    } else {
                        onBoth.remove(k.key());
                    }
                    // absent on both sides counts as gone only after a wait, and only for a key an earlier look did
                    // read back: a key that is never found may simply not be findable by exact lookup (a folded or
                    // truncated key), and calling it in flight would hide real drift
                    if (a.equals(b) && (!absent || (g > 0 && found.contains(k.key())))) {
                        open.remove(k.key());
                        resolved.add(k.key());
                        if (samples.size() < sampleSize) {
                            samples.add(display(k, columns));
                        }
                    }
                }
            }
            long done = asked - open.size();
            rounds.add(new Recheck.Generation(g, at, asked, done, open.size()));
            progress.accept(table + ": recheck " + g + " read " + asked + " key(s) again: " + done + " in flight, "
                    + open.size() + " still differ");
        }
        return new Outcome(resolved, new Recheck(generations, delaySeconds, keys.size(), resolved.size(), open.size(),
                rounds, samples, null), open.values().stream().filter(k -> onBoth.contains(k.key())).toList());
    }

    private void pause(long seconds) {
        try {
            sleeper.sleep(seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.tally.engine.TallyError("interrupted while waiting to recheck differences; nothing was "
                    + "reported as consistent");
        }
    }

    private static Map<String, String> display(Key k, List<String> columns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            out.put(columns.get(i), CanonicalForm.display(k.tokens().get(i)));
        }
        return out;
    }
}
