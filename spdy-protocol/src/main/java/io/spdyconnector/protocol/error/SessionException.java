package io.spdyconnector.protocol.error;

/**
 * A problem that breaks the whole session: the engine answers it with GOAWAY and closes the
 * connection (SPEC §2.4.1). Framing errors and a corrupted compression context are session errors
 * because nothing after them can be trusted.
 */
public final class SessionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final GoAwayStatus status;

    public SessionException(GoAwayStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public GoAwayStatus status() {
        return status;
    }
}
