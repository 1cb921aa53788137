package io.tally.engine.config;

import io.tally.engine.TallyError;

/**
 * Checks a user's SQL condition ({@code canary ... where}) before it is placed in a read's WHERE clause: it must be
 * one expression, so a statement separator, a comment (which could swallow the rest of Tally's query) or an unbalanced
 * parenthesis or quote outside string literals is refused. The read itself also runs read-only with timeouts.
 */
public final class SqlCondition {

    private SqlCondition() {
    }

    public static void check(String condition, String where) {
        if (condition == null) {
            return;
        }
        if (condition.isBlank()) {
            throw new TallyError(where + " is empty; write a condition such as status = 'open', or leave it out");
        }
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < condition.length(); i++) {
            char c = condition.charAt(i);
            char next = i + 1 < condition.length() ? condition.charAt(i + 1) : 0;
            if (quote != 0) {
                if (c == '\\' && quote == '\'') {
                    throw new TallyError(where + " holds a backslash inside a string literal, which MySQL and PostgreSQL "
                            + "read differently; write the value without it");
                }
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == ';' || (c == '-' && next == '-') || (c == '/' && next == '*') || c == '#') {
                throw new TallyError(where + " holds '" + (c == ';' || c == '#' ? String.valueOf(c) : "" + c + next)
                        + "': write one condition, without statement separators or comments");
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                break;
            }
        }
        if (quote != 0 || depth != 0) {
            throw new TallyError(where + " has an unbalanced " + (quote != 0 ? "quote" : "parenthesis pair")
                    + "; write one complete condition");
        }
    }
}
