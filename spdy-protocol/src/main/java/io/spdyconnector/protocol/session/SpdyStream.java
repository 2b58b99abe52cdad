package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.flow.FlowWindow;
import io.spdyconnector.protocol.flow.ReceiveWindow;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.stream.StreamState;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One SPDY stream as the application sees it. Every method is thread-safe: writes are queued on
 * the session and sent in priority order as flow control allows; their callbacks complete once
 * the bytes have been written, which is the back-pressure a writer should wait on.
 *
 * <p>Buffers passed to {@link #data} are not copied but consumed as they are sent: leave them
 * untouched until the callback runs.
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
    /** Frames waiting for the output queue; made on the first one, since most open streams wait without any. */
    private ArrayDeque<Outbound> outbound;
    boolean scheduled;
    boolean replySent;
    boolean inRegistry;
    /** The peer answered this stream of ours with REFUSED_STREAM. */
    boolean refused;
    /** Between {@link #applicationStarted()} and {@link #applicationFinished()}. */
    boolean applicationActive;
    private boolean applicationFinished;
    int headerBytes;
    HeaderBlock openHeaders;
    /**
     * A push: the status its response must have, the one its SYN_STREAM promised or else 200
     * (only what a GET returns is pushed, SPEC §3.3.1; a client caches nothing else).
     */
    private String pushStatus;
    /** Whether the push's SYN_STREAM carried {@code :status} and {@code :version} already. */
    private boolean statusInSynStream;
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

    // Guarded by the session lock.
    boolean hasOutbound() {
        return outbound != null && !outbound.isEmpty();
    }

    /** Bytes queued to send and not yet written. Under the session lock. */
    long queuedBytes() {
        long n = 0;
        if (outbound != null) {
            for (Outbound o : outbound) {
                n += o.remaining();
            }
        }
        return n;
    }

    Outbound peekOutbound() {
        return outbound == null ? null : outbound.peek();
    }

    Outbound pollOutbound() {
        return outbound == null ? null : outbound.poll();
    }

    /** The stream id; 0 while a locally opened stream waits for the peer's concurrency limit. */
    public int id() {
        session.lock.lock();
        try {
            return id;
        } finally {
            session.lock.unlock();
        }
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
        session.lock.lock();
        try {
            return state;
        } finally {
            session.lock.unlock();
        }
    }

    public SpdySession session() {
        return session;
    }

    public SpdyVersion version() {
        return session.version;
    }

    /**
     * Sends the response headers: the SYN_REPLY of a stream the peer opened (SPEC §2.6.2), or the
     * HEADERS that follow the SYN_STREAM of a push (SPEC §3.3.1), so a pushed response is sent
     * the way any other is.
     */
    public void reply(HeaderBlock headers, boolean fin, WriteCallback callback) {
        reply(headers, null, null, fin, callback);
    }

    /**
     * The response headers of a push as its HEADERS carry them: all of them, or, when its
     * SYN_STREAM said {@code :status} and {@code :version} already, the rest, as HEADERS may not
     * repeat those (SPEC §3.3.1). Null when the response's status is not the one the push
     * expects: such a push cannot be sent and is cancelled.
     */
    private HeaderBlock pushResponseHeaders(HeaderBlock headers) {
        String status = headers.get(":status");
        if (status == null || !statusCode(status).equals(statusCode(pushStatus))) {
            return null;
        }
        if (!statusInSynStream) {
            return headers;
        }
        HeaderBlock rest = new HeaderBlock(headers.size());
        headers.forEach((name, value) -> {
            if (!name.equals(":status") && !name.equals(":version")) {
                rest.addRaw(name, value);
            }
        });
        return rest;
    }

    private static String statusCode(String status) {
        int space = status.indexOf(' ');
        return space < 0 ? status.trim() : status.substring(0, space);
    }

    /** Sends HEADERS: more headers, or trailers after DATA when {@code fin} is set (SPEC §2.6.7). */
    public void headers(HeaderBlock headers, boolean fin, WriteCallback callback) {
        send(Outbound.Kind.HEADERS, headers, null, fin, callback);
    }

    /**
     * Sends {@code data} (not copied) as one or more DATA frames, within the flow-control windows.
     * The buffer's position advances as frames are cut from it; it is at its limit when
     * {@code callback} succeeds. Do not touch the buffer before then.
     */
    public void data(ByteBuffer data, boolean fin, WriteCallback callback) {
        send(Outbound.Kind.DATA, null, data, fin, callback);
    }

    /**
     * A whole response in one call: SYN_REPLY, then {@code body} (may be null) as DATA, then
     * {@code trailers} (may be null) as HEADERS; FIN on the last frame when {@code fin}. Queued
     * together, they usually leave in one write; {@code callback} completes after the last frame.
     */
    public void reply(HeaderBlock headers, ByteBuffer body, HeaderBlock trailers, boolean fin, WriteCallback callback) {
        if (pushStatus != null) {
            HeaderBlock rest = pushResponseHeaders(headers);
            if (rest == null) {
                reset(RstStatus.CANCEL);
                SpdySession.runCallback(callback, new SpdyStreamResetException(RstStatus.CANCEL, false,
                        "push " + id + " expects " + pushStatus + ", the response is " + headers.get(":status")));
                return;
            }
            headers = rest;
        }
        boolean hasBody = body != null;
        boolean hasTrailers = trailers != null;
        Throwable failure;
        session.lock.lock();
        try {
            failure = check(Outbound.Kind.REPLY);
            if (failure == null) {
                enqueue(Outbound.Kind.REPLY, headers, null, fin && !hasBody && !hasTrailers,
                        hasBody || hasTrailers ? WriteCallback.NOOP : callback);
                if (hasBody) {
                    enqueue(Outbound.Kind.DATA, null, body, fin && !hasTrailers, hasTrailers ? WriteCallback.NOOP : callback);
                }
                if (hasTrailers) {
                    enqueue(Outbound.Kind.HEADERS, trailers, null, fin, callback);
                }
            }
        } finally {
            session.unlockAndRun();
        }
        if (failure != null) {
            SpdySession.runCallback(callback, failure);
        }
    }

    private void send(Outbound.Kind kind, HeaderBlock headers, ByteBuffer data, boolean fin, WriteCallback callback) {
        Throwable failure;
        session.lock.lock();
        try {
            failure = check(kind);
            if (failure == null) {
                enqueue(kind, headers, data, fin, callback);
            }
        } finally {
            session.unlockAndRun();
        }
        if (failure != null) {
            SpdySession.runCallback(callback, failure);
        }
    }

    /** Why this frame may not be sent now, or null. Locked. */
    private Throwable check(Outbound.Kind kind) {
        boolean sessionClosed = session.state == SpdySession.State.CLOSED;
        if (sessionClosed || !state.canSend()) {
            return new SpdyStreamResetException(RstStatus.STREAM_ALREADY_CLOSED, false,
                    "stream " + id + " cannot send: " + (sessionClosed ? "session closed" : state));
        }
        if (kind == Outbound.Kind.REPLY && (replySent || (locallyInitiated && !unidirectional))) {
            return new IllegalStateException("a response is sent once, on a stream the peer opened or a push");
        }
        if (kind != Outbound.Kind.REPLY && !locallyInitiated && !replySent) {
            return new IllegalStateException("send the SYN_REPLY before HEADERS or DATA");
        }
        return null;
    }

    /** Queues one frame; the flusher hears of it once the lock is released. Locked. */
    private void enqueue(Outbound.Kind kind, HeaderBlock headers, ByteBuffer data, boolean fin, WriteCallback callback) {
        replySent |= kind == Outbound.Kind.REPLY;
        // SPEC §3.3.1: a push's SYN_STREAM is already out; its response headers follow in HEADERS.
        Outbound.Kind wire = kind == Outbound.Kind.REPLY && locallyInitiated ? Outbound.Kind.HEADERS : kind;
        if (outbound == null) {
            outbound = new ArrayDeque<>(2);
        }
        outbound.add(new Outbound(wire, headers, data, fin, callback));
        if (fin) {
            state = state.localFin();
        }
        if (inRegistry) {
            session.queue.schedule(this);
            session.deferOutputSignal();
        }
    }

    /** Resets the stream (SPEC §2.6.3): queued writes fail and the peer gets RST_STREAM. */
    public void reset(RstStatus status) {
        session.lock.lock();
        try {
            if (state == StreamState.CLOSED && !inRegistry) {
                return;
            }
            if (id == 0) {
                session.registry.pendingOpens.remove(this);
            } else if (!session.stateIsAtLeast(SpdySession.State.CLOSING)) {
                session.sendReset(id, status);
            }
            session.registry.terminate(this, new SpdyStreamResetException(status, false, "stream reset locally"), false);
        } finally {
            session.unlockAndRun();
        }
    }

    /**
     * The application has begun working on this stream (a request handed to a servlet). Until
     * {@link #applicationFinished()} the stream keeps its place among the peer's concurrent streams
     * ({@code maxConcurrentStreams}) even after it closed or was reset, so a peer cannot make the
     * server reset its streams and start more work than the limit while servlets still run
     * (MadeYouReset, CVE-2025-8671). Call it from {@link SessionListener#onStream}; later calls,
     * and calls after {@link #applicationFinished()}, do nothing.
     */
    public void applicationStarted() {
        session.lock.lock();
        try {
            if (!applicationActive && !applicationFinished && inRegistry) {
                applicationActive = true;
                session.registry.applicationStarted(this);
            }
        } finally {
            session.unlockAndRun();
        }
    }

    /** The application is done with this stream: its concurrency slot is free once the stream is closed too. */
    public void applicationFinished() {
        session.lock.lock();
        try {
            applicationFinished = true;
            if (applicationActive) {
                applicationActive = false;
                session.registry.applicationFinished(this);
            }
        } finally {
            session.unlockAndRun();
        }
    }

    /**
     * Returns window credit for {@code bytes} of received DATA the application has used; the peer
     * hears of it once half a window has been consumed (SPEC §2.6.8). Data the application drops
     * must be consumed too, or the session window shrinks for good.
     */
    public void consumed(int bytes) {
        if (bytes <= 0) {
            return;
        }
        session.lock.lock();
        try {
            if (session.stateIsAtLeast(SpdySession.State.CLOSING)) {
                return;
            }
            session.flow.consumed(bytes);
            if (inRegistry && state.canReceive() && session.version.hasFlowControl()) {
                int delta = receiveWindow.consumed(bytes);
                if (delta > 0) {
                    session.enqueueControl(new WindowUpdateFrame(id, delta));
                }
            }
        } finally {
            session.unlockAndRun();
        }
    }

    /**
     * Opens a pushed stream for this one (SPEC §3.3): unidirectional, even id, sent before this
     * stream's FIN. {@code headers} must hold {@code :scheme}, {@code :host} and {@code :path}.
     * Returns null when the push cannot be made (the peer's concurrency limit, a closed stream).
     */
    public SpdyStream push(HeaderBlock headers, int priority, StreamListener listener) {
        session.lock.lock();
        try {
            StreamRegistry registry = session.registry;
            // SPEC §3.3.1: pushes come from servers, for an open client stream, before its FIN.
            // SPDY/2 pushed with a full "url" and no :scheme/:host/:path; pushes are made on SPDY/3 only.
            if (session.role != Role.SERVER || session.state != SpdySession.State.OPEN || !inRegistry
                    || !session.version.hasFlowControl()
                    || locallyInitiated || !state.canSend() || registry.localCount >= session.peerMaxConcurrentStreams
                    || registry.nextLocalId <= 0) {
                return null;
            }
            SpdyStream pushed = new SpdyStream(session, 0, priority, id, true, true, StreamState.REMOTE_CLOSED, listener);
            pushed.openHeaders = headers;
            pushed.statusInSynStream = headers.get(":status") != null;
            pushed.pushStatus = pushed.statusInSynStream ? headers.get(":status") : "200";
            registry.activateLocal(pushed);
            return pushed;
        } finally {
            session.unlockAndRun();
        }
    }

    /** Bytes this side may send now on this stream, before the session window is considered. */
    public long sendWindow() {
        session.lock.lock();
        try {
            return sendWindow == null ? session.peerInitialWindow : sendWindow.size();
        } finally {
            session.lock.unlock();
        }
    }

    /** The listener receiving this stream's events (null until the application supplied one). */
    public StreamListener listener() {
        return listener;
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
