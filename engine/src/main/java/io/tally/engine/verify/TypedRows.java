package io.tally.engine.verify;

import io.tally.engine.canonical.CanonicalForm;
import io.tally.engine.canonical.ColumnPair;
import io.tally.engine.canonical.ColumnRule;
import io.tally.engine.model.LogicalType;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

/**
 * A side's canonical rows as typed columns, named as the report names the compared columns (the source names),
 * so that one rule reads the same on both sides: exact numbers as DECIMAL(38,10) (integers as BIGINT), floats as
 * DOUBLE, booleans, strings, instants as TIMESTAMP (UTC), dates as DATE; binary, uuid, json and time as their
 * canonical text. Built from the cached canonical rows, so nothing is read again; {@code __key} is kept.
 */
public final class TypedRows {

    public static final String FLOAT_UDF = "tally_f64";

    private TypedRows() {
    }

    /** The typed columns, in plan order, with their Spark types (for checking rules before anything is read). */
    public static List<StructField> fields(TablePlan plan, boolean source) {
        List<StructField> out = new ArrayList<>();
        for (ColumnPair p : plan.columns()) {
            out.add(DataTypes.createStructField(p.name(), type(p, source), true));
        }
        return out;
    }

    public static Dataset<Row> view(Dataset<Row> canonical, TablePlan plan, boolean source) {
        register(canonical.sparkSession());
        List<Column> cols = new ArrayList<>();
        cols.add(col("__key"));
        for (int i = 0; i < plan.columns().size(); i++) {
            ColumnPair p = plan.columns().get(i);
            String tok = "__vals[" + i + "]";
            String payload = "substring(" + tok + ", instr(" + tok + ", ':') + 1)";
            ColumnRule.Kind kind = (source ? p.sourceRule() : p.targetRule()).kind();
            DataType t = type(p, source);
            String tag = "substr(" + tok + ", 1, 1)";
            // a value is read only from a token of its kind (a document double in an exact column is a float
            // token, read by value); any other token (a value that did not fit its kind) is NULL to a rule
            String value = switch (kind) {
                case EXACT -> "CASE " + tag + " WHEN 'I' THEN try_cast(" + payload + " AS " + t.sql() + ") WHEN 'F' "
                        + "THEN try_cast(" + FLOAT_UDF + "(" + tok + ") AS " + t.sql() + ") END";
                case FLOAT -> FLOAT_UDF + "(" + tok + ")";
                case BOOLEAN -> "CASE " + tok + " WHEN 'B4:true' THEN true WHEN 'B5:false' THEN false END";
                case INSTANT -> "CASE " + tag + " WHEN 'T' THEN timestamp_micros(try_cast(" + payload
                        + " AS BIGINT)) END";
                case DATE -> "CASE " + tag + " WHEN 'D' THEN date_from_unix_date(try_cast(" + payload + " AS INT)) END";
                default -> payload;
            };
            // a NULL, or a document's missing field, is NULL to a rule
            cols.add(expr("CASE WHEN " + tok + " IN ('" + CanonicalForm.NULL + "', '"
                    + io.tally.engine.canonical.FieldCanonicalizer.MISSING + "') THEN NULL ELSE " + value + " END")
                    .as(p.name()));
        }
        return canonical.select(cols.toArray(Column[]::new));
    }

    private static DataType type(ColumnPair p, boolean source) {
        ColumnRule.Kind kind = (source ? p.sourceRule() : p.targetRule()).kind();
        return switch (kind) {
            // one type for both sides: BIGINT only when both are integers, so groups and values match across them
            case EXACT -> p.source().type() == LogicalType.INTEGER && p.target().type() == LogicalType.INTEGER
                    ? DataTypes.LongType : DataTypes.createDecimalType(38, 10);
            case FLOAT -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
            case INSTANT -> DataTypes.TimestampType;
            case DATE -> DataTypes.DateType;
            default -> DataTypes.StringType;
        };
    }

    /**
     * A float token ({@code F16:<IEEE-754 bits in hex>}) as a double; Spark SQL has no function for that. A token
     * of another kind (a value that did not fit, a missing field) is NULL.
     */
    static void register(SparkSession spark) {
        spark.udf().register(FLOAT_UDF, (UDF1<String, Double>) TypedRows::floatValue, DataTypes.DoubleType);
    }

    static Double floatValue(String token) {
        if (token == null || !token.startsWith("F16:") || token.length() != 20) {
            return null;
        }
        try {
            return Double.longBitsToDouble(Long.parseUnsignedLong(token.substring(4), 16));
        } catch (NumberFormatException notHex) {
            return null;
        }
    }
}
