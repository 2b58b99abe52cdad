package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.flow.FlowWindow;
import io.spdyconnector.protocol.flow.ReceiveWindow;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.stream.StreamState;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One SPDY stream as the application sees it. Every method is thread-safe: writes are queued on
 * the session and sent in priority order as flow control allows; their callbacks complete once
 * the bytes have been written, which is the back-pressure a writer should wait on.
 *
 * <p>Buffers passed to {@link #data} are not copied: leave them untouched until the callback runs.
 */
public final class SpdyStream {
    final SpdySession session;
    final boolean locallyInitiated;
    final int associatedStreamId;
    final boolean unidirectional;
    final int priority;

    // Guarded by the session lock.
    int id;
    StreamState state;
    FlowWindow sendWindow;
    ReceiveWindow receiveWindow;
    final ArrayDeque<Outbound> outbound = new ArrayDeque<>(2);
    boolean scheduled;
    boolean replySent;
    boolean inRegistry;
    int headerBytes;
    HeaderBlock openHeaders;
    boolean openFin;

    volatile StreamListener listener;
    private volatile Object attachment;

    SpdyStream(SpdySession session, int id, int priority, int associatedStreamId, boolean locallyInitiated,
            boolean unidirectional, StreamState state, StreamListener listener) {
        this.session = session;
        this.id = id;
        this.priority = priority;
        this.associatedStreamId = associatedStreamId;
        this.locallyInitiated = locallyInitiated;
        this.unidirectional = unidirectional;
        this.state = state;
        this.listener = listener;
    }

    /** The stream id; 0 while a locally opened stream waits for the peer's concurrency limit. */
    public int id() {
        return session.streamId(this);
    }

    /** SYN_STREAM priority, 0 (highest) to 7 (lowest). */
    public int priority() {
        return priority;
    }

    /** The stream this one was pushed for, or 0. */
    public int associatedStreamId() {
        return associatedStreamId;
    }

    public boolean isLocallyInitiated() {
        return locallyInitiated;
    }

    public boolean isUnidirectional() {
        return unidirectional;
    }

    public StreamState state() {
        return session.streamState(this);
    }

    public SpdySession session() {
        return session;
    }

    public SpdyVersion version() {
        return session.version();
    }

    /** Sends the SYN_REPLY of a stream the peer opened (SPEC §2.6.2). */
    public void reply(HeaderBlock headers, boolean fin, WriteCallback callback) {
        session.send(this, Outbound.Kind.REPLY, headers, null, fin, callback);
    }

    /** Sends HEADERS: more headers, or trailers after DATA when {@code fin} is set (SPEC §2.6.7). */
    public void headers(HeaderBlock headers, boolean fin, WriteCallback callback) {
        session.send(this, Outbound.Kind.HEADERS, headers, null, fin, callback);
    }

    /** Sends {@code data} (not copied) as one or more DATA frames, within the flow-control windows. */
    public void data(ByteBuffer data, boolean fin, WriteCallback callback) {
        session.send(this, Outbound.Kind.DATA, null, data, fin, callback);
    }

    /** Resets the stream (SPEC §2.6.3): queued writes fail and the peer gets RST_STREAM. */
    public void reset(RstStatus status) {
        session.resetByApplication(this, status);
    }

    /**
     * Returns window credit for {@code bytes} of received DATA the application has used; the peer
     * hears of it once half a window has been consumed (SPEC §2.6.8).
     */
    public void consumed(int bytes) {
        session.consumed(this, bytes);
    }

    /**
     * Opens a pushed stream for this one (SPEC §3.3): unidirectional, even id, sent before this
     * stream's FIN. {@code headers} must hold {@code :scheme}, {@code :host} and {@code :path}.
     * Returns null when the push cannot be made (the peer's concurrency limit, a closed stream).
     */
    public SpdyStream push(HeaderBlock headers, int priority, StreamListener listener) {
        return session.push(this, headers, priority, listener);
    }

    /** Bytes this side may send now on this stream, before the session window is considered. */
    public long sendWindow() {
        return session.sendWindow(this);
    }

    public Object attachment() {
        return attachment;
    }

    public void attachment(Object value) {
        attachment = value;
    }

    @Override
    public String toString() {
        return "SpdyStream#" + id + "[" + state + ", pri=" + priority + "]";
    }

    /** One queued write. */
    static final class Outbound {
        enum Kind { REPLY, HEADERS, DATA }

        final Kind kind;
        final HeaderBlock headers;
        final ByteBuffer data;
        final boolean fin;
        final WriteCallback callback;
        int offset;

        Outbound(Kind kind, HeaderBlock headers, ByteBuffer data, boolean fin, WriteCallback callback) {
            this.kind = kind;
            this.headers = headers;
            this.data = data;
            this.fin = fin;
            this.callback = callback;
            this.offset = data == null ? 0 : data.position();
        }

        int remaining() {
            return data == null ? 0 : data.limit() - offset;
        }
    }
}
