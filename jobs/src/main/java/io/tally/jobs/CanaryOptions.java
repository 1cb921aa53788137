package io.tally.jobs;

import io.tally.engine.TallyError;
import io.tally.engine.config.Canary;
import io.tally.engine.config.JobConfig;
import io.tally.engine.config.TableConfig;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code verify}'s canary options (docs/live-systems.md): compare a subset first. They add to the job file's
 * {@code canary:} section, a table's entry winning field by field.
 */
final class CanaryOptions {

    @Option(names = "--sample", paramLabel = "PCT", description = "Compare only this share of keys, chosen by a hash "
            + "of the key so both sides keep the same ones, e.g. 1% or 0.1%.")
    String sample;

    @Option(names = "--where", paramLabel = "TABLE=SQL", description = "Compare only the rows of TABLE the SQL "
            + "condition holds for (on both sides; repeatable), e.g. orders=\"status = 'open'\".")
    List<String> where = new ArrayList<>();

    @Option(names = "--key-range", paramLabel = "TABLE=FROM..TO", description = "Compare only the rows of TABLE whose "
            + "first key column is at least FROM and below TO (either may be left out: 1000.. or ..5000).")
    List<String> keyRange = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "[TABLE=]ID", description = "Compare only the rows whose batch_column "
            + "holds ID (in TABLE, or in every table that sets batch_column).")
    List<String> batch = new ArrayList<>();

    /** {@code job} with these options merged into its canary; the job unchanged when none is given. */
    JobConfig apply(JobConfig job) {
        if (sample == null && where.isEmpty() && keyRange.isEmpty() && batch.isEmpty()) {
            return job;
        }
        Map<String, Canary.TableSubset> tables = new LinkedHashMap<>(job.canary().tables());
        for (String w : where) {
            String[] p = split(w, "--where", "orders=\"status = 'open'\"");
            Canary.TableSubset t = tables.getOrDefault(p[0], Canary.TableSubset.ALL);
            tables.put(p[0], new Canary.TableSubset(p[1], null, t.keyFrom(), t.keyTo(), t.batch()));
        }
        for (String r : keyRange) {
            String[] p = split(r, "--key-range", "orders=1000..2000");
            int dots = p[1].indexOf("..");
            if (dots < 0 || p[1].equals("..")) {
                throw new TallyError("--key-range " + r + " has no FROM..TO; write e.g. orders=1000..2000, orders=1000.. "
                        + "or orders=..2000");
            }
            String from = p[1].substring(0, dots).strip();
            String to = p[1].substring(dots + 2).strip();
            Canary.TableSubset t = tables.getOrDefault(p[0], Canary.TableSubset.ALL);
            tables.put(p[0], new Canary.TableSubset(t.where(), t.targetWhere(), from.isEmpty() ? null : from,
                    to.isEmpty() ? null : to, t.batch()));
        }
        for (String b : batch) {
            List<String> names = new ArrayList<>();
            String id = b;
            if (b.contains("=")) {
                names.add(b.substring(0, b.indexOf('=')));
                id = b.substring(b.indexOf('=') + 1);
            } else {
                job.tables().stream().filter(t -> t.batchColumn() != null).map(TableConfig::name).forEach(names::add);
                if (names.isEmpty()) {
                    throw new TallyError("--batch " + b + ": no table sets batch_column; set it on the table, or "
                            + "narrow with --where");
                }
            }
            for (String name : names) {
                Canary.TableSubset t = tables.getOrDefault(name, Canary.TableSubset.ALL);
                tables.put(name, new Canary.TableSubset(t.where(), t.targetWhere(), t.keyFrom(), t.keyTo(), id));
            }
        }
        JobConfig narrowed = job.withCanary(new Canary(sample != null ? sample : job.canary().sample(), tables));
        narrowed.canary().validate(narrowed.tables(), "the command line");
        return narrowed;
    }

    private static String[] split(String text, String option, String example) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new TallyError(option + " " + text + " does not name a table; write TABLE=..., e.g. " + option + " "
                    + example);
        }
        return new String[]{text.substring(0, eq), text.substring(eq + 1)};
    }
}
