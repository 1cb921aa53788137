package io.tally.engine.model;

/** The engine-independent family of a column's declared type, decided by each dialect's introspection. */
public enum LogicalType {
    INTEGER,
    DECIMAL,
    FLOAT32,
    FLOAT64,
    BOOLEAN,
    /** Variable-length text, enums, sets. */
    STRING,
    /** Blank-padded CHAR(n). */
    FIXED_STRING,
    BINARY,
    /** Zero-padded BINARY(n). */
    FIXED_BINARY,
    UUID,
    JSON,
    /** Wall-clock date and time without a zone (PostgreSQL timestamp, MySQL DATETIME). */
    TIMESTAMP,
    /** An instant (PostgreSQL timestamptz, MySQL TIMESTAMP). */
    TIMESTAMP_TZ,
    DATE,
    TIME,
    /** Any BSON value: a MongoDB field compared with another MongoDB field. */
    DOCUMENT,
    /** A type Tally has no canonical form for; excluded unless the config maps it. */
    UNSUPPORTED;

    public boolean isNumeric() {
        return this == INTEGER || this == DECIMAL || this == FLOAT32 || this == FLOAT64;
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    public boolean isText() {
        return this == STRING || this == FIXED_STRING;
    }

    public boolean isTimestamp() {
        return this == TIMESTAMP || this == TIMESTAMP_TZ;
    }
}
