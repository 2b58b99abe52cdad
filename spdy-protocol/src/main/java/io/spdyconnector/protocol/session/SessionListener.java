package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;

/** Session-wide events. Called without any session lock held. */
public interface SessionListener {
    /**
     * The peer opened a stream: a request on a server, a push on a client
     * ({@link SpdyStream#associatedStreamId()} is then set). Return its listener; returning null
     * refuses the stream with REFUSED_STREAM. Throwing resets it with INTERNAL_ERROR.
     */
    StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin);

    /**
     * Output is waiting and no batch is in flight: call {@link SpdySession#pollOutput()} soon, from
     * the transport's flusher rather than from inside this call if writing can block.
     */
    default void onOutputReady() {
    }

    /**
     * A session that stopped wanting input ({@link SpdySession#wantsInput()} returned false) wants
     * it again: read from the transport. Only SPDY/2 sessions, which have no flow control, pause.
     * May be called on an application thread, the one that consumed the data.
     */
    default void onInputResumed() {
    }

    /** The peer sent GOAWAY: no new streams on this session. */
    default void onGoAway(int lastGoodStreamId, GoAwayStatus status) {
    }

    /** The peer sent SETTINGS (already applied). */
    default void onSettings(SettingsFrame settings) {
    }

    /** The session ended; every stream was completed or failed. {@code cause} is null for a clean close. */
    default void onClosed(Throwable cause) {
    }
}
