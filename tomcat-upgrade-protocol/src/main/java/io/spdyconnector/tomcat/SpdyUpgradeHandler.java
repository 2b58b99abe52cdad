package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SessionStatistics;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.push.Pusher;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.session.StreamListener;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.http.WebConnection;
import org.apache.coyote.Adapter;
import org.apache.coyote.Request;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.ExceptionUtils;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SecureNioChannel;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One SPDY session on one Tomcat connection, in the place of {@code Http2UpgradeHandler}.
 *
 * <p><b>Reading.</b> Tomcat calls {@link #upgradeDispatch} with {@code OPEN_READ} on a container
 * thread when the socket is readable; it reads without blocking until nothing is left, feeds the
 * engine, and returns {@code UPGRADED} so Tomcat polls the socket again and watches the connection's
 * timeouts. That thread is the session's reader; the engine's stream events arrive on it, and it
 * never runs servlet code: each stream's processor runs on the connector's executor, at most
 * {@code maxConcurrentStreamExecution} of one session at a time.
 *
 * <p><b>Writing.</b> {@link SpdyConnectionWriter} writes the engine's output (see there).
 *
 * <p><b>Timeouts</b> come from Tomcat's timeout thread through {@link #timeoutAsync}: keep-alive
 * (no streams), a frame left half-read, the linger after the last write, and the minimum rate at
 * which the peer must take output waiting for the socket; a deadline that passed comes back as a
 * {@code TIMEOUT} dispatch.
 *
 * <p><b>Closing.</b> {@link #pause()} (Tomcat pausing or gracefully stopping the connector) sends
 * GOAWAY with the last admitted stream; admitted streams finish, then the engine's last batch is
 * written and the connection closes after a bounded linger.
 */
final class SpdyUpgradeHandler implements InternalHttpUpgradeHandler, SessionListener, SpdyConnectionWriter.Events {
    private static final Log log = LogFactory.getLog(SpdyUpgradeHandler.class);

    private enum State { NEW, OPEN, LINGERING, CLOSED }

    private final SpdyUpgradeProtocol protocol;
    private final Adapter adapter;
    private final SocketWrapperBase<?> socketWrapper;
    private final SpdyVersion version;
    private final Pusher pusher;
    private final Request upgradeRequest;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicBoolean socketClosed = new AtomicBoolean();
    private final AtomicInteger executing = new AtomicInteger();
    private final Queue<Runnable> queued = new ConcurrentLinkedQueue<>();
    private final int maxExecution;
    private final long keepAliveTimeout;
    private final long readTimeout;
    private final long lingerTimeout;
    private volatile SSLSupport sslSupport;
    private volatile SpdySession session;
    private volatile SpdyConnectionWriter writer;
    private volatile SessionStatistics finalStatistics;
    private volatile boolean inputEnded;
    /** Reader only: the last read stopped because a SPDY/2 session held its window's worth of input. */
    private boolean inputPaused;
    private volatile boolean stopping;
    /** Why the peer takes output too slowly (the minimum response data rate), once it does. */
    private volatile String slowReader;
    private volatile boolean paused;
    /**
     * Responses the application has finished whose last bytes still wait for the client's window,
     * with the time by which they must make progress: a client that never opens its window must
     * not hold a stream (and its buffers) for ever.
     */
    private final Map<SpdyRequestStream, Long> finishing = new ConcurrentHashMap<>();
    private final long streamWriteTimeout;
    /** When the connection times out unless something happens first (ms since the epoch), or -1. */
    private volatile long deadline = -1;

    SpdyUpgradeHandler(SpdyUpgradeProtocol protocol, Adapter adapter, SocketWrapperBase<?> socketWrapper,
            SpdyVersion version, Request upgradeRequest) {
        this.protocol = protocol;
        this.adapter = adapter;
        this.socketWrapper = socketWrapper;
        this.version = version;
        this.upgradeRequest = upgradeRequest;
        this.pusher = new Pusher(protocol.getPushPlanner());
        this.maxExecution = protocol.getMaxConcurrentStreamExecution();
        this.keepAliveTimeout = protocol.getKeepAliveTimeout();
        this.readTimeout = protocol.getReadTimeout();
        this.lingerTimeout = protocol.getLingerTimeout();
        this.streamWriteTimeout = protocol.getStreamWriteTimeout();
    }

    // ------------------------------------------------------------ lifecycle

    /** Starts the session: it queues SETTINGS (and the session window), which go out at once. */
    @Override
    public void init(WebConnection unused) {
        if (!state.compareAndSet(State.NEW, State.OPEN)) {
            return;
        }
        // On a plain port that accepts SPDY/2 the client's first frame chooses the version.
        boolean detectSpdy2 = protocol.getAcceptSpdy2() && upgradeRequest == null && version != SpdyVersion.SPDY_2
                && socketWrapper.getSslSupport() == null;
        SpdySession s = detectSpdy2
                ? SpdySession.plainServerAcceptingSpdy2(version, protocol.getSessionConfig(), this)
                : new SpdySession(Role.SERVER, version, protocol.getSessionConfig(), this);
        writer = new SpdyConnectionWriter(socketWrapper, s, protocol.getWriteTimeout(), this);
        session = s;
        protocol.register(this);
        if (upgradeRequest != null) {
            SpdyHttpUpgrade.adopt(this, s, upgradeRequest);
        }
        if (paused) {
            s.goAway();
        }
        updateDeadline();
        writer.flush();
    }

    @Override
    public SocketState upgradeDispatch(SocketEvent status) {
        init(null);
        try {
            switch (status) {
                case OPEN_READ:
                    read();
                    break;
                case OPEN_WRITE:
                    // Writes are driven by SpdyConnectionWriter, not by write events.
                    break;
                case TIMEOUT:
                    timedOut();
                    break;
                case DISCONNECT:
                case ERROR:
                case STOP:
                case CONNECT_FAIL:
                default:
                    abort(new EOFException("connection " + status));
                    break;
            }
        } catch (Throwable t) {
            ExceptionUtils.handleThrowable(t);
            log.debug("SPDY connection failed: " + socketWrapper, t);
            abort(t);
        }
        if (state.get() == State.CLOSED) {
            return SocketState.CLOSED;
        }
        // Input over: stop polling for reads and leave the closing to the writer and the deadline.
        return inputEnded || inputPaused ? SocketState.ASYNC_IO : SocketState.UPGRADED;
    }

    /** Reads until the socket has nothing more, feeding the engine. */
    private void read() throws IOException {
        if (inputEnded) {
            return;
        }
        boolean lingering = state.get() == State.LINGERING;
        inputPaused = false;
        SpdyReadBuffers buffers = protocol.readBuffers();
        ByteBuffer buffer = buffers.take(protocol.getInputBufferSize());
        try {
            readLoop(lingering, buffer);
        } finally {
            buffers.give(buffer);
        }
        if (!lingering) {
            updateDeadline();
        }
    }

    private void readLoop(boolean lingering, ByteBuffer buffer) throws IOException {
        while (state.get() != State.CLOSED) {
            if (!lingering && !session.wantsInput()) {
                // SPDY/2 has no flow control: TCP holds the client back until servlets consume;
                // onInputResumed() dispatches a read again.
                inputPaused = true;
                break;
            }
            buffer.clear();
            int n;
            try {
                n = socketWrapper.read(false, buffer);
            } catch (IOException e) {
                if (lingering) {
                    closeSocket();
                    return;
                }
                throw e;
            }
            if (n == 0) {
                break;
            }
            if (n < 0) {
                inputEnded = true;
                if (lingering) {
                    closeSocket();
                } else {
                    session.inputClosed();
                }
                break;
            }
            if (lingering) {
                // Everything was said: what the peer still sends is dropped.
                continue;
            }
            buffer.flip();
            session.receive(buffer);
        }
    }

    /** A deadline passed: which one decides between GOAWAY and closing. */
    private void timedOut() {
        State s = state.get();
        expireFinishingResponses();
        if (stopping) {
            abort(new EOFException("connector stopped"));
        } else if (slowReader != null) {
            // The output cannot get through: a GOAWAY would wait behind it, so the connection goes.
            log.debug("SPDY connection closed, " + slowReader + ": " + socketWrapper);
            abort(new SocketTimeoutException(slowReader));
        } else if (s == State.LINGERING) {
            closeSocket();
        } else if (s == State.OPEN && deadline > 0 && System.currentTimeMillis() > deadline) {
            // Only if the deadline still stands: input may have moved it since the dispatch.
            if (session.isInsideFrame()) {
                abort(new SocketTimeoutException("frame not completed within " + readTimeout + " ms"));
            } else if (session.remoteStreams() == 0) {
                log.debug("SPDY session idle for " + keepAliveTimeout + " ms: GOAWAY " + socketWrapper);
                session.goAway();
                updateDeadline();
            }
        }
    }

    /**
     * Called by Tomcat's timeout thread while the connection waits for input ({@code now} is -1 when
     * the connector stops): a passed deadline is handled on a container thread.
     */
    @Override
    public void timeoutAsync(long now) {
        long d = deadline;
        if (now == -1) {
            stopping = true;
        }
        for (long responseDeadline : finishing.values()) {
            d = d < 0 ? responseDeadline : Math.min(d, responseDeadline);
        }
        SpdySession s = session;
        if (slowReader == null && s != null && state.get() != State.CLOSED) {
            slowReader = s.checkOutputRate();
        }
        if (now == -1 || d > 0 && now > d || slowReader != null) {
            socketWrapper.processSocket(SocketEvent.TIMEOUT, true);
        }
    }

    private void updateDeadline() {
        SpdySession s = session;
        long now = System.currentTimeMillis();
        if (state.get() == State.LINGERING) {
            return;
        }
        if (s.isInsideFrame() && readTimeout > 0) {
            deadline = now + readTimeout;
        } else if (s.remoteStreams() == 0 && keepAliveTimeout > 0
                && s.state() == SpdySession.State.OPEN) {
            deadline = now + keepAliveTimeout;
        } else {
            deadline = -1;
        }
    }

    /** Graceful close (SPEC §2.6.6): GOAWAY with the last admitted stream; they finish, then close. */
    @Override
    public void pause() {
        goAway();
        protocol.pauseAll();
    }

    void goAway() {
        paused = true;
        SpdySession s = session;
        if (s != null) {
            s.goAway();
        }
    }

    /** The connection ends now: streams fail, nothing more is written. */
    void abort(Throwable cause) {
        SpdySession s = session;
        if (s != null) {
            s.close(cause);
        }
        closeSocket();
    }

    @Override
    public void destroy() {
        SpdySession s = session;
        if (s != null && s.state() != SpdySession.State.CLOSED) {
            s.close(new EOFException("connection closed"));
        }
        state.set(State.CLOSED);
        protocol.unregister(this);
    }

    private void closeSocket() {
        state.set(State.CLOSED);
        deadline = -1;
        if (socketClosed.compareAndSet(false, true)) {
            protocol.unregister(this);
            socketWrapper.close();
        }
    }

    // -------------------------------------------------------------- writing

    /**
     * A SPDY/2 session whose servlets caught up wants input again: a container thread reads, in
     * turn with any other dispatch of this connection.
     */
    @Override
    public void onInputResumed() {
        if (state.get() != State.CLOSED) {
            socketWrapper.processSocket(SocketEvent.OPEN_READ, true);
        }
    }

    @Override
    public void onOutputReady() {
        SpdyConnectionWriter w = writer;
        if (w != null) {
            w.flush();
        }
    }

    /**
     * The session's last frame (its GOAWAY) is written. On a connection the peer already closed
     * there is nothing to wait for; otherwise input is drained for a while so unread bytes cannot
     * make the kernel reset the connection and destroy what was just sent (RFC 9112 §9.6).
     */
    @Override
    public void lastBatchWritten() {
        if (inputEnded || lingerTimeout <= 0) {
            closeSocket();
            return;
        }
        if (state.compareAndSet(State.OPEN, State.LINGERING)) {
            deadline = System.currentTimeMillis() + lingerTimeout;
            shutdownOutput();
        }
    }

    /** Half-closes a plain connection so the peer sees the end at once (TLS would need close_notify). */
    private void shutdownOutput() {
        Object socket = socketWrapper.getSocket();
        if (socket instanceof NioChannel && !(socket instanceof SecureNioChannel)) {
            try {
                ((NioChannel) socket).getIOChannel().shutdownOutput();
            } catch (IOException | RuntimeException e) {
                closeSocket();
            }
        }
    }

    @Override
    public void writeFailed(Throwable cause) {
        log.debug("SPDY write failed: " + socketWrapper, cause);
        abort(cause);
    }

    // -------------------------------------------------------- session events

    @Override
    public StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin) {
        SpdyRequestStream requestStream = new SpdyRequestStream(this, stream, headers, fin);
        startProcessing(requestStream);
        return requestStream;
    }

    /** Runs the request of a push just made, through the container like any request (SPEC §3.3). */
    SpdyRequestStream startPushed(SpdyStream pushed, HeaderBlock request) {
        SpdyRequestStream requestStream = new SpdyRequestStream(this, pushed, request, true);
        startProcessing(requestStream);
        return requestStream;
    }

    Pusher pusher() {
        return pusher;
    }

    void startProcessing(SpdyRequestStream requestStream) {
        SpdyStreamProcessor processor = new SpdyStreamProcessor(this, requestStream, adapter, socketWrapper);
        processor.setSslSupport(sslSupport);
        requestStream.setProcessor(processor);
        processStreamOnContainerThread(processor, SocketEvent.OPEN_READ);
    }

    @Override
    public void onGoAway(int lastGoodStreamId, GoAwayStatus status) {
        log.debug("SPDY peer sent GOAWAY " + lastGoodStreamId + " " + status + ": " + socketWrapper);
    }

    @Override
    public void onClosed(Throwable cause) {
        finalStatistics = session.statistics();
        protocol.unregister(this);
    }

    /**
     * The application finished {@code stream}'s response (or its last write completed) and the
     * rest is up to the client's window: it must progress within the stream write timeout.
     */
    void responseFinishing(SpdyRequestStream stream) {
        if (streamWriteTimeout > 0) {
            finishing.put(stream, System.currentTimeMillis() + streamWriteTimeout);
        }
    }

    void responseFinished(SpdyRequestStream stream) {
        finishing.remove(stream);
    }

    /** Resets responses that made no progress in time: their end must not look like a complete body. */
    private void expireFinishingResponses() {
        long now = System.currentTimeMillis();
        for (Map.Entry<SpdyRequestStream, Long> e : finishing.entrySet()) {
            if (now > e.getValue() && finishing.remove(e.getKey(), e.getValue())) {
                log.debug("SPDY response not written within " + streamWriteTimeout + " ms: " + e.getKey());
                e.getKey().stream().reset(RstStatus.INTERNAL_ERROR);
            }
        }
    }

    /** A stream left the session: an idle session starts its keep-alive time. */
    void streamClosed() {
        SpdySession s = session;
        if (state.get() == State.OPEN && deadline == -1 && keepAliveTimeout > 0
                && s.state() == SpdySession.State.OPEN && s.remoteStreams() == 0) {
            deadline = System.currentTimeMillis() + keepAliveTimeout;
        }
    }

    // ------------------------------------------------------ stream execution

    /**
     * Runs a stream's processing on the connector's executor. Like HTTP/2's, at most
     * {@code maxConcurrentStreamExecution} run at once per session; the rest queue in order.
     */
    void processStreamOnContainerThread(SpdyStreamProcessor processor, SocketEvent event) {
        queued.offer(() -> {
            try {
                processor.process(event);
            } finally {
                streamExecutionFinished();
            }
        });
        executeQueued();
    }

    /** A stream's processing returned: its slot goes to the next queued one. */
    private void streamExecutionFinished() {
        executing.decrementAndGet();
        executeQueued();
    }

    private void executeQueued() {
        while (!queued.isEmpty()) {
            int running = executing.get();
            if (running >= maxExecution) {
                return;
            }
            if (!executing.compareAndSet(running, running + 1)) {
                continue;
            }
            Runnable next = queued.poll();
            if (next == null) {
                executing.decrementAndGet();
                continue;
            }
            try {
                socketWrapper.execute(next);
            } catch (RejectedExecutionException e) {
                executing.decrementAndGet();
                log.debug("SPDY stream could not be dispatched: " + socketWrapper, e);
                abort(e);
                return;
            }
        }
    }

    int executingStreams() {
        return executing.get();
    }

    int queuedStreams() {
        return queued.size();
    }

    // ---------------------------------------------------------------- access

    SpdyUpgradeProtocol getProtocol() {
        return protocol;
    }

    /** The session's protocol: on a plain port accepting SPDY/2, what the client's first frame chose. */
    SpdyVersion getVersion() {
        SpdySession s = session;
        return s != null ? s.version() : version;
    }

    String getSniHostName() {
        return socketWrapper.getSniHostName();
    }

    ServletConnection getServletConnection() {
        return socketWrapper.getServletConnection(getVersion().protocolName(), "");
    }

    /** The session's counters now, or as they were when it closed; null before it started. */
    SessionStatistics getStatistics() {
        SessionStatistics last = finalStatistics;
        if (last != null) {
            return last;
        }
        SpdySession s = session;
        return s == null ? null : s.statistics();
    }

    @Override
    public void setSocketWrapper(SocketWrapperBase<?> wrapper) {
        // Given to the constructor.
    }

    @Override
    public void setSslSupport(SSLSupport sslSupport) {
        this.sslSupport = sslSupport;
    }

    @Override
    public String toString() {
        return "SpdyUpgradeHandler[" + getVersion().protocolName() + ", " + state.get() + ", " + socketWrapper + "]";
    }
}
