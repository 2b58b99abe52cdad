package io.spdyconnector.protocol.client;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;
import io.spdyconnector.protocol.session.WriteCallback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One request and its response on one stream. For a streaming request body, {@link #write} each
 * piece (the future completes once it is on the wire, so waiting on it is the back-pressure) and
 * {@link #end} the body; {@link #response()} completes with the whole response.
 */
public final class SpdyExchange {
    private final SpdyRequest request;
    private final ResponseListener listener;
    private final CompletableFuture<SpdyResponse> response = new CompletableFuture<>();
    private final CompletableFuture<SpdyStream> opened = new CompletableFuture<>();
    /** Completes once the latest write of a streaming body has been handed to the stream. Guarded by this. */
    private CompletableFuture<SpdyStream> lastIssued = opened;
    private final Events events = new Events();

    // Guarded by this.
    private SpdyStream stream;
    /** The stream as its events see it: they may arrive before {@link #start} has recorded it. */
    private HeaderBlock replyHeaders;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final HeaderBlock trailers = new HeaderBlock();
    private final List<SpdyPush> pushes = new ArrayList<>();
    private int pushesInFlight;
    private boolean mainDone;
    private boolean delivered;
    /** {@link #cancel} was called: a stream opened from now on is reset at once. */
    private boolean cancelled;

    SpdyExchange(SpdyRequest request, ResponseListener listener) {
        this.request = request;
        this.listener = listener;
    }

    public SpdyRequest request() {
        return request;
    }

    /** Completes with the response once the stream and the resources pushed with it have ended. */
    public CompletableFuture<SpdyResponse> response() {
        return response;
    }

    /** The stream id, or 0 before the stream is open. */
    public synchronized int streamId() {
        return stream == null ? 0 : stream.id();
    }

    /** Writes a piece of a streaming body; completes when it has been written to the connection. */
    public CompletableFuture<Void> write(ByteBuffer data) {
        return send(data, null, false);
    }

    /** Ends a streaming body. */
    public CompletableFuture<Void> end() {
        return send(ByteBuffer.allocate(0), null, true);
    }

    /** Ends a streaming body with trailers. */
    public CompletableFuture<Void> end(HeaderBlock trailers) {
        return send(null, trailers, true);
    }

    private CompletableFuture<Void> send(ByteBuffer data, HeaderBlock trailerBlock, boolean fin) {
        if (!request.isStreaming()) {
            return CompletableFuture.failedFuture(new IllegalStateException("request has a fixed body"));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<SpdyStream> previous;
        CompletableFuture<SpdyStream> issued = new CompletableFuture<>();
        synchronized (this) {
            previous = lastIssued;
            lastIssued = issued;
        }
        // Each piece waits for the one before it: the dependents of one future (such as the writes
        // made before the stream opened) would run in no particular order.
        previous.whenComplete((s, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                issued.completeExceptionally(failure);
                return;
            }
            WriteCallback cb = callback(done);
            if (trailerBlock != null) {
                s.headers(trailerBlock, true, cb);
            } else {
                s.data(data, fin, cb);
            }
            issued.complete(s);
        });
        return done;
    }

    static WriteCallback callback(CompletableFuture<Void> done) {
        return new WriteCallback() {
            @Override
            public void succeeded() {
                done.complete(null);
            }

            @Override
            public void failed(Throwable cause) {
                done.completeExceptionally(cause);
            }
        };
    }

    /** Cancels the exchange: the stream is reset with CANCEL and the response fails. */
    public void cancel() {
        SpdyStream s;
        synchronized (this) {
            cancelled = true;
            s = stream;
        }
        if (s != null) {
            s.reset(RstStatus.CANCEL);
        }
        fail(new java.util.concurrent.CancellationException("exchange cancelled"));
    }

    /**
     * Starts the stream on {@code connection}; if the session takes no new streams the exchange
     * fails with a retryable REFUSED_STREAM, as nothing was sent.
     */
    void startOn(SpdyConnection connection) {
        try {
            start(connection);
        } catch (IllegalStateException e) {
            SpdyStreamResetException refused = new SpdyStreamResetException(RstStatus.REFUSED_STREAM, true,
                    "connection to " + connection.origin() + " accepts no new streams");
            refused.initCause(e);
            fail(refused);
        }
    }

    /** Starts the stream on {@code connection}; throws IllegalStateException if it takes no streams. */
    void start(SpdyConnection connection) {
        synchronized (this) {
            if (cancelled) {
                return;
            }
        }
        HeaderBlock headers = request.toHeaderBlock(connection.userAgent());
        byte[] fixed = request.body();
        boolean finOnSyn = !request.isStreaming() && fixed == null && request.trailers() == null;
        // The response may arrive before newStream returns: the events adopt the stream themselves.
        SpdyStream s = adopt(connection.session().newStream(headers, request.priority(), finOnSyn, events));
        if (s == null) {
            // Cancelled while the stream was opening: cancel() saw no stream to reset.
            s = stream();
            s.reset(RstStatus.CANCEL);
            return;
        }
        if (fixed != null) {
            s.data(ByteBuffer.wrap(fixed), request.trailers() == null, WriteCallback.NOOP);
        }
        if (!request.isStreaming() && request.trailers() != null) {
            s.headers(request.trailers(), true, WriteCallback.NOOP);
        }
        opened.complete(s);
    }

    /** Records the stream; returns it, or null if the exchange was cancelled meanwhile. */
    private synchronized SpdyStream adopt(SpdyStream s) {
        if (stream == null) {
            stream = s;
        }
        return cancelled ? null : stream;
    }

    private synchronized SpdyStream stream() {
        return stream;
    }

    /** Whether anything of the response reached the caller (then a retry would duplicate it). */
    synchronized boolean delivered() {
        return delivered;
    }

    void fail(Throwable cause) {
        opened.completeExceptionally(cause);
        response.completeExceptionally(cause);
    }

    /** A push for this exchange's stream; returns its listener, or null to cancel it. */
    StreamListener onPush(SpdyStream pushed, HeaderBlock headers) {
        String origin = request.uri().getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + request.uri().getRawAuthority();
        if (!request.acceptsPushes() || !origin.equals(headers.get(":scheme") + "://" + headers.get(":host"))
                || headers.get(":path") == null) {
            // SPEC §3.3.2: pushes without :scheme/:host/:path, or of another origin, are refused.
            return null;
        }
        synchronized (this) {
            if (mainDone) {
                return null;
            }
            pushesInFlight++;
        }
        return new PushEvents(pushed.id(), headers);
    }

    private void pushDone(SpdyPush push) {
        boolean complete;
        synchronized (this) {
            if (push != null) {
                pushes.add(push);
            }
            pushesInFlight--;
            complete = mainDone && pushesInFlight == 0;
        }
        if (push != null && listener != null) {
            listener.onPush(push);
        }
        if (complete) {
            completeResponse();
        }
    }

    private void completeResponse() {
        SpdyResponse r;
        synchronized (this) {
            r = new SpdyResponse(stream.id(), stream.version().protocolName(), replyHeaders, body.toByteArray(),
                    trailers, pushes);
        }
        response.complete(r);
    }

    /** The stream's events, kept off the public API. Called on the client's I/O thread. */
    final class Events implements StreamListener {
        SpdyExchange exchange() {
            return SpdyExchange.this;
        }

        @Override
        public void onReply(SpdyStream s, HeaderBlock headers, boolean fin) {
            adopt(s);
            // SPEC §3.2.2: a reply without :status or :version is a stream error for the client.
            if (headers.get(":status") == null || headers.get(":version") == null) {
                s.reset(RstStatus.PROTOCOL_ERROR);
                fail(new IOException("SYN_REPLY without :status or :version: " + headers));
                return;
            }
            synchronized (SpdyExchange.this) {
                replyHeaders = headers;
                delivered = true;
            }
            if (listener != null) {
                listener.onHeaders(headers);
            }
            if (fin) {
                finished();
            }
        }

        @Override
        public void onHeaders(SpdyStream s, HeaderBlock headers, boolean fin) {
            adopt(s);
            synchronized (SpdyExchange.this) {
                headers.forEach(trailers::addRaw);
            }
            if (listener != null) {
                listener.onTrailers(headers);
            }
            if (fin) {
                finished();
            }
        }

        @Override
        public void onData(SpdyStream s, ByteBuffer data, boolean fin) {
            adopt(s);
            int n = data.remaining();
            if (listener != null) {
                listener.onData(data, () -> s.consumed(n));
            } else {
                synchronized (SpdyExchange.this) {
                    if (data.hasArray()) {
                        body.write(data.array(), data.arrayOffset() + data.position(), n);
                    } else {
                        byte[] copy = new byte[n];
                        data.duplicate().get(copy);
                        body.writeBytes(copy);
                    }
                }
                s.consumed(n);
            }
            if (fin) {
                finished();
            }
        }

        @Override
        public void onReset(SpdyStream s, SpdyStreamResetException cause) {
            fail(cause);
        }

        private void finished() {
            boolean complete;
            synchronized (SpdyExchange.this) {
                mainDone = true;
                complete = pushesInFlight == 0;
            }
            if (complete) {
                completeResponse();
            }
        }
    }

    /** Collects one pushed resource. */
    private final class PushEvents implements StreamListener {
        private final int id;
        private final HeaderBlock headers;
        private final ByteArrayOutputStream pushBody = new ByteArrayOutputStream();
        private boolean done;

        PushEvents(int id, HeaderBlock headers) {
            this.id = id;
            this.headers = headers;
        }

        @Override
        public void onHeaders(SpdyStream s, HeaderBlock more, boolean fin) {
            more.forEach((name, value) -> {
                // The SYN_STREAM may have named the pushed request's :version already.
                if (!name.startsWith(":") || headers.get(name) == null) {
                    headers.addRaw(name, value);
                }
            });
            if (fin) {
                end(true);
            }
        }

        @Override
        public void onData(SpdyStream s, ByteBuffer data, boolean fin) {
            byte[] copy = new byte[data.remaining()];
            data.duplicate().get(copy);
            pushBody.writeBytes(copy);
            s.consumed(copy.length);
            if (fin) {
                end(true);
            }
        }

        @Override
        public void onReset(SpdyStream s, SpdyStreamResetException cause) {
            end(false);
        }

        @Override
        public void onClosed(SpdyStream s) {
            // A push whose SYN_STREAM carried FIN has no further frames.
            end(true);
        }

        private void end(boolean complete) {
            if (done) {
                return;
            }
            done = true;
            pushDone(complete ? new SpdyPush(id, headers, pushBody.toByteArray()) : null);
        }
    }
}
