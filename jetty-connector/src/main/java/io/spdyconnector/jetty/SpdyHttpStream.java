package io.spdyconnector.jetty;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.http.SpdyHttp;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;
import io.spdyconnector.protocol.session.WriteCallback;
import io.spdyconnector.protocol.stream.StreamState;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.CyclicTimeouts;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.Retainable;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Invocable;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

/**
 * One SPDY stream as a Jetty {@link HttpStream}: the SYN_STREAM becomes a request for the
 * {@link HttpChannel}, DATA becomes content chunks pulled by the application (their release returns
 * flow-control credit, so the client can only send what the application reads), and the response
 * becomes SYN_REPLY, DATA and trailing HEADERS whose callbacks complete once written.
 */
final class SpdyHttpStream implements HttpStream, StreamListener, CyclicTimeouts.Expirable {
    private final SpdyServerConnection connection;
    private final HttpChannel channel;
    private final SpdyStream stream;
    private static final AtomicIntegerFieldUpdater<SpdyHttpStream> RECYCLED =
            AtomicIntegerFieldUpdater.newUpdater(SpdyHttpStream.class, "recycled");
    private static final AtomicIntegerFieldUpdater<SpdyHttpStream> COMPLETED =
            AtomicIntegerFieldUpdater.newUpdater(SpdyHttpStream.class, "completed");
    private static final AtomicIntegerFieldUpdater<SpdyHttpStream> APPLICATION_STEPS =
            AtomicIntegerFieldUpdater.newUpdater(SpdyHttpStream.class, "applicationSteps");
    // Fields rather than atomics, for the memory of each open stream.
    /** 1 once the channel is recycled. */
    private volatile int recycled;
    /** 1 once the exchange completed (or failed). */
    private volatile int completed;
    /** The application's work still to end: its handler returning and its exchange completing. */
    private volatile int applicationSteps = 2;

    // Guarded by this object's monitor (short sections that call nothing out; a monitor rather
    // than a lock object, for the memory of each open stream).
    /** Request body chunks not yet read; made for the first one, since most requests have no body. */
    private ArrayDeque<Content.Chunk> chunks;
    private Content.Chunk terminal;
    private boolean demand;
    private long expectedLength = -1;
    private long receivedLength;

    private MetaData.Request request;
    private volatile MetaData.Response response;
    private volatile boolean committed;
    /** The frame carrying FIN is queued: the response is complete and will be written whole. */
    private volatile boolean lastQueued;
    private final SendTracker sends = new SendTracker();
    private volatile long idleTimeout;
    private volatile long expireNanoTime = Long.MAX_VALUE;

    SpdyHttpStream(SpdyServerConnection connection, HttpChannel channel, SpdyStream stream) {
        this.connection = connection;
        this.channel = channel;
        this.stream = stream;
    }

    @Override
    public String getId() {
        return Integer.toString(stream.id());
    }

    // ------------------------------------------------------------- request

    /**
     * The SYN_STREAM: the request task to run, or the task that answers a broken request with
     * 400. The application is done with the stream once that task has returned and the exchange
     * completed: Jetty completes a failed exchange (a reset stream) while the handler may still
     * be running, and until it returns the stream keeps its concurrency slot.
     */
    Runnable onRequest(HeaderBlock headers, boolean fin) {
        Runnable task = request(headers, fin);
        if (task == null) {
            applicationStep();
            return null;
        }
        // Keeps the task's invocation type, so that the execution strategy may still run a
        // non-blocking handler on the reading thread.
        return Invocable.from(Invocable.getInvocationType(task), () -> {
            try {
                task.run();
            } finally {
                applicationStep();
            }
        });
    }

    /** One of the two ends of the application's work: its handler returned, or its exchange completed. */
    private void applicationStep() {
        if (APPLICATION_STEPS.decrementAndGet(this) == 0) {
            stream.applicationFinished();
        }
    }

    private Runnable request(HeaderBlock headers, boolean fin) {
        long begin = NanoTime.now();
        SpdyHttp.RequestLine line;
        try {
            line = SpdyHttp.requestLine(headers);
        } catch (SpdyHttp.BadRequestException e) {
            return badRequest(begin, e.getMessage());
        }
        HttpFields.Mutable fields = HttpFields.build(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.startsWith(":") || SpdyHttp.isConnectionSpecific(name)) {
                continue;
            }
            // Known names become Jetty's constant fields' names, so an open request does not keep
            // the decoded name strings (as HPACK's static table spares HTTP/2 requests).
            HttpHeader known = HttpHeader.CACHE.get(name);
            if (known != null) {
                fields.add(known, headers.value(i));
            } else {
                fields.add(name, headers.value(i));
            }
        }
        try {
            expectedLength = contentLength(fields);
        } catch (NumberFormatException e) {
            return badRequest(begin, "invalid content-length");
        }
        // The SPDY request carries its authority in :host; HTTP/1.1 code expects a Host header.
        if (!fields.contains(HttpHeader.HOST)) {
            fields.put(HttpHeader.HOST, line.host());
        }
        HttpScheme scheme = HttpScheme.CACHE.get(line.scheme());
        HttpURI.Mutable uri = HttpURI.build();
        if (scheme != null) {
            uri.scheme(scheme);
        } else {
            uri.scheme(line.scheme());
        }
        uri.authority(line.host()).pathQuery(line.path());
        HttpMethod method = HttpMethod.CACHE.get(line.method());
        request = new MetaData.Request(begin, method != null ? method.asString() : line.method(), uri,
                HttpVersion.HTTP_2, fields, expectedLength);
        connection.pushes().requested(request);
        if (fin) {
            // SPEC §3.2.1: a declared length the body does not match is a bad request.
            terminal = expectedLength > 0 ? lengthMismatch() : Content.Chunk.EOF;
        }
        try {
            Runnable handler = channel.onRequest(request);
            channel.getRequest().setAttribute(SpdyAttributes.VERSION, connection.getVersion().protocolName());
            channel.getRequest().setAttribute(SpdyAttributes.PRIORITY, stream.priority());
            channel.getRequest().setAttribute(SpdyAttributes.STREAM_ID, stream.id());
            HttpField expect = fields.getField(HttpHeader.EXPECT);
            if (expect != null && !HttpHeaderValue.CONTINUE.is(expect.getValue())) {
                throw new HttpException.RuntimeException(HttpStatus.EXPECTATION_FAILED_417);
            }
            return handler;
        } catch (Throwable x) {
            HttpException failure = x instanceof HttpException ? (HttpException) x
                    : new HttpException.RuntimeException(HttpStatus.INTERNAL_SERVER_ERROR_500, x);
            Runnable task = channel.onFailure((Throwable) failure);
            return task;
        }
    }

    private static long contentLength(HttpFields fields) {
        String value = fields.get(HttpHeader.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        long n = Long.parseLong(value.trim());
        if (n < 0) {
            throw new NumberFormatException("negative");
        }
        return n;
    }

    /**
     * A request SPEC §3.2.1 says must be answered with 400: the container's own error handling
     * writes the response, as for a malformed HTTP/1.1 request.
     */
    private Runnable badRequest(long begin, String reason) {
        request = new MetaData.Request(begin, "GET", HttpURI.from("/badRequest"), HttpVersion.HTTP_2, HttpFields.EMPTY, 0);
        terminal = Content.Chunk.EOF;
        channel.onRequest(request);
        return channel.onFailure(new HttpException.RuntimeException(HttpStatus.BAD_REQUEST_400, reason));
    }

    private static Content.Chunk lengthMismatch() {
        return Content.Chunk.from(new HttpException.RuntimeException(HttpStatus.BAD_REQUEST_400,
                "request body length does not match content-length"), true);
    }

    @Override
    public void onData(SpdyStream s, ByteBuffer data, boolean fin) {
        notIdle();
        int length = data.remaining();
        Content.Chunk chunk;
        if (length > 0) {
            RetainableByteBuffer network = connection.currentInput();
            network.retain();
            chunk = Content.Chunk.asChunk(data, false, new Credit(network, length));
        } else {
            chunk = null;
        }
        Runnable task;
        synchronized (this) {
            if (terminal != null) {
                // Failed or already complete: drop it, but give the credit back.
                if (chunk != null) {
                    chunk.release();
                }
                return;
            }
            receivedLength += length;
            if (chunk != null) {
                if (chunks == null) {
                    chunks = new ArrayDeque<>(2);
                }
                chunks.add(chunk);
            }
            if (expectedLength >= 0 && (receivedLength > expectedLength || fin && receivedLength != expectedLength)) {
                terminal = lengthMismatch();
            } else if (fin) {
                terminal = Content.Chunk.EOF;
            }
            task = takeDemand();
        }
        if (task != null) {
            connection.offerTask(task);
        }
    }

    /** Request trailers (HEADERS with FIN after DATA). Other HEADERS frames add nothing. */
    @Override
    public void onHeaders(SpdyStream s, HeaderBlock headers, boolean fin) {
        notIdle();
        if (!fin) {
            return;
        }
        HttpFields.Mutable trailers = HttpFields.build(headers.size());
        headers.forEach((n, v) -> {
            if (!n.startsWith(":") && !SpdyHttp.isConnectionSpecific(n)) {
                trailers.add(n, v);
            }
        });
        Runnable task;
        synchronized (this) {
            if (terminal != null) {
                return;
            }
            terminal = expectedLength >= 0 && receivedLength != expectedLength ? lengthMismatch()
                    : new Trailers(trailers.asImmutable());
            task = takeDemand();
        }
        if (task != null) {
            connection.offerTask(task);
        }
    }

    private Runnable takeDemand() {
        if (!demand) {
            return null;
        }
        demand = false;
        return channel.onContentAvailable();
    }

    @Override
    public Content.Chunk read() {
        synchronized (this) {
            Content.Chunk c = chunks == null ? null : chunks.poll();
            if (c != null) {
                return c;
            }
            Content.Chunk t = terminal;
            // Failures and EOF repeat on every read; trailers are returned once, then EOF.
            if (t instanceof Trailers) {
                terminal = Content.Chunk.EOF;
            }
            return t;
        }
    }

    @Override
    public void demand() {
        boolean available;
        synchronized (this) {
            available = chunks != null && !chunks.isEmpty() || terminal != null;
            demand = !available;
        }
        if (available) {
            Runnable task = channel.onContentAvailable();
            if (task != null) {
                connection.dispatchTask(task);
            }
        }
    }

    @Override
    public Throwable consumeAvailable() {
        Throwable result = HttpStream.consumeAvailable(this, connection.getHttpConfiguration());
        if (result != null) {
            failContent(result);
        }
        return result;
    }

    /** Makes every later read fail, releasing (and crediting) whatever was queued. */
    private void failContent(Throwable failure) {
        synchronized (this) {
            Content.Chunk c;
            while (chunks != null && (c = chunks.poll()) != null) {
                c.release();
            }
            if (terminal == null || !Content.Chunk.isFailure(terminal)) {
                terminal = Content.Chunk.from(failure, true);
            }
        }
    }

    // ------------------------------------------------------------ response

    @Override
    public void prepareResponse(HttpFields.Mutable headers) {
        // SPEC §3.2.2: connection-specific headers are never sent.
        headers.remove(HttpHeader.CONNECTION);
        headers.remove(HttpHeader.KEEP_ALIVE);
        headers.remove(HttpHeader.PROXY_CONNECTION);
        headers.remove(HttpHeader.TRANSFER_ENCODING);
        headers.remove(HttpHeader.UPGRADE);
    }

    @Override
    public void send(MetaData.Request req, MetaData.Response res, boolean last, ByteBuffer content, Callback callback) {
        notIdle();
        lastQueued |= last;
        boolean head = HttpMethod.HEAD.is(req.getMethod());
        boolean hasContent = SpdyServerConnection.hasContent(content) && !head;
        if (res != null) {
            if (HttpStatus.isInterim(res.getStatus())) {
                // SPDY/3 has no interim responses: 100-continue is implied by reading the body.
                if (hasContent) {
                    callback.failed(new IllegalStateException("interim response cannot have content"));
                } else {
                    callback.succeeded();
                }
                return;
            }
            if (last && res.getContentLength() >= 0 && hasContent && res.getContentLength() != content.remaining()) {
                callback.failed(new HttpException.RuntimeException(HttpStatus.INTERNAL_SERVER_ERROR_500,
                        "Incorrect Content-Length " + res.getContentLength() + "!=" + content.remaining()));
                return;
            }
            response = res;
            committed = true;
            // SPEC §3.3.1: pushes are made before the response that may reveal them.
            connection.pushes().beforeResponse(stream, req, res);
            HttpFields trailers = last ? trailers() : null;
            // Headers, body and trailers in one call, like HTTP/2's frame list: one write when it can be.
            stream.reply(SpdyResponseHeaders.reply(res, last && !head && !hasContent ? 0 : -1), hasContent ? content : null,
                    trailers == null ? null : SpdyResponseHeaders.trailers(trailers), last, adapt(callback));
            return;
        }
        sendBody(hasContent ? content : null, last, last ? trailers() : null, callback);
    }

    /** DATA (not copied; FIN on the last) and trailers; {@code callback} completes after the last frame. */
    private void sendBody(ByteBuffer content, boolean last, HttpFields trailers, Callback callback) {
        if (trailers != null) {
            if (content != null) {
                stream.data(content, false, WriteCallback.NOOP);
            }
            stream.headers(SpdyResponseHeaders.trailers(trailers), true, adapt(callback));
        } else if (content != null || last) {
            stream.data(content == null ? ByteBuffer.allocate(0) : content, last, adapt(callback));
        } else {
            callback.succeeded();
        }
    }

    private HttpFields trailers() {
        MetaData.Response res = response;
        Supplier<HttpFields> supplier = res == null ? null : res.getTrailersSupplier();
        HttpFields t = supplier == null ? null : supplier.get();
        return t == null || t.size() == 0 ? null : t;
    }

    /** The engine holds the send's buffers until this callback completes; see {@link #cancelSend}. */
    private WriteCallback adapt(Callback callback) {
        return sends.track(callback, this::notIdle);
    }

    /**
     * Cancels a send in progress. If the last frame is already queued the response is complete,
     * so it is left to finish rather than cut short (ee11's error handling cancels the error page
     * write it has just started when that write completes later than the call); only the
     * application's callback learns of the cancellation. Otherwise the stream is reset. Either
     * way the application's callback fails only once the engine is done with the send's buffers
     * ({@link SendTracker}).
     */
    @Override
    public Runnable cancelSend(Throwable cause, Callback appCallback) {
        return () -> {
            if (!lastQueued) {
                stream.reset(RstStatus.CANCEL);
            }
            sends.afterSend(() -> appCallback.failed(cause));
        };
    }

    /** {@code PushBuilder.push()}: a push for this stream's request (SPEC §3.3). */
    @Override
    public void push(MetaData.Request resource) {
        connection.pushes().servletPush(stream, request, resource);
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    // -------------------------------------------------------- completion

    /** The exchange is complete. An unread request body is refused with RST_STREAM CANCEL. */
    @Override
    public void succeeded() {
        if (stream.state().canReceive()) {
            stream.reset(RstStatus.CANCEL);
        }
        failContent(new EofException("stream completed"));
        if (RECYCLED.compareAndSet(this, 0, 1)) {
            channel.recycle();
        }
        exchangeCompleted();
    }

    private void exchangeCompleted() {
        if (COMPLETED.compareAndSet(this, 0, 1)) {
            applicationStep();
        }
    }

    /** The exchange failed: a response cut short must not look complete, so the stream is reset. */
    @Override
    public void failed(Throwable x) {
        StreamState state = stream.state();
        if (state != StreamState.CLOSED) {
            stream.reset(x == HttpStream.CONTENT_NOT_CONSUMED ? RstStatus.CANCEL : RstStatus.INTERNAL_ERROR);
        }
        failContent(x);
        recycled = 1;
        exchangeCompleted();
    }

    // ------------------------------------------------------------ events

    /** The peer reset the stream, or the session ended: wake readers and writers at once. */
    @Override
    public void onReset(SpdyStream s, SpdyStreamResetException cause) {
        failContent(new EofException(cause));
        if (recycled != 0) {
            return;
        }
        Runnable task = cause.status() == RstStatus.INTERNAL_ERROR
                ? channel.onFailure(new EofException(cause)) : channel.onRemoteFailure(new EofException(cause));
        if (task != null) {
            // Immediately: pooled threads may all be blocked on this very stream.
            connection.executeImmediately(task);
        }
    }

    @Override
    public void onClosed(SpdyStream s) {
        connection.streamClosed(this);
    }

    // -------------------------------------------------------- idle timeout

    @Override
    public long getIdleTimeout() {
        return idleTimeout;
    }

    @Override
    public void setIdleTimeout(long ms) {
        idleTimeout = ms;
        notIdle();
    }

    private void notIdle() {
        long ms = idleTimeout;
        expireNanoTime = CyclicTimeouts.Expirable.calcExpireNanoTime(ms);
        if (ms > 0) {
            connection.schedule(this);
        }
    }

    @Override
    public long getExpireNanoTime() {
        return expireNanoTime;
    }

    /** The stream was idle too long: the channel decides; if no request is being handled, reset it. */
    boolean onIdleExpired() {
        if (recycled != 0 || stream.state() == StreamState.CLOSED) {
            return true;
        }
        expireNanoTime = Long.MAX_VALUE;
        HttpChannel.IdleTimeoutTask task = channel.onIdleTimeout(new TimeoutException("idle timeout "
                + idleTimeout + " ms"));
        if (task.action() != null) {
            connection.executeImmediately(task.action());
        }
        if (!task.handlingRequest()) {
            stream.reset(RstStatus.CANCEL);
        }
        return false;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SpdyHttpStream#%s[%s]", stream.id(), stream.state());
    }

    /**
     * Holds the network buffer under one request chunk; when the application releases the chunk,
     * the buffer goes back to the pool and the stream's window is credited (SPEC §2.6.8).
     */
    private final class Credit extends Retainable.ReferenceCounter {
        private final RetainableByteBuffer network;
        private final int length;

        Credit(RetainableByteBuffer network, int length) {
            this.network = network;
            this.length = length;
        }

        @Override
        public boolean release() {
            boolean last = super.release();
            if (last) {
                network.release();
                stream.consumed(length);
            }
            return last;
        }
    }
}
