package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.codec.FrameDecoder;
import io.spdyconnector.protocol.codec.FrameEncoder;
import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.GoAwayFrame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.stream.StreamState;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One SPDY session, sans I/O: bytes in through {@link #receive}, bytes out through
 * {@link #pollOutput}. A server adapter, a client, or a test drives it the same way.
 *
 * <p><b>Threading rule.</b> One thread at a time calls {@link #receive} and {@link #inputClosed}
 * (the reader); one thread at a time calls {@link #pollOutput} / {@link #outputWritten} /
 * {@link #outputFailed} (the flusher); every other method may be called from any thread. All
 * state lives under one {@link ReentrantLock} which is never held while a listener or callback
 * runs: such calls are collected under the lock and made after it is released.
 *
 * <p><b>Versions.</b> SPDY/3.1, SPDY/3 and SPDY/2 differ in framing details (the codec's
 * business) and in flow control ({@link SessionFlow}); everything else is shared. A SPDY/2 session
 * has no windows, so its transport must honour {@link #wantsInput()}.
 *
 * <p><b>Lifecycle.</b> OPEN → DRAINING (GOAWAY sent or received: admitted streams finish, no new
 * ones) → CLOSING (the last batch, ending with a GOAWAY, is being written) → CLOSED. A session
 * error (SPEC §2.4.1) jumps to CLOSING with GOAWAY carrying the error; a transport failure jumps
 * to CLOSED.
 */
public final class SpdySession {
    private static final System.Logger LOG = System.getLogger("io.spdyconnector.protocol.frames");

    /** Where a session is in its life. */
    public enum State { OPEN, DRAINING, CLOSING, CLOSED }

    final ReentrantLock lock = new ReentrantLock();
    final Role role;
    /** Fixed at construction, or by the first frame of a session that detects SPDY/2 (set under the lock). */
    volatile SpdyVersion version;
    final SessionConfig config;
    final SessionListener listener;
    final HeaderBlockDecoder headerDecoder;
    final HeaderBlockEncoder headerEncoder;
    final AbuseGuard guard;
    final Consumer<Frame> observer;
    private final FrameDecoder decoder;
    private final FrameEncoder encoder;
    private final InboundFrames inbound;
    final OutboundQueue queue;
    private final SessionOutput output;
    private final ArrayList<Runnable> deferred = new ArrayList<>();

    // Guarded by lock.
    final StreamRegistry registry;
    final SessionCounters counters = new SessionCounters();
    /**
     * SPEC §2.6.4: no limit until the peer's SETTINGS says one. A client still opens at most
     * {@link #CLIENT_STREAMS_BEFORE_SETTINGS} until then, as browsers did, so that a burst sent
     * before the server's SETTINGS arrives waits here instead of being refused by the server.
     */
    int peerMaxConcurrentStreams;
    static final int CLIENT_STREAMS_BEFORE_SETTINGS = 100;
    int peerInitialWindow = 65536;
    final SessionFlow flow;
    boolean goAwaySent;
    int peerLastGoodStreamId = Integer.MAX_VALUE;
    State state = State.OPEN;
    private final PendingPings pings;
    /** Why the session ended (null: gracefully); guarded by lock. */
    Throwable closeCause;
    private boolean closedNotified;

    public SpdySession(Role role, SpdyVersion version, SessionConfig config, SessionListener listener) {
        this(role, version, false, config, listener);
    }

    /**
     * A server session on a plain (prior-knowledge) connection where the client's first control
     * frame chooses: version 2 makes it a SPDY/2 session, version 3 a {@code version} one. Nothing
     * is sent before that frame; the session's SETTINGS follow it, in the chosen dialect.
     */
    public static SpdySession plainServerAcceptingSpdy2(SpdyVersion version, SessionConfig config,
            SessionListener listener) {
        return new SpdySession(Role.SERVER, version, true, config, listener);
    }

    private SpdySession(Role role, SpdyVersion version, boolean firstFrameDecides, SessionConfig config,
            SessionListener listener) {
        if (firstFrameDecides && version == SpdyVersion.SPDY_2) {
            throw new IllegalArgumentException("the SPDY/3 version to use when the first frame says 3");
        }
        this.role = role;
        this.peerMaxConcurrentStreams = role == Role.CLIENT ? CLIENT_STREAMS_BEFORE_SETTINGS : Integer.MAX_VALUE;
        this.version = version;
        this.config = config;
        this.listener = listener;
        this.headerDecoder = new HeaderBlockDecoder(config.maxHeaderCount(), config.headerInflateLimit());
        this.headerEncoder = new HeaderBlockEncoder(config.compressionPolicy());
        this.guard = new AbuseGuard(config.abuseLimits(), config.nanoClock());
        this.observer = FrameTrace.consumer(config.frameObserver(), false);
        this.inbound = new InboundFrames(this, FrameTrace.consumer(config.frameObserver(), true));
        this.decoder = new FrameDecoder(inbound, headerDecoder, config.maxControlFrameLength());
        this.encoder = new FrameEncoder(headerEncoder);
        this.queue = new OutboundQueue(this, encoder, observer);
        this.output = new SessionOutput(this, listener::onOutputReady);
        this.registry = new StreamRegistry(this);
        this.pings = new PendingPings(role, config.nanoClock());
        this.flow = new SessionFlow(this, config.sessionWindowSize());
        if (firstFrameDecides) {
            decoder.version(FrameDecoder.FIRST_FRAME_DECIDES);
        } else {
            decoder.version(version.wireVersion());
            encoder.version(version.wireVersion());
            queueOpeningFrames();
        }
    }

    /** This side's SETTINGS, and the session window's first WINDOW_UPDATE in SPDY/3.1. */
    private void queueOpeningFrames() {
        List<Setting> settings = version.hasFlowControl()
                ? List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, config.maxConcurrentStreams()),
                        new Setting(Setting.INITIAL_WINDOW_SIZE, config.initialWindowSize()))
                : List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, config.maxConcurrentStreams()));
        queue.addControl(new SettingsFrame(false, settings));
        WindowUpdateFrame update = flow.openingUpdate(config.sessionWindowSize());
        if (update != null) {
            queue.addControl(update);
        }
    }

    /** The first control frame of a detecting session said which version this is. Reader thread. */
    void versionChosen(int wireVersion) {
        lock.lock();
        try {
            if (wireVersion == FrameDecoder.VERSION_2) {
                version = SpdyVersion.SPDY_2;
            }
            encoder.version(wireVersion);
            if (!stateIsAtLeast(State.CLOSING)) {
                queueOpeningFrames();
                deferOutputSignal();
            }
        } finally {
            unlockAndRun();
        }
    }

    public Role role() {
        return role;
    }

    public SpdyVersion version() {
        return version;
    }

    public SessionConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ input

    /**
     * Consumes all of {@code input}, whatever its split, and reports what it held to the
     * listeners. DATA handed to listeners are views of {@code input}. Protocol errors are answered
     * on the wire, never thrown.
     */
    public void receive(ByteBuffer input) {
        if (stateIsAtLeast(State.CLOSING)) {
            input.position(input.limit());
            return;
        }
        inbound.readStarted();
        try {
            decoder.decode(input);
        } catch (SessionException e) {
            input.position(input.limit());
            lock.lock();
            try {
                fail(e.status(), e.getMessage());
            } finally {
                unlockAndRun();
            }
        }
    }

    /**
     * Whether the transport should go on reading. Always true but on SPDY/2, which has no flow
     * control: there it turns false while received DATA the application has not consumed exceeds
     * the session window size, so a slow application holds the peer back through TCP instead of
     * filling memory. {@link SessionListener#onInputResumed} tells when to read again.
     */
    public boolean wantsInput() {
        if (version.hasFlowControl()) {
            return true;
        }
        lock.lock();
        try {
            return state == State.CLOSED || flow.wantsInput();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a frame has begun but not ended: what a partial-frame timeout looks at. */
    public boolean isInsideFrame() {
        return decoder.isInsideFrame();
    }

    /** The peer closed its side of the connection: unfinished streams are cut and the session ends. */
    public void inputClosed() {
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            registry.failAll(RstStatus.CANCEL, "connection closed by peer", peerLastGoodStreamId);
            beginClosing(null);
        } finally {
            unlockAndRun();
        }
    }

    // ----------------------------------------------------------------- output

    /**
     * The next bytes to write, or null when there is nothing to write or a batch is still in
     * flight. After writing, call {@link #outputWritten}, then poll again until null. When the
     * batch {@link OutputBatch#isLast() is last}, close the transport after writing it.
     */
    public OutputBatch pollOutput() {
        return output.poll();
    }

    /** The batch was written: writers' callbacks complete, and the session may end. */
    public void outputWritten(OutputBatch written) {
        output.written(written, false);
    }

    /**
     * The batch was written, and whether the socket took it in one write. Batches grow while the
     * socket keeps up and shrink back once it does not (see {@link SessionConfig#maxOutputBatchBytes()}).
     */
    public void outputWritten(OutputBatch written, boolean inOneWrite) {
        output.written(written, inOneWrite);
    }

    /** Writing failed: the transport is gone, so every stream and the session fail with {@code cause}. */
    public void outputFailed(OutputBatch failed, Throwable cause) {
        output.failed(failed, cause);
    }

    /**
     * Checks the minimum response data rate ({@link SessionConfig#minResponseDataRate()}); the
     * transport calls it about once a second while a write is pending. A reason means the peer takes
     * output too slowly, and the transport closes the connection: a GOAWAY could not get through.
     */
    public String checkOutputRate() {
        return output.checkRate();
    }

    // ------------------------------------------------------------ operations

    /**
     * Opens a stream from this side (a request, on a client) with SYN_STREAM. If the peer's
     * MAX_CONCURRENT_STREAMS is reached, the stream waits and gets its id when a slot frees.
     *
     * @throws IllegalStateException if the session no longer accepts new streams
     */
    public SpdyStream newStream(HeaderBlock headers, int priority, boolean fin, StreamListener streamListener) {
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("priority must be 0..7: " + priority);
        }
        lock.lock();
        try {
            if (state != State.OPEN) {
                throw new IllegalStateException("session is " + state + ", no new streams");
            }
            SpdyStream s = new SpdyStream(this, 0, priority, 0, true, false,
                    fin ? StreamState.AWAITING_REPLY_LOCAL_CLOSED : StreamState.AWAITING_REPLY, streamListener);
            s.openHeaders = headers;
            s.openFin = fin;
            registry.pendingOpens.add(s);
            registry.releaseLongHeldSlots();
            registry.activatePendingOpens();
            return s;
        } finally {
            unlockAndRun();
        }
    }

    /**
     * Stream 1 of a connection that an HTTP/1.1 request upgraded to SPDY (with {@code Upgrade:
     * spdy/3.1}, as {@code h2c} does in RFC 7540 §3.2): the request was sent whole over HTTP/1.1
     * and its response comes as the SYN_REPLY of stream 1. On a server it is the peer's stream,
     * half-closed (remote), answered with {@link SpdyStream#reply}; on a client it is this side's,
     * half-closed (local), awaiting the reply. Either way the client's next stream is 3. Call it
     * once, before the first {@link #receive}.
     *
     * @throws IllegalStateException if streams were already opened or the session is closing
     */
    public SpdyStream openUpgradeStream(int priority, StreamListener streamListener) {
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("priority must be 0..7: " + priority);
        }
        lock.lock();
        try {
            if (state != State.OPEN || registry.lastRemoteId != 0 || registry.nextLocalId != role.firstStreamId()) {
                throw new IllegalStateException("the upgrade stream must be the session's first stream");
            }
            return registry.adoptUpgradeStream(priority, streamListener);
        } finally {
            unlockAndRun();
        }
    }

    /** Whether {@link #newStream} would be accepted now. */
    public boolean canOpenStreams() {
        lock.lock();
        try {
            return state == State.OPEN && registry.nextLocalId > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Sends a PING with a fresh id of this side's parity; completes with the round-trip time. */
    public CompletableFuture<Duration> ping() {
        CompletableFuture<Duration> result = new CompletableFuture<>();
        lock.lock();
        try {
            if (stateIsAtLeast(State.CLOSING)) {
                result.completeExceptionally(new IllegalStateException("session is " + state));
                return result;
            }
            enqueueControl(new PingFrame(pings.add(result)));
        } finally {
            unlockAndRun();
        }
        return result;
    }

    /** Sends SETTINGS, e.g. values a client was asked to persist (SPEC §2.6.4). */
    public void sendSettings(SettingsFrame settings) {
        lock.lock();
        try {
            if (!stateIsAtLeast(State.CLOSING)) {
                enqueueControl(settings);
            }
        } finally {
            unlockAndRun();
        }
    }

    /**
     * Graceful close (SPEC §2.6.6): GOAWAY with the last stream this side admitted; streams above
     * it are ignored, admitted ones finish, then the last batch closes the transport.
     */
    public void goAway() {
        lock.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            drain("session is closing");
        } finally {
            unlockAndRun();
        }
    }

    /** GOAWAY(OK), no new streams; the session closes once admitted streams are done. Locked. */
    void drain(String why) {
        sendGoAway(GoAwayStatus.OK);
        state = State.DRAINING;
        registry.failPendingOpens(why);
        checkDrained();
    }

    /** Ends the session at once without a GOAWAY: the transport is gone or being torn down. */
    public void close(Throwable cause) {
        lock.lock();
        try {
            abort(cause);
        } finally {
            unlockAndRun();
        }
    }

    /** The open stream with this id, or null. */
    public SpdyStream stream(int id) {
        lock.lock();
        try {
            return registry.get(id);
        } finally {
            lock.unlock();
        }
    }

    public State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Open streams the peer initiated: what {@link #statistics()} reports as {@code remoteStreams},
     * without building a snapshot, for transports that check it on every read or stream end.
     */
    public int remoteStreams() {
        lock.lock();
        try {
            return registry.remoteCount;
        } finally {
            lock.unlock();
        }
    }

    /** Live counters for tests, metrics and JMX. */
    public SessionStatistics statistics() {
        lock.lock();
        try {
            return counters.snapshot(registry.remoteCount, registry.localCount, registry.pendingOpens.size(),
                    registry.applicationActive, queue.controlSize(), registry.queuedDataBytes(),
                    output.bytesInFlight(), headerDecoder.holdsNativeState(),
                    headerEncoder.holdsNativeState(), guard.trips());
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------ internal, locked

    boolean stateIsAtLeast(State s) {
        return state.compareTo(s) >= 0;
    }

    void enqueueControl(Frame frame) {
        if (stateIsAtLeast(State.CLOSING)) {
            // The GOAWAY already queued is the last frame (SPEC §2.1); the rest of a read that
            // failed the session may still be decoding, but nothing it answers goes out.
            return;
        }
        if (queue.controlSize() >= config.maxQueuedControlFrames() && !(frame instanceof GoAwayFrame)) {
            // The peer sends work faster than it reads the answers.
            fail(GoAwayStatus.PROTOCOL_ERROR, "more than " + config.maxQueuedControlFrames() + " control frames queued");
            return;
        }
        queue.addControl(frame);
        deferOutputSignal();
    }

    /** The flusher hears, once the lock is released, that there is output (unless it already knows). */
    void deferOutputSignal() {
        output.signal();
    }

    void defer(Runnable r) {
        deferred.add(r);
    }

    /** A stream error caused by the peer (SPEC §2.4.2): RST_STREAM, charged to the abuse budget. */
    void resetByPeerError(int streamId, RstStatus status, String message) {
        SpdyStream s = registry.get(streamId);
        if (!registry.recentResets.contains(streamId) || s != null) {
            sendReset(streamId, status);
        }
        if (s != null) {
            registry.terminate(s, new SpdyStreamResetException(status, false, message), true);
        }
        String abuse = guard.resetSent();
        if (abuse != null) {
            fail(GoAwayStatus.PROTOCOL_ERROR, abuse);
        }
    }

    /** Queues RST_STREAM and remembers the id, so frames already in flight on it are dropped quietly. */
    void sendReset(int streamId, RstStatus status) {
        enqueueControl(new RstStreamFrame(streamId, status));
        registry.recentResets.add(streamId);
        counters.resetSent(status);
    }

    void sendGoAway(GoAwayStatus status) {
        goAwaySent = true;
        counters.goAwaySent(status);
        queue.addControl(new GoAwayFrame(registry.lastAdmittedRemoteId, status));
        deferOutputSignal();
    }

    /** The peer's GOAWAY (SPEC §2.6.6): streams above its last-good id were never processed. */
    void goAwayReceived(int lastGood, GoAwayStatus status) {
        peerLastGoodStreamId = Math.min(peerLastGoodStreamId, lastGood);
        counters.goAwayReceived(status);
        registry.failAbove(lastGood);
        registry.failPendingOpens("peer sent GOAWAY");
        if (state == State.OPEN) {
            state = State.DRAINING;
        }
        deferred.add(() -> listener.onGoAway(lastGood, status));
        checkDrained();
    }

    /** The last stream left: native compression state can go, and a draining session can close. */
    void streamsIdle() {
        if (config.releaseCompressionWhenIdle()) {
            headerEncoder.release();
            headerDecoder.release();
        }
        checkDrained();
    }

    private void checkDrained() {
        if (state == State.DRAINING && registry.isEmpty()) {
            beginClosing(null);
        }
    }

    private void beginClosing(Throwable cause) {
        if (stateIsAtLeast(State.CLOSING)) {
            return;
        }
        // SPEC §2.1: an endpoint closing the connection sends GOAWAY first.
        if (!goAwaySent) {
            sendGoAway(GoAwayStatus.OK);
        }
        state = State.CLOSING;
        closeCause = cause;
        deferOutputSignal();
    }

    /** Session error (SPEC §2.4.1): GOAWAY with the reason, every stream fails, then close. */
    void fail(GoAwayStatus status, String message) {
        if (stateIsAtLeast(State.CLOSING)) {
            return;
        }
        SessionException cause = new SessionException(status, message);
        LOG.log(System.Logger.Level.DEBUG, "session error: {0}", message);
        queue.clearControl();
        queue.clearStreams();
        registry.failAll(RstStatus.INTERNAL_ERROR, "session error: " + message, peerLastGoodStreamId);
        sendGoAway(status);
        state = State.CLOSING;
        closeCause = cause;
    }

    void abort(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        queue.clearControl();
        queue.clearStreams();
        registry.failAll(RstStatus.CANCEL, cause == null ? "session closed" : "session closed: " + cause,
                peerLastGoodStreamId);
        closeNow(cause);
    }

    void closeNow(Throwable cause) {
        state = State.CLOSED;
        closeCause = cause;
        headerEncoder.close();
        headerDecoder.close();
        Runnable failPings = pings.failAll();
        if (failPings != null) {
            deferred.add(failPings);
        }
        if (!closedNotified) {
            closedNotified = true;
            deferred.add(() -> listener.onClosed(cause));
        }
    }

    /** Completes our own PING's round trip; false if we never sent this id (a stray echo to ignore). */
    boolean pingAnswered(int id) {
        Runnable completion = pings.answered(id);
        if (completion == null) {
            return false;
        }
        deferred.add(completion);
        return true;
    }

    /** Releases the lock; if this was the outermost hold, runs the listener calls collected under it. */
    void unlockAndRun() {
        if (lock.getHoldCount() > 1 || deferred.isEmpty()) {
            lock.unlock();
            return;
        }
        if (deferred.size() == 1) {
            // The common case, one output signal per write, copies nothing.
            Runnable only = deferred.remove(0);
            lock.unlock();
            runDeferred(only);
            return;
        }
        Runnable[] tasks = deferred.toArray(new Runnable[0]);
        deferred.clear();
        lock.unlock();
        for (Runnable r : tasks) {
            runDeferred(r);
        }
    }

    private static void runDeferred(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "listener failed", e);
        }
    }

    static void runCallback(WriteCallback c, Throwable failure) {
        if (c == null) {
            return;
        }
        try {
            if (failure == null) {
                c.succeeded();
            } else {
                c.failed(failure);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "write callback failed", e);
        }
    }

    @Override
    public String toString() {
        return "SpdySession[" + role + " " + version.protocolName() + " " + state + "]";
    }
}
