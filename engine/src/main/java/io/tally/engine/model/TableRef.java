package io.tally.engine.model;

import io.tally.engine.TallyError;

import java.io.Serializable;

/** A table named by an optional schema (PostgreSQL schema, MySQL database) and a name, unquoted. */
public record TableRef(String schema, String name) implements Serializable {

    /**
     * Parses {@code name} or {@code schema.name}; a part may be wrapped in double quotes to hold a dot, with a
     * double quote inside written twice ({@code "we""ird".t}).
     */
    public static TableRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new TallyError("empty table name; write it as name or schema.name");
        }
        String t = text.trim();
        int split = -1;
        boolean quoted = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                if (split >= 0) {
                    throw new TallyError("table name '" + text + "' has more than two parts; write it as schema.name"
                            + " and quote a part that contains a dot with double quotes");
                }
                split = i;
            }
        }
        if (quoted) {
            throw new TallyError("table name '" + text + "' has an unclosed double quote");
        }
        return split < 0 ? new TableRef(null, unquote(t))
                : new TableRef(unquote(t.substring(0, split)), unquote(t.substring(split + 1)));
    }

    private static String unquote(String part) {
        String p = part.trim();
        if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
            return p.substring(1, p.length() - 1).replace("\"\"", "\"");
        }
        if (p.isEmpty()) {
            throw new TallyError("a table name has an empty part; write it as name or schema.name");
        }
        return p;
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
