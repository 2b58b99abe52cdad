package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;

import java.nio.ByteBuffer;

/**
 * Events of one stream, delivered in wire order by the thread that calls
 * {@link SpdySession#receive}, without any session lock held. {@link #onReset} may instead come
 * from the thread that failed the session.
 */
public interface StreamListener {
    /** The SYN_REPLY of a stream this side opened. */
    default void onReply(SpdyStream stream, HeaderBlock headers, boolean fin) {
    }

    /** A HEADERS frame: more headers, or trailers when it follows DATA. */
    default void onHeaders(SpdyStream stream, HeaderBlock headers, boolean fin) {
    }

    /**
     * A piece of DATA: a view of the buffer given to {@link SpdySession#receive}, valid while that
     * buffer is. Call {@link SpdyStream#consumed(int)} once it has been used, which returns window
     * credit to the peer; the default consumes at once.
     */
    default void onData(SpdyStream stream, ByteBuffer data, boolean fin) {
        stream.consumed(data.remaining());
    }

    /** The stream ended without completing: reset by either side, or lost with the session. */
    default void onReset(SpdyStream stream, SpdyStreamResetException cause) {
    }

    /** The stream is closed in both directions and left the session. */
    default void onClosed(SpdyStream stream) {
    }
}
