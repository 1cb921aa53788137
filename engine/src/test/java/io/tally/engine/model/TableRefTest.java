package io.tally.engine.model;

import io.tally.engine.TallyError;
import io.tally.engine.source.MySqlDialect;
import io.tally.engine.source.PostgresDialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableRefTest {

    @Test
    void parsesAndQuotesOddIdentifiers() {
        assertEquals(new TableRef("shop", "orders"), TableRef.parse("shop.orders"));
        assertEquals(new TableRef(null, "orders"), TableRef.parse("orders"));
        assertEquals(new TableRef("my.schema", "t"), TableRef.parse("\"my.schema\".t"));
        assertEquals(new TableRef("s", "we\"ird"), TableRef.parse("s.\"we\"\"ird\""));
        TableRef odd = new TableRef("s", "we\"ird`; DROP TABLE x; --");
        assertEquals("\"s\".\"we\"\"ird`; DROP TABLE x; --\"", new PostgresDialect().qualified(odd));
        assertEquals("`s`.`we\"ird``; DROP TABLE x; --`", new MySqlDialect().qualified(odd));
        assertThrows(TallyError.class, () -> TableRef.parse("a.b.c"));
        assertThrows(TallyError.class, () -> TableRef.parse(" "));
        assertThrows(TallyError.class, () -> new PostgresDialect().quote("a\0b"));
    }

    @Test
    void literalsCannotEscapeTheirQuotes() {
        ColumnInfo text = new ColumnInfo("k", "varchar", LogicalType.STRING, -1, -1, -1, false);
        ColumnInfo number = new ColumnInfo("k", "bigint", LogicalType.INTEGER, -1, -1, -1, false);
        assertEquals("'a''b\\c'", new PostgresDialect().literal("a'b\\c", text));
        assertEquals("'a''b\\\\c'", new MySqlDialect().literal("a'b\\c", text));
        assertEquals("9223372036854775807", new MySqlDialect().literal("9223372036854775807", number));
        assertEquals("'1; DROP'", new MySqlDialect().literal("1; DROP", number));
    }
}
