package io.spdyconnector.protocol.error;

import java.io.IOException;

/**
 * What the application sees when a stream ends without completing: reset by the peer, reset by
 * the engine, or lost with its session. {@link #isRetryable()} is true only when the peer
 * guaranteed it did no work for the stream (REFUSED_STREAM, or above a GOAWAY's last-good id), or
 * when the stream was never sent (its session had stopped taking new streams).
 */
public class SpdyStreamResetException extends IOException {
    private static final long serialVersionUID = 1L;

    private final RstStatus status;
    private final boolean retryable;

    public SpdyStreamResetException(RstStatus status, boolean retryable, String message) {
        super(message);
        this.status = status;
        this.retryable = retryable;
    }

    public RstStatus status() {
        return status;
    }

    public boolean isRetryable() {
        return retryable;
    }
}
