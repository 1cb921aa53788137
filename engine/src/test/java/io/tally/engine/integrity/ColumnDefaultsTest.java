package io.tally.engine.integrity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The same default as PostgreSQL, MySQL and MariaDB print it compares equal; different ones do not. */
class ColumnDefaultsTest {

    @Test
    void oneDefaultThreeSpellings() {
        assertEquals("new", ColumnDefaults.canonical("'new'::character varying"));
        assertEquals("new", ColumnDefaults.canonical("new"), "MySQL prints string defaults bare");
        assertEquals("new", ColumnDefaults.canonical("'new'"), "MariaDB quotes them");
        assertEquals("NEW", ColumnDefaults.canonical("NEW"));
        assertEquals("it's", ColumnDefaults.canonical("'it''s'::text"));
        assertEquals("a::b", ColumnDefaults.canonical("'a::b'::text"), "a :: inside the literal is no cast");
        assertEquals("0", ColumnDefaults.canonical("0"));
        assertEquals("0", ColumnDefaults.canonical("0.00"));
        assertEquals("0", ColumnDefaults.canonical("'0'::numeric"));
        assertEquals("-1", ColumnDefaults.canonical("'-1'::integer"));
        assertEquals("-1", ColumnDefaults.canonical("(-1)"));
        assertEquals("1.5", ColumnDefaults.canonical("1.50"));
        assertEquals("1", ColumnDefaults.canonical("true"), "a PostgreSQL boolean against MySQL's tinyint(1)");
        assertEquals("0", ColumnDefaults.canonical("false"));
        for (String now : new String[]{"now()", "CURRENT_TIMESTAMP", "current_timestamp()", "CURRENT_TIMESTAMP(6)",
                "LOCALTIMESTAMP", "statement_timestamp()"}) {
            assertEquals("CURRENT_TIMESTAMP", ColumnDefaults.canonical(now), now);
        }
        assertEquals("CURRENT_DATE", ColumnDefaults.canonical("curdate()"));
        assertEquals("CURRENT_DATE", ColumnDefaults.canonical("CURRENT_DATE"));
        assertEquals("auto-increment", ColumnDefaults.canonical("nextval('items_id_seq'::regclass)"));
        assertEquals("CURRENT_TIMESTAMP", ColumnDefaults.canonical("(now())::timestamp(3) without time zone"));
        assertEquals("active", ColumnDefaults.canonical("'active'::\"OrderStatus\""), "a quoted enum type");
        assertEquals("active", ColumnDefaults.canonical("'active'::shop.order_status"), "a schema-qualified type");
        assertEquals("1.5", ColumnDefaults.canonical("1.5::double precision"));
    }

    @Test
    void noDefaultAndDifferentDefaults() {
        assertNull(ColumnDefaults.canonical(null));
        assertNull(ColumnDefaults.canonical("NULL"), "MariaDB prints a missing default as NULL");
        assertNull(ColumnDefaults.canonical("NULL::character varying"));
        assertNotEquals(ColumnDefaults.canonical("'new'::text"), ColumnDefaults.canonical("old"));
        assertNotEquals(ColumnDefaults.canonical("'NEW'::text"), ColumnDefaults.canonical("new"), "text keeps its case");
        assertNotEquals(ColumnDefaults.canonical("gen_random_uuid()"), ColumnDefaults.canonical("uuid()"));
        assertNotEquals(ColumnDefaults.canonical("1"), ColumnDefaults.canonical("10"));
    }
}
