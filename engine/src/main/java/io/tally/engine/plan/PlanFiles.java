package io.tally.engine.plan;

import io.tally.engine.TallyError;
import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.report.ReportWriter;
import org.apache.commons.codec.digest.DigestUtils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a plan directory back and proves it is the plan its manifest describes, or refuses it. */
public final class PlanFiles {

    /** Maps serialize sorted by key: a connection-properties map has no stable order of its own. */
    private static final com.fasterxml.jackson.databind.ObjectMapper IDENTITY_JSON = ReportWriter.JSON.copy()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private PlanFiles() {
    }

    /** The plan id: SHA-256 of the manifest's identity (volatile fields blanked) as JSON. */
    static String planId(PlanManifest m) {
        try {
            return DigestUtils.sha256Hex(IDENTITY_JSON.writeValueAsBytes(m.identity()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checksums of the Parquet files of one set, by name. */
    static List<PlanManifest.FileSum> checksums(Path dir) {
        List<PlanManifest.FileSum> sums = new ArrayList<>();
        for (Map.Entry<String, Path> e : parquetFiles(dir).entrySet()) {
            try (InputStream in = Files.newInputStream(e.getValue())) {
                sums.add(new PlanManifest.FileSum(e.getKey(), Files.size(e.getValue()), DigestUtils.sha256Hex(in)));
            } catch (IOException ex) {
                throw new TallyError("cannot read plan file " + e.getValue() + ": " + ex.getMessage());
            }
        }
        return sums;
    }

    private static Map<String, Path> parquetFiles(Path dir) {
        Map<String, Path> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (var list = Files.list(dir)) {
            list.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .forEach(p -> files.put(p.getFileName().toString(), p));
        } catch (IOException e) {
            throw new TallyError("cannot list plan directory " + dir + ": " + e.getMessage());
        }
        return files;
    }

    /**
     * Loads {@code dir/manifest.json} (or {@code dir/plan/manifest.json}) and checks it: format and canonical
     * version, the plan id against the manifest's content, and every Parquet file against its checksum, with
     * no file added or missing. Returns the manifest and the directory holding it.
     */
    public static Loaded load(Path dir) {
        Path planDir = Files.exists(dir.resolve("manifest.json")) ? dir : dir.resolve("plan");
        Path file = planDir.resolve("manifest.json");
        if (!Files.exists(file)) {
            throw new TallyError("no plan at " + dir + " (no manifest.json there or in plan/); run "
                    + "'tally verify --config F --out DIR --plan' first and pass that DIR");
        }
        PlanManifest m;
        try {
            m = ReportWriter.JSON.readValue(file.toFile(), PlanManifest.class);
        } catch (IOException e) {
            throw new TallyError("plan manifest " + file + " is not readable (" + e.getClass().getSimpleName()
                    + "); regenerate the plan with verify --plan");
        }
        if (!PlanManifest.FORMAT.equals(m.format())) {
            throw new TallyError("plan " + file + " has format " + m.format() + ", this tally reads "
                    + PlanManifest.FORMAT + "; regenerate the plan with this version's verify --plan");
        }
        if (!CanonicalForm.VERSION.equals(m.canonicalForm())) {
            throw new TallyError("plan " + file + " was computed with canonical form " + m.canonicalForm()
                    + " but this tally uses " + CanonicalForm.VERSION + "; regenerate the plan with verify --plan");
        }
        if (m.planId() == null || !m.planId().equals(planId(m))) {
            throw new TallyError("plan manifest " + file + " was edited after it was written (its content does "
                    + "not hash to plan id " + m.planId() + "); regenerate the plan with verify --plan");
        }
        for (PlanManifest.PlannedTable t : m.tables()) {
            for (PlanManifest.PlanSet s : List.of(t.upserts(), t.deletes())) {
                List<PlanManifest.FileSum> actual = checksums(planDir.resolve(s.path()));
                if (!actual.equals(s.files())) {
                    throw new TallyError("plan files under " + planDir.resolve(s.path()) + " do not match the "
                            + "manifest (changed, added or missing files); the plan was tampered with or "
                            + "copied incompletely, so regenerate it with verify --plan");
                }
            }
        }
        return new Loaded(m, planDir);
    }

    /**
     * Re-reads every set and checks its rows against the content digest the plan id covers: a set edited
     * together with its file checksum in the manifest is caught here. Repair runs this before writing.
     */
    public static void checkContent(org.apache.spark.sql.SparkSession spark, Loaded plan) {
        for (PlanManifest.PlannedTable t : plan.manifest().tables()) {
            for (PlanManifest.PlanSet s : List.of(t.upserts(), t.deletes())) {
                if (s.rows() == 0) {
                    continue;
                }
                PlanDigest digest = new PlanDigest();
                long n = 0;
                var it = spark.read().parquet(plan.set(s).toString()).orderBy("key").toLocalIterator();
                while (it.hasNext()) {
                    digest.add(it.next());
                    n++;
                }
                if (n != s.rows() || !digest.hex().equals(s.contentSha256())) {
                    throw new TallyError("the rows under " + plan.set(s) + " are not the rows the plan id "
                            + plan.manifest().planId() + " was computed from; the plan was tampered with, so "
                            + "regenerate it with verify --plan");
                }
            }
        }
    }

    /** A checked plan: its manifest and the directory holding manifest.json and the sets. */
    public record Loaded(PlanManifest manifest, Path dir) {
        public Path set(PlanManifest.PlanSet s) {
            return dir.resolve(s.path());
        }
    }
}
