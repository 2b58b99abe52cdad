package io.spdyconnector.protocol.error;

/**
 * A problem confined to one stream: the session answers it with RST_STREAM and carries on
 * (SPEC §2.4.2). Thrown inside the engine only; never reaches the peer as a stack trace.
 */
public final class StreamException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int streamId;
    private final RstStatus status;

    public StreamException(int streamId, RstStatus status, String message) {
        super(message, null, false, false);
        this.streamId = streamId;
        this.status = status;
    }

    public int streamId() {
        return streamId;
    }

    public RstStatus status() {
        return status;
    }
}
