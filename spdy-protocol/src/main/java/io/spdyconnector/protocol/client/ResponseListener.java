package io.spdyconnector.protocol.client;

import io.spdyconnector.protocol.headers.HeaderBlock;

import java.nio.ByteBuffer;

/**
 * Streams a response instead of collecting it. Called on the client's I/O thread: do not block.
 * Flow control follows the listener: the window opens again only when {@code release} runs, so a
 * listener that defers it throttles the server instead of buffering.
 */
public interface ResponseListener {
    /** The SYN_REPLY: {@code :status}, {@code :version} and the response headers. */
    default void onHeaders(HeaderBlock headers) {
    }

    /**
     * A piece of the body, valid only during this call (copy what you keep). Call {@code release}
     * once done with it, now or later; the default releases at once.
     */
    default void onData(ByteBuffer data, Runnable release) {
        release.run();
    }

    default void onTrailers(HeaderBlock trailers) {
    }

    /** A resource the server pushed with this response, complete. */
    default void onPush(SpdyPush push) {
    }
}
