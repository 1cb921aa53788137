package io.tally.engine.model;

import java.io.Serializable;

/**
 * One column as the catalog declares it.
 *
 * @param nativeType    the engine's own spelling, for reports (e.g. {@code datetime(3)}, {@code numeric(12,2)})
 * @param precision     digits of a DECIMAL, or fractional-second digits (0-6) of a temporal type; -1 if none
 * @param scale         scale of a DECIMAL; -1 if none
 * @param length        declared length of CHAR/BINARY types; -1 if none
 */
public record ColumnInfo(String name, String nativeType, LogicalType type, int precision, int scale, int length,
                         boolean nullable) implements Serializable {
}
