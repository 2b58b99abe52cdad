package io.spdyconnector.tools;

/**
 * A failure the user can act on: it ends the command with its exit code and a one-line message,
 * without a stack trace (those are kept for bugs, {@link ExitCodes#INTERNAL_ERROR}).
 */
public final class ToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public ToolException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ToolException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
