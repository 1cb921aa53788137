package io.tally.engine;

/**
 * An error the user can fix: bad configuration, an unreachable server, an unknown table. Its message is
 * one line that names the object and the fix; the CLI prints it and exits with code 2.
 */
public class TallyError extends RuntimeException {

    public TallyError(String message) {
        super(message);
    }

    public TallyError(String message, Throwable cause) {
        super(message, cause);
    }

    /** The innermost cause of a failure, whose message usually says what really went wrong. */
    public static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
