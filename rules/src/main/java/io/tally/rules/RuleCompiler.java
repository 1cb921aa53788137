package io.tally.rules;

import io.tally.engine.TallyError;
import io.tally.engine.config.RuleConfig;
import io.tally.engine.verify.TablePlan;
import io.tally.engine.verify.TypedRows;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.util.List;

import static org.apache.spark.sql.functions.expr;

/**
 * Checks a table's rules against its typed columns before anything is read: each expression is parsed and
 * resolved by Spark's own analyzer on an empty frame of the table's schema, so a syntax error comes back with its
 * position, an unknown column with Spark's suggestions, and a condition or aggregate of the wrong type by name.
 */
final class RuleCompiler {

    private final SparkSession spark;

    RuleCompiler(SparkSession spark) {
        this.spark = spark;
    }

    void check(TablePlan plan, RuleConfig r, String at) {
        String where = at + ": rule " + r.name();
        Dataset<Row> empty = spark.createDataFrame(List.<Row>of(), new StructType(
                TypedRows.fields(plan, true).toArray(org.apache.spark.sql.types.StructField[]::new)));
        Column[] by = r.by().stream().map(b -> resolve(where + " by '" + b + "'", b)).toArray(Column[]::new);
        try {
            switch (r.kind()) {
                case "row" -> {
                    Column check = resolve(where + " check", r.check());
                    DataType t = type(empty.select(check));
                    if (!(t instanceof BooleanType)) {
                        throw new TallyError(where + ": check '" + r.check() + "' is " + t.simpleString()
                                + ", not a condition; compare it, e.g. amount >= 0");
                    }
                    // the shape evaluation uses: an aggregate inside the check fails here, not after the read
                    empty.agg(RowRule.violations(check)).schema();
                }
                case "aggregate", "balance" -> {
                    DataType t = empty.groupBy(by).agg(resolve(where + " expr", r.expr()).as("__v")).schema()
                            .apply("__v").dataType();
                    if (!(t instanceof NumericType)) {
                        throw new TallyError(where + ": expr '" + r.expr() + "' is " + t.simpleString()
                                + ", not a number; aggregate a numeric column, e.g. sum(amount)");
                    }
                }
                case "count" -> empty.groupBy(by).count().schema();
                case "transition" -> empty.select(resolve(where + " column", "`" + r.column().replace("`", "``")
                        + "`").cast(DataTypes.StringType)).schema();
                default -> throw new IllegalStateException(r.kind());
            }
        } catch (TallyError e) {
            throw e;
        } catch (Exception e) { // Spark's AnalysisException is checked in Java terms but not declared
            if (!(e instanceof AnalysisException)) {
                throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
            throw new TallyError(where + ": " + firstLine(e.getMessage()) + "; columns are named as the report "
                    + "names them (source names): " + String.join(", ", empty.columns()));
        }
    }

    /** Spark SQL functions that call arbitrary Java methods or read files: a rule computes, it does not act. */
    private static final java.util.Set<String> UNSAFE = java.util.Set.of("reflect", "java_method", "try_reflect",
            "input_file_name", "input_file_block_start", "input_file_block_length", "read_files");

    /** Parses an expression; a syntax error names the rule and the position. */
    private static Column resolve(String where, String text) {
        Column parsed;
        try {
            parsed = expr(text); // parsed here, resolved when the frame is built
        } catch (Exception x) {
            if (!(x instanceof org.apache.spark.sql.catalyst.parser.ParseException e)) {
                throw x instanceof RuntimeException re ? re : new IllegalStateException(x);
            }
            String pos = e.start().line().isDefined() ? " at line " + e.start().line().get() + ", position "
                    + e.start().startPosition().get() : "";
            throw new TallyError(where + ": syntax error" + pos + " in '" + text + "': "
                    + firstLine(e.getMessage()).replaceAll("\\(line \\d+, pos \\d+\\)", "").trim());
        }
        refuseUnsafe(where, parsed.expr());
        return parsed;
    }

    /** Walks the parsed tree: a function is known by its last name part, however it was quoted or commented. */
    private static void refuseUnsafe(String where, org.apache.spark.sql.catalyst.expressions.Expression e) {
        if (e instanceof org.apache.spark.sql.catalyst.analysis.UnresolvedFunction f) {
            String name = f.nameParts().last().toLowerCase(java.util.Locale.ROOT);
            if (UNSAFE.contains(name)) {
                throw new TallyError(where + ": '" + name + "' is not allowed in a rule (it calls Java methods or "
                        + "reads files); write the condition with Spark SQL's column functions");
            }
        }
        for (var child : scala.jdk.javaapi.CollectionConverters.asJava(e.children())) {
            refuseUnsafe(where, child);
        }
    }

    private static DataType type(Dataset<Row> d) {
        return d.schema().fields()[0].dataType();
    }

    /** The first non-blank line of Spark's message (a parse error's starts with a line break). */
    static String firstLine(String message) {
        return message == null ? "invalid" : message.strip().lines().findFirst().orElse("invalid");
    }
}
