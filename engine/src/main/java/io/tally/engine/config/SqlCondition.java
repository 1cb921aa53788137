package io.tally.engine.config;

import io.tally.engine.TallyError;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks a user's SQL condition ({@code canary ... where}) before it is placed in a read's WHERE clause. It is
 * trusted SQL from the job's author, run under the verify user's privileges in a read-only session; the checks keep
 * mistakes and the obvious escapes out: it must be one expression, so a statement separator, a comment (which could
 * swallow the rest of Tally's query), a backslash or a {@code $} (quoting rules the engines read differently, or
 * PostgreSQL's dollar quotes) or an unbalanced parenthesis or quote is refused, and so are calls of functions that
 * lock, wait, signal other sessions, change settings or touch files or sequences.
 */
public final class SqlCondition {

    private static final Pattern SIDE_EFFECTS = Pattern.compile("\\b(pg_(try_)?advisory\\w*|get_lock|release_lock\\w*|"
            + "is_(free|used)_lock|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|set_config|"
            + "sleep|pg_sleep\\w*|benchmark|load_file|pg_read_\\w*|pg_ls_\\w*|lo_\\w+|dblink\\w*|nextval|setval|"
            + "txid_current|pg_current_xact_id|pg_notify|pg_logical_\\w*|pg_create_\\w*|pg_drop_\\w*|pg_switch_wal|"
            + "pg_stat_reset\\w*|sys_exec|sys_eval)\\s*\\(");

    private SqlCondition() {
    }

    public static void check(String condition, String where) {
        if (condition == null) {
            return;
        }
        if (condition.isBlank()) {
            throw new TallyError(where + " is empty; write a condition such as status = 'open', or leave it out");
        }
        if (condition.indexOf('\\') >= 0 || condition.indexOf('$') >= 0) {
            throw new TallyError(where + " holds '" + (condition.indexOf('$') >= 0 ? "$" : "\\") + "', which MySQL and "
                    + "PostgreSQL quote differently; write the condition without it");
        }
        int depth = 0;
        char quote = 0;
        StringBuilder outside = new StringBuilder(); // the text outside string literals, for the function check
        for (int i = 0; i < condition.length(); i++) {
            char c = condition.charAt(i);
            char next = i + 1 < condition.length() ? condition.charAt(i + 1) : 0;
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                if (quote != '\'') {
                    outside.append(c); // quoted identifiers still name functions
                }
                continue;
            }
            outside.append(c);
            if (c == '\'' || c == '"' || c == '`') {
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
        var m = SIDE_EFFECTS.matcher(outside.toString().toLowerCase(Locale.ROOT).replaceAll("[\"`]", ""));
        if (m.find()) {
            throw new TallyError(where + " calls " + m.group(1) + "(), which locks, waits or changes something; a "
                    + "canary condition only selects rows");
        }
    }
}
