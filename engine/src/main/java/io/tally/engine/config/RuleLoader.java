package io.tally.engine.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.engine.TallyError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Merges the rules of a job's {@code rule_files} (each a YAML list of rules, or a mapping with {@code rules:})
 * after its inline {@code rules}, and checks each rule's shape: a unique name, a known kind, severity and side, a
 * table of the job, and the fields its kind needs. Expressions are checked later against the tables' columns,
 * still before anything is read.
 */
final class RuleLoader {

    /** A rule file as a mapping. */
    record RuleFile(List<RuleConfig> rules) {
    }

    private final ObjectMapper yaml;

    RuleLoader(ObjectMapper yaml) {
        this.yaml = yaml;
    }

    JobConfig merge(JobConfig c, Path base, String origin) {
        if (c.ruleFiles().isEmpty()) {
            return c;
        }
        List<RuleConfig> all = new ArrayList<>(c.rules());
        for (String f : c.ruleFiles()) {
            Path file = base.resolve(f);
            try {
                String text = Files.readString(file);
                var tree = yaml.readTree(text);
                List<RuleConfig> rules = tree != null && tree.isArray()
                        ? java.util.Arrays.asList(yaml.treeToValue(tree, RuleConfig[].class))
                        : yaml.treeToValue(tree, RuleFile.class).rules();
                for (RuleConfig r : rules == null ? List.<RuleConfig>of() : rules) {
                    if (r == null) {
                        throw new TallyError(file + ": an empty rule (a bare '-'); write each rule as a mapping with "
                                + "name, table and kind");
                    }
                    all.add(r);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                throw new TallyError(origin + ": rule_files: " + file + " does not exist; paths are relative to the "
                        + "job file");
            } catch (java.nio.charset.MalformedInputException e) {
                throw new TallyError(origin + ": rule_files: " + file + " is not valid UTF-8; save it as UTF-8");
            } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
                throw new TallyError(file + ": unknown rule key '" + e.getPropertyName() + "'; see docs/rules.md");
            } catch (IOException e) {
                String first = e.getMessage() == null ? "invalid" : e.getMessage().split("\n")[0];
                throw new TallyError(file + ": not a list of rules: " + first + "; see docs/rules.md");
            }
        }
        return new JobConfig(c.job(), c.source(), c.target(), c.options(), c.tables(), c.checks(), all, c.ruleFiles(),
                c.history(), c.recheck(), c.canary());
    }

    static void validate(JobConfig c, String origin) {
        Set<String> tables = new HashSet<>();
        c.tables().forEach(t -> tables.add(t.name()));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < c.rules().size(); i++) {
            RuleConfig r = c.rules().get(i);
            if (r == null) {
                throw new TallyError(origin + ": rules[" + i + "] is empty; write each rule as a mapping with name, "
                        + "table and kind");
            }
            String at = origin + ": rules[" + i + "]" + (r.name() == null ? "" : " (" + r.name() + ")");
            if (r.name() == null || r.name().isBlank()) {
                throw new TallyError(at + " has no name; give each rule a name: (it labels the report)");
            }
            if (!names.add(r.name())) {
                throw new TallyError(at + ": rule name '" + r.name() + "' appears twice; rename one");
            }
            if (r.kind() == null || !RuleConfig.KINDS.contains(r.kind())) {
                throw new TallyError(at + ".kind is '" + r.kind() + "'; use one of " + sorted(RuleConfig.KINDS));
            }
            if (!RuleConfig.SEVERITIES.contains(r.severity())) {
                throw new TallyError(at + ".severity is '" + r.severity() + "'; use error or warn");
            }
            if (!RuleConfig.SIDES.contains(r.side())) {
                throw new TallyError(at + ".side is '" + r.side() + "'; use source, target or both");
            }
            if (r.table() == null || !tables.contains(r.table())) {
                throw new TallyError(at + ".table is '" + r.table() + "'; name a table of this job ("
                        + String.join(", ", sorted(tables)) + ")");
            }
            if (r.tolerance().signum() < 0) {
                throw new TallyError(at + ".tolerance is negative; give the largest difference that still passes");
            }
            String missing = switch (r.kind()) {
                case "row" -> blank(r.check()) ? "check (a condition every row meets, e.g. amount >= 0)" : null;
                case "aggregate", "balance" -> blank(r.expr()) ? "expr (an aggregate, e.g. sum(amount))" : null;
                case "transition" -> blank(r.column()) || r.allowed().isEmpty()
                        ? "column and allowed (e.g. {new: [paid, cancelled], paid: [shipped]})" : null;
                default -> null;
            };
            if (missing != null) {
                throw new TallyError(at + ": a " + r.kind() + " rule needs " + missing);
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
