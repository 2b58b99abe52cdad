package io.spdyconnector.jetty;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SessionStatistics;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.session.StreamListener;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.CyclicTimeouts;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.AutoLock;
import org.eclipse.jetty.util.thread.ExecutionStrategy;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.strategy.AdaptiveExecutionStrategy;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One SPDY session on one Jetty connection. Reading follows Jetty's HTTP/2: a producer fills a
 * pooled buffer and feeds the engine on the thread Jetty's {@link AdaptiveExecutionStrategy}
 * chooses, and whatever the engine reports becomes tasks (run a request, deliver content) that the
 * strategy runs or dispatches, so servlets never run on a thread the session needs. Request DATA
 * stays in the network buffer, which request chunks retain. Writing goes through one
 * {@link IteratingCallback} flusher: one gathering write of the engine's output at a time.
 */
public class SpdyServerConnection extends AbstractMetaDataConnection implements Connection.UpgradeTo, SessionListener {
    private final SpdyServerConnectionFactory factory;
    private final SpdySession session;
    private final ByteBufferPool bufferPool;
    private final AutoLock lock = new AutoLock();
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final Producer producer = new Producer();
    private final ExecutionStrategy strategy;
    private final Flusher flusher = new Flusher();
    private final AtomicBoolean rateCheckScheduled = new AtomicBoolean();
    private final Set<SpdyHttpStream> streams = ConcurrentHashMap.newKeySet();
    private final StreamTimeouts timeouts;
    private final Attributes attributes = new Attributes.Lazy();
    private final HttpChannel.Factory channels = new HttpChannel.DefaultFactory();
    private final SpdyPushes pushes;

    public SpdyServerConnection(SpdyServerConnectionFactory factory, Connector connector,
            HttpConfiguration httpConfiguration, EndPoint endPoint, SpdyVersion version, boolean detectSpdy2,
            SessionConfig config) {
        super(connector, httpConfiguration, endPoint);
        this.factory = factory;
        this.bufferPool = connector.getByteBufferPool();
        this.session = detectSpdy2 ? SpdySession.plainServerAcceptingSpdy2(version, config, this)
                : new SpdySession(Role.SERVER, version, config, this);
        this.pushes = new SpdyPushes(this, factory.getPushPlanner());
        this.strategy = new AdaptiveExecutionStrategy(producer, getExecutor());
        LifeCycle.start(strategy);
        this.timeouts = new StreamTimeouts(connector.getScheduler());
    }

    public SpdySession getSession() {
        return session;
    }

    /** The session's protocol; on a plain connection that accepts SPDY/2, settled by the client's first frame. */
    public SpdyVersion getVersion() {
        return session.version();
    }

    public int getStreamCount() {
        return streams.size();
    }

    public SessionStatistics getStatistics() {
        return session.statistics();
    }

    SpdyServerConnectionFactory factory() {
        return factory;
    }

    /** How this connection's tasks ran: Jetty's strategy counts them by mode. */
    ExecutionStrategy executionStrategy() {
        return strategy;
    }

    /** Runs a task at once on a pooled thread, even when the pool is busy: it may unblock a stuck thread. */
    void executeImmediately(Runnable task) {
        org.eclipse.jetty.util.thread.ThreadPool.executeImmediately(getExecutor(), task);
    }

    // ------------------------------------------------------------ lifecycle

    @Override
    public void onOpen() {
        super.onOpen();
        flusher.iterate();
        produce();
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        producer.preload(buffer);
    }

    @Override
    public void onFillable() {
        produce();
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        session.close(cause);
        LifeCycle.stop(strategy);
        timeouts.destroy();
        producer.stop();
    }

    /** Graceful close (SPEC §2.6.6): GOAWAY, admitted streams finish, then the connection closes. */
    public void goAway() {
        session.goAway();
    }

    @Override
    public void close() {
        goAway();
    }

    /**
     * The connector's idle timeout: an idle session says GOAWAY and closes; one with streams leaves
     * them to their own timeouts, unless a write has been stuck all that time, when the socket goes.
     */
    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        if (flusher.isWriting()) {
            return true;
        }
        if (streams.isEmpty()) {
            session.goAway();
        }
        return false;
    }

    // ------------------------------------------------------- session events

    @Override
    public StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin) {
        SpdyHttpStream httpStream = newHttpStream(stream);
        Runnable task = httpStream.onRequest(headers, fin);
        if (task != null) {
            offerTask(task);
        }
        return httpStream;
    }

    private SpdyHttpStream newHttpStream(SpdyStream stream) {
        HttpChannel channel = channels.newHttpChannel(this);
        channel.initialize();
        SpdyHttpStream httpStream = new SpdyHttpStream(this, channel, stream);
        channel.setHttpStream(httpStream);
        // The stream holds its concurrency slot until the handler is done, even if reset first.
        stream.applicationStarted();
        streams.add(httpStream);
        long idle = factory.getStreamIdleTimeout();
        httpStream.setIdleTimeout(idle > 0 ? idle : getEndPoint().getIdleTimeout());
        return httpStream;
    }

    /** Runs the request of a push this connection just made, on a pooled thread, like any request. */
    SpdyHttpStream startPushed(SpdyStream pushed, HeaderBlock request) {
        SpdyHttpStream httpStream = newHttpStream(pushed);
        Runnable task = httpStream.onRequest(request, true);
        if (task != null) {
            getExecutor().execute(task);
        }
        return httpStream;
    }

    SpdyPushes pushes() {
        return pushes;
    }

    /** Whether {@code PushBuilder} works on this connection (Jetty asks before offering one). */
    @Override
    public boolean isPushSupported() {
        return pushes.isServletPushSupported();
    }

    @Override
    public void onOutputReady() {
        flusher.iterate();
    }

    /** A SPDY/2 session that stopped reading for its application's sake may read again. */
    @Override
    public void onInputResumed() {
        produce();
    }

    void streamClosed(SpdyHttpStream stream) {
        streams.remove(stream);
    }

    void schedule(SpdyHttpStream stream) {
        timeouts.schedule(stream);
    }

    /** Network buffer the engine is reading from right now: DATA slices retain it. */
    RetainableByteBuffer currentInput() {
        return producer.current;
    }

    // ---------------------------------------------------------------- tasks

    /** Queues a task for the producer; the strategy runs or dispatches it. Called on the reader. */
    void offerTask(Runnable task) {
        try (AutoLock ignored = lock.lock()) {
            tasks.offer(task);
        }
    }

    /**
     * Queues a task from an application thread: it must be dispatched, so that thread does not
     * become the producer and go on to run another request.
     */
    void dispatchTask(Runnable task) {
        offerTask(task);
        strategy.dispatch();
    }

    private Runnable pollTask() {
        try (AutoLock ignored = lock.lock()) {
            return tasks.poll();
        }
    }

    private void produce() {
        strategy.produce();
    }

    // ----------------------------------------------------- ConnectionMetaData

    @Override
    public String getId() {
        return getEndPoint().toString();
    }

    /**
     * HTTP/2 semantics as far as the container is concerned: multiplexed, no HTTP/1.1 upgrade of
     * the connection. The SPDY version is what {@link #getProtocol()} reports.
     */
    @Override
    public HttpVersion getHttpVersion() {
        return HttpVersion.HTTP_2;
    }

    /**
     * What {@code HttpServletRequest.getProtocol()} returns: {@code HTTP/1.1}, the version every
     * SPDY request declares in {@code :version} (SPEC §3.2.1). Containers parse this string (ee11
     * allows response trailers only from HTTP/1.1 up), so it must name an HTTP version; the SPDY
     * version is the request attribute {@link SpdyAttributes#VERSION}.
     */
    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public boolean isPersistent() {
        return true;
    }

    @Override
    public Object removeAttribute(String name) {
        return attributes.removeAttribute(name);
    }

    @Override
    public Object setAttribute(String name, Object attribute) {
        return attributes.setAttribute(name, attribute);
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.getAttribute(name);
    }

    @Override
    public Set<String> getAttributeNameSet() {
        return attributes.getAttributeNameSet();
    }

    @Override
    public String toConnectionString() {
        return String.format("%s@%x[%s,%s]", getClass().getSimpleName(), hashCode(), session.version().protocolName(),
                session.state());
    }

    // ------------------------------------------------------------- reading

    /** Fills network buffers and feeds the engine; returns the tasks that produces. */
    private final class Producer implements ExecutionStrategy.Producer {
        private final Callback fillable = Callback.from(Invocable.InvocationType.EITHER, SpdyServerConnection.this::produce,
                SpdyServerConnection.this::onFillInterestedFailed);
        private RetainableByteBuffer.Mutable buffer;
        volatile RetainableByteBuffer current;
        private boolean shutdown;

        void preload(ByteBuffer bytes) {
            try (AutoLock ignored = lock.lock()) {
                buffer = bufferPool.acquire(Math.max(factory.getInputBufferSize(), bytes.remaining()),
                        false).asMutable();
                if (!buffer.append(bytes)) {
                    throw new IllegalStateException("upgrade bytes do not fit the input buffer");
                }
            }
        }

        @Override
        public Runnable produce() {
            Runnable task = pollTask();
            if (task != null) {
                return task;
            }
            if (shutdown || isFillInterested()) {
                return null;
            }
            RetainableByteBuffer.Mutable in;
            try (AutoLock ignored = lock.lock()) {
                in = buffer;
                buffer = null;
            }
            boolean interested = false;
            try {
                while (true) {
                    if (in == null) {
                        in = bufferPool.acquire(factory.getInputBufferSize(), false).asMutable();
                    }
                    if (!in.hasRemaining()) {
                        if (!session.wantsInput()) {
                            // SPDY/2 has no flow control: TCP holds the client back until the
                            // application consumes; onInputResumed() produces again.
                            return null;
                        }
                        int filled = fill(in.getByteBuffer());
                        if (filled == 0) {
                            interested = true;
                            return null;
                        }
                        if (filled < 0) {
                            shutdown = true;
                            session.inputClosed();
                            if (session.state() == SpdySession.State.CLOSED) {
                                getEndPoint().close();
                            }
                            return pollTask();
                        }
                    }
                    current = in;
                    try {
                        session.receive(in.getByteBuffer());
                    } finally {
                        current = null;
                    }
                    if (in.isRetained()) {
                        // Request chunks still hold slices of it: fill a fresh buffer next time.
                        in.release();
                        in = null;
                    } else {
                        in.clear();
                    }
                    task = pollTask();
                    if (task != null) {
                        return task;
                    }
                }
            } finally {
                if (in != null) {
                    // Idle connections hold no buffer: give it back to the pool.
                    in.release();
                }
                if (interested) {
                    fillInterested(fillable);
                }
            }
        }

        private int fill(ByteBuffer target) {
            try {
                return getEndPoint().fill(target);
            } catch (Exception e) {
                return -1;
            }
        }

        void stop() {
            try (AutoLock ignored = lock.lock()) {
                shutdown = true;
                if (buffer != null) {
                    buffer.release();
                    buffer = null;
                }
            }
        }
    }

    // ------------------------------------------------------------- writing

    /** Writes the engine's output batches, one gathering write at a time. */
    private final class Flusher extends IteratingCallback {
        /** Read by the idle and rate checks on other threads. */
        private volatile OutputBatch batch;
        /** The socket took the batch in flight in one write: batches may grow (see SessionConfig). */
        private boolean inOneWrite;

        boolean isWriting() {
            return batch != null;
        }

        @Override
        protected Action process() {
            OutputBatch next = session.pollOutput();
            if (next == null) {
                return Action.IDLE;
            }
            batch = next;
            if (next.isEmpty()) {
                batch = null;
                session.outputWritten(next);
                lingerAndClose();
                return Action.SUCCEEDED;
            }
            EndPoint endPoint = getEndPoint();
            endPoint.write(this, next.buffers());
            // Whether the endpoint still holds the write (onSuccess comes after this returns). Over
            // TLS our buffers are empty once encrypted, while the last record may still wait.
            inOneWrite = endPoint instanceof AbstractEndPoint e ? !e.getWriteFlusher().isPending()
                    : next.remaining() == 0;
            if (!inOneWrite) {
                // Only a write left waiting for the socket can be too slow: idle sessions schedule nothing.
                scheduleRateCheck();
            }
            return Action.SCHEDULED;
        }

        @Override
        protected void onSuccess() {
            OutputBatch written = batch;
            batch = null;
            if (written != null) {
                boolean last = written.isLast();
                session.outputWritten(written, inOneWrite);
                if (last) {
                    lingerAndClose();
                }
            }
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            OutputBatch failed = batch;
            batch = null;
            if (failed != null) {
                session.outputFailed(failed, cause);
            }
            getEndPoint().close(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    /** While a write waits for the socket, the minimum response data rate is checked every second. */
    private void scheduleRateCheck() {
        if (session.config().minResponseDataRate() > 0 && rateCheckScheduled.compareAndSet(false, true)) {
            getConnector().getScheduler().schedule(this::checkOutputRate, 1, TimeUnit.SECONDS);
        }
    }

    private void checkOutputRate() {
        rateCheckScheduled.set(false);
        if (!flusher.isWriting()) {
            // The next write schedules the check again.
            return;
        }
        String slow = session.checkOutputRate();
        if (slow != null) {
            // The output cannot get through: a GOAWAY would wait behind it, so the connection goes.
            getEndPoint().close(new TimeoutException(slow));
            return;
        }
        scheduleRateCheck();
    }

    /**
     * After the last frame (a GOAWAY): shut output, keep reading until the peer closes or the
     * linger time ends, then close, so a TCP reset caused by unread input cannot destroy what was
     * just sent (RFC 9112 §9.6).
     */
    private void lingerAndClose() {
        EndPoint endPoint = getEndPoint();
        endPoint.shutdownOutput();
        long linger = factory.getLingerTimeout();
        if (linger <= 0) {
            endPoint.close();
            return;
        }
        getConnector().getScheduler().schedule(() -> endPoint.close(), linger, TimeUnit.MILLISECONDS);
        if (!producer.shutdown) {
            produce();
        }
    }

    /** Stream idle timeouts, checked by one cyclic timer per connection. */
    private final class StreamTimeouts extends CyclicTimeouts<SpdyHttpStream> {
        StreamTimeouts(org.eclipse.jetty.util.thread.Scheduler scheduler) {
            super(scheduler);
        }

        @Override
        protected Iterator<SpdyHttpStream> iterator() {
            return streams.iterator();
        }

        @Override
        protected boolean onExpired(SpdyHttpStream stream) {
            return stream.onIdleExpired();
        }
    }

    static boolean hasContent(ByteBuffer b) {
        return BufferUtil.hasContent(b);
    }
}
