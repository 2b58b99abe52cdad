package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.codec.FrameDecoder;
import io.spdyconnector.protocol.codec.FrameEncoder;
import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.flow.FlowWindow;
import io.spdyconnector.protocol.flow.ReceiveWindow;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    final SpdyVersion version;
    final SessionConfig config;
    final SessionListener listener;
    final HeaderBlockDecoder headerDecoder;
    final HeaderBlockEncoder headerEncoder;
    final AbuseGuard guard;
    final Consumer<Frame> observer;
    private final FrameDecoder decoder;
    private final InboundFrames inbound;
    final OutboundQueue queue;
    private final OutputBatch batch = new OutputBatch();
    private final ArrayList<Runnable> deferred = new ArrayList<>();
    private final Runnable signalOutput;

    // Guarded by lock.
    final Map<Integer, SpdyStream> streams = new HashMap<>();
    final ArrayDeque<SpdyStream> pendingOpens = new ArrayDeque<>();
    final RecentResets recentResets = new RecentResets(128);
    final SessionCounters counters = new SessionCounters();
    int remoteStreamCount;
    int localStreamCount;
    int nextLocalId;
    int lastRemoteId;
    int lastAdmittedRemoteId;
    int peerMaxConcurrentStreams = Integer.MAX_VALUE;
    int peerInitialWindow = 65536;
    final FlowWindow sessionSendWindow;
    final ReceiveWindow sessionReceiveWindow;
    boolean goAwaySent;
    int peerLastGoodStreamId = Integer.MAX_VALUE;
    State state = State.OPEN;
    private boolean batchInFlight;
    private boolean outputSignalled;
    private final Map<Integer, PendingPing> pings = new HashMap<>();
    private int nextPingId;
    private Throwable closeCause;
    private boolean closedNotified;

    public SpdySession(Role role, SpdyVersion version, SessionConfig config, SessionListener listener) {
        this.role = role;
        this.version = version;
        this.config = config;
        this.listener = listener;
        this.signalOutput = listener::onOutputReady;
        this.headerDecoder = new HeaderBlockDecoder(config.maxHeaderCount(), config.headerInflateLimit());
        this.headerEncoder = new HeaderBlockEncoder(config.compressionPolicy());
        this.guard = new AbuseGuard(config.abuseLimits(), config.nanoClock());
        this.observer = frameObserver(config.frameObserver(), false);
        this.inbound = new InboundFrames(this, frameObserver(config.frameObserver(), true));
        this.decoder = new FrameDecoder(inbound, headerDecoder, config.maxControlFrameLength());
        this.queue = new OutboundQueue(this, new FrameEncoder(headerEncoder), observer);
        this.nextLocalId = role.firstStreamId();
        this.nextPingId = role.firstStreamId();
        this.sessionSendWindow = new FlowWindow(65536);
        this.sessionReceiveWindow = new ReceiveWindow(65536);
        List<Setting> settings = List.of(
                new Setting(Setting.MAX_CONCURRENT_STREAMS, config.maxConcurrentStreams()),
                new Setting(Setting.INITIAL_WINDOW_SIZE, config.initialWindowSize()));
        queue.addControl(new SettingsFrame(false, settings));
        if (version.hasSessionFlowControl()) {
            int delta = sessionReceiveWindow.resize(config.sessionWindowSize());
            if (delta > 0) {
                queue.addControl(new WindowUpdateFrame(0, delta));
            }
        }
    }

    private static Consumer<Frame> frameObserver(FrameObserver observer, boolean inbound) {
        boolean debug = LOG.isLoggable(System.Logger.Level.DEBUG);
        if (observer == null && !debug) {
            return null;
        }
        return frame -> {
            if (debug) {
                LOG.log(System.Logger.Level.DEBUG, (inbound ? "<< " : ">> ") + frame);
            }
            if (observer != null) {
                if (inbound) {
                    observer.inbound(frame);
                } else {
                    observer.outbound(frame);
                }
            }
        };
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
            failStreams(RstStatus.CANCEL, "connection closed by peer", streams.size() > 0);
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
        lock.lock();
        try {
            outputSignalled = false;
            if (batchInFlight || state == State.CLOSED) {
                return null;
            }
            queue.fill(batch, config.maxOutputBatchBytes());
            if (state == State.CLOSING && !queue.hasOutput()) {
                batch.markLast();
            }
            if (batch.isEmpty() && !batch.isLast()) {
                return null;
            }
            batchInFlight = true;
            counters.bytesQueued(batch.bytes());
            return batch;
        } finally {
            unlockAndRun();
        }
    }

    /** The batch was written: writers' callbacks complete, and the session may end. */
    public void outputWritten(OutputBatch written) {
        WriteCallback[] done;
        lock.lock();
        try {
            checkBatch(written);
            done = written.takeCompletions();
            boolean last = written.isLast();
            written.reset();
            batchInFlight = false;
            if (last) {
                closeNow(closeCause);
            } else if (queue.hasOutput() || state == State.CLOSING) {
                deferOutputSignal();
            }
        } finally {
            unlockAndRun();
        }
        if (done != null) {
            for (WriteCallback c : done) {
                runCallback(c, null);
            }
        }
    }

    /** Writing failed: the transport is gone, so every stream and the session fail with {@code cause}. */
    public void outputFailed(OutputBatch failed, Throwable cause) {
        WriteCallback[] done;
        lock.lock();
        try {
            checkBatch(failed);
            done = failed.takeCompletions();
            failed.reset();
            batchInFlight = false;
            abort(cause);
        } finally {
            unlockAndRun();
        }
        if (done != null) {
            for (WriteCallback c : done) {
                runCallback(c, cause);
            }
        }
    }

    private void checkBatch(OutputBatch b) {
        if (b != batch || !batchInFlight) {
            throw new IllegalStateException("not the batch in flight");
        }
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
            pendingOpens.add(s);
            activatePendingOpens();
            return s;
        } finally {
            unlockAndRun();
        }
    }

    /** Whether {@link #newStream} would be accepted now. */
    public boolean canOpenStreams() {
        lock.lock();
        try {
            return state == State.OPEN && nextLocalId > 0;
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
            int id = nextPingId;
            // SPEC §2.6.5: ids keep their parity and may wrap.
            nextPingId = (nextPingId + 2) & 0x7FFFFFFF;
            if (nextPingId == 0) {
                nextPingId = role.firstStreamId();
            }
            pings.put(id, new PendingPing(config.nanoClock().getAsLong(), result));
            enqueueControl(new PingFrame(id));
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
            sendGoAway(GoAwayStatus.OK);
            state = State.DRAINING;
            failPendingOpens("session is closing");
            checkDrained();
        } finally {
            unlockAndRun();
        }
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

    public State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Live counters for tests, metrics and JMX. */
    public SessionStatistics statistics() {
        lock.lock();
        try {
            return counters.snapshot(remoteStreamCount, localStreamCount, pendingOpens.size(), queue.controlSize(),
                    batchInFlight ? batch.bytes() : 0, headerDecoder.holdsNativeState(),
                    headerEncoder.holdsNativeState(), guard.trips());
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------- stream services

    int streamId(SpdyStream s) {
        lock.lock();
        try {
            return s.id;
        } finally {
            lock.unlock();
        }
    }

    StreamState streamState(SpdyStream s) {
        lock.lock();
        try {
            return s.state;
        } finally {
            lock.unlock();
        }
    }

    long sendWindow(SpdyStream s) {
        lock.lock();
        try {
            return s.sendWindow == null ? peerInitialWindow : s.sendWindow.size();
        } finally {
            lock.unlock();
        }
    }

    void send(SpdyStream s, SpdyStream.Outbound.Kind kind, HeaderBlock headers, ByteBuffer data, boolean fin,
            WriteCallback callback) {
        Throwable failure = null;
        lock.lock();
        try {
            if (state == State.CLOSED || !s.state.canSend()) {
                failure = new SpdyStreamResetException(RstStatus.STREAM_ALREADY_CLOSED, false,
                        "stream " + s.id + " cannot send: " + (state == State.CLOSED ? "session closed" : s.state));
            } else if (kind == SpdyStream.Outbound.Kind.REPLY && (s.locallyInitiated || s.replySent)) {
                failure = new IllegalStateException("SYN_REPLY is sent once, on a stream the peer opened");
            } else if (kind != SpdyStream.Outbound.Kind.REPLY && !s.locallyInitiated && !s.replySent) {
                failure = new IllegalStateException("send the SYN_REPLY before HEADERS or DATA");
            } else {
                if (kind == SpdyStream.Outbound.Kind.REPLY) {
                    s.replySent = true;
                }
                s.outbound.add(new SpdyStream.Outbound(kind, headers, data, fin, callback));
                if (fin) {
                    s.state = s.state.localFin();
                }
                if (s.inRegistry) {
                    queue.schedule(s);
                    deferOutputSignal();
                }
            }
        } finally {
            unlockAndRun();
        }
        if (failure != null) {
            runCallback(callback, failure);
        }
    }

    void consumed(SpdyStream s, int bytes) {
        if (bytes <= 0) {
            return;
        }
        lock.lock();
        try {
            if (stateIsAtLeast(State.CLOSING)) {
                return;
            }
            consumedSession(bytes);
            if (s.inRegistry && s.state.canReceive()) {
                int delta = s.receiveWindow.consumed(bytes);
                if (delta > 0) {
                    enqueueControl(new WindowUpdateFrame(s.id, delta));
                }
            }
        } finally {
            unlockAndRun();
        }
    }

    /** Returns session-window credit (SPEC §2.6.8: every DATA byte counts, even discarded ones). Locked. */
    void consumedSession(int bytes) {
        if (version.hasSessionFlowControl() && bytes > 0) {
            int delta = sessionReceiveWindow.consumed(bytes);
            if (delta > 0) {
                enqueueControl(new WindowUpdateFrame(0, delta));
            }
        }
    }

    SpdyStream push(SpdyStream associated, HeaderBlock headers, int priority, StreamListener streamListener) {
        lock.lock();
        try {
            // SPEC §3.3.1: pushes come from servers, for an open client stream, before its FIN.
            if (role != Role.SERVER || state != State.OPEN || !associated.inRegistry || associated.locallyInitiated
                    || !associated.state.canSend() || localStreamCount >= peerMaxConcurrentStreams || nextLocalId <= 0) {
                return null;
            }
            SpdyStream s = new SpdyStream(this, 0, priority, associated.id, true, true, StreamState.REMOTE_CLOSED,
                    streamListener);
            s.openHeaders = headers;
            activate(s);
            return s;
        } finally {
            unlockAndRun();
        }
    }

    void resetByApplication(SpdyStream s, RstStatus status) {
        lock.lock();
        try {
            if (s.state == StreamState.CLOSED && !s.inRegistry) {
                return;
            }
            SpdyStreamResetException cause = new SpdyStreamResetException(status, false, "stream reset locally");
            if (s.id == 0) {
                pendingOpens.remove(s);
            } else if (!stateIsAtLeast(State.CLOSING)) {
                enqueueControl(new RstStreamFrame(s.id, status));
                recentResets.add(s.id);
                counters.resetSent(status);
            }
            terminate(s, cause, false);
        } finally {
            unlockAndRun();
        }
    }

    // ------------------------------------------------------ internal, locked

    boolean stateIsAtLeast(State s) {
        return state.compareTo(s) >= 0;
    }

    int sessionSendAvailable() {
        return version.hasSessionFlowControl() ? sessionSendWindow.available() : Integer.MAX_VALUE;
    }

    void sessionSendConsumed(int bytes) {
        if (version.hasSessionFlowControl()) {
            sessionSendWindow.consume(bytes);
        }
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

    void deferOutputSignal() {
        if (!outputSignalled && !batchInFlight && state != State.CLOSED) {
            outputSignalled = true;
            deferred.add(signalOutput);
        }
    }

    void defer(Runnable r) {
        deferred.add(r);
    }

    /** Gives queued local streams ids and SYN_STREAMs while the peer's limit allows (SPEC §2.6.4). */
    void activatePendingOpens() {
        while (!pendingOpens.isEmpty() && localStreamCount < peerMaxConcurrentStreams && state == State.OPEN) {
            SpdyStream s = pendingOpens.poll();
            if (nextLocalId <= 0) {
                // SPEC §2.3.2: ids do not wrap; a new session is needed.
                terminate(s, new SpdyStreamResetException(RstStatus.REFUSED_STREAM, true, "stream ids exhausted"), true);
                continue;
            }
            activate(s);
        }
        if (nextLocalId <= 0 && state == State.OPEN) {
            sendGoAway(GoAwayStatus.OK);
            state = State.DRAINING;
            failPendingOpens("stream ids exhausted");
        }
    }

    private void activate(SpdyStream s) {
        s.id = nextLocalId;
        nextLocalId += 2;
        s.sendWindow = new FlowWindow(peerInitialWindow);
        s.receiveWindow = new ReceiveWindow(config.initialWindowSize());
        s.inRegistry = true;
        streams.put(s.id, s);
        localStreamCount++;
        counters.streamOpened();
        queue.addControl(s);
        queue.schedule(s);
        deferOutputSignal();
    }

    /** A stream's queue emptied while encoding: if it is closed both ways it leaves the session. */
    void outboundDrained(SpdyStream s) {
        if (s.state == StreamState.CLOSED) {
            remove(s);
        }
    }

    /** Applies the peer's FIN; removes the stream if that closed it and nothing is left to send. */
    void remoteFin(SpdyStream s) {
        s.state = s.state.remoteFin();
        if (s.state == StreamState.CLOSED && s.outbound.isEmpty()) {
            remove(s);
        }
    }

    private void remove(SpdyStream s) {
        if (!s.inRegistry) {
            return;
        }
        s.inRegistry = false;
        streams.remove(s.id);
        if (s.locallyInitiated) {
            localStreamCount--;
        } else {
            remoteStreamCount--;
        }
        StreamListener l = s.listener;
        if (l != null) {
            deferred.add(() -> l.onClosed(s));
        }
        activatePendingOpens();
        if (streams.isEmpty()) {
            if (config.releaseCompressionWhenIdle()) {
                headerEncoder.release();
                headerDecoder.release();
            }
            checkDrained();
        }
    }

    /** Closes a stream without completing it: queued writes fail and the listener hears why. */
    void terminate(SpdyStream s, SpdyStreamResetException cause, boolean notify) {
        s.state = StreamState.CLOSED;
        failOutbound(s, cause);
        StreamListener l = s.listener;
        if (notify && l != null) {
            deferred.add(() -> l.onReset(s, cause));
        }
        remove(s);
    }

    private void failOutbound(SpdyStream s, Throwable cause) {
        SpdyStream.Outbound item;
        while ((item = s.outbound.poll()) != null) {
            WriteCallback c = item.callback;
            if (c != null && c != WriteCallback.NOOP) {
                deferred.add(() -> runCallback(c, cause));
            }
        }
    }

    /** A stream error caused by the peer (SPEC §2.4.2): RST_STREAM, charged to the abuse budget. */
    void resetByPeerError(int streamId, RstStatus status, String message) {
        SpdyStream s = streams.get(streamId);
        if (!recentResets.contains(streamId) || s != null) {
            enqueueControl(new RstStreamFrame(streamId, status));
            recentResets.add(streamId);
            counters.resetSent(status);
        }
        if (s != null) {
            terminate(s, new SpdyStreamResetException(status, false, message), true);
        }
        String abuse = guard.reset("stream error");
        if (abuse != null) {
            fail(GoAwayStatus.PROTOCOL_ERROR, abuse);
        }
    }

    void sendGoAway(GoAwayStatus status) {
        goAwaySent = true;
        counters.goAwaySent(status);
        queue.addControl(new GoAwayFrame(lastAdmittedRemoteId, status));
        deferOutputSignal();
    }

    /** The peer's GOAWAY (SPEC §2.6.6): streams above its last-good id were never processed. */
    void goAwayReceived(int lastGood, GoAwayStatus status) {
        peerLastGoodStreamId = Math.min(peerLastGoodStreamId, lastGood);
        counters.goAwayReceived(status);
        for (SpdyStream s : new ArrayList<>(streams.values())) {
            if (s.locallyInitiated && s.id > lastGood) {
                terminate(s, new SpdyStreamResetException(RstStatus.REFUSED_STREAM, true,
                        "stream " + s.id + " above GOAWAY last-good " + lastGood + ": not processed"), true);
            }
        }
        failPendingOpens("peer sent GOAWAY");
        if (state == State.OPEN) {
            state = State.DRAINING;
        }
        deferred.add(() -> listener.onGoAway(lastGood, status));
        checkDrained();
    }

    private void failPendingOpens(String why) {
        SpdyStream s;
        while ((s = pendingOpens.poll()) != null) {
            terminate(s, new SpdyStreamResetException(RstStatus.REFUSED_STREAM, true, why + ": stream not sent"), true);
        }
    }

    private void checkDrained() {
        if (state == State.DRAINING && streams.isEmpty() && pendingOpens.isEmpty()) {
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
        failStreams(RstStatus.INTERNAL_ERROR, "session error: " + message, true);
        sendGoAway(status);
        state = State.CLOSING;
        closeCause = cause;
    }

    private void failStreams(RstStatus status, String message, boolean notify) {
        for (SpdyStream s : new ArrayList<>(streams.values())) {
            boolean retryable = s.locallyInitiated && s.id > peerLastGoodStreamId;
            terminate(s, new SpdyStreamResetException(status, retryable, message), notify);
        }
        failPendingOpens(message);
    }

    private void abort(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        queue.clearControl();
        queue.clearStreams();
        failStreams(RstStatus.CANCEL, cause == null ? "session closed" : "session closed: " + cause, true);
        closeNow(cause);
    }

    private void closeNow(Throwable cause) {
        state = State.CLOSED;
        closeCause = cause;
        headerEncoder.close();
        headerDecoder.close();
        for (PendingPing p : pings.values()) {
            deferred.add(() -> p.result.completeExceptionally(new IllegalStateException("session closed")));
        }
        pings.clear();
        if (!closedNotified) {
            closedNotified = true;
            deferred.add(() -> listener.onClosed(cause));
        }
    }

    /** Completes our own PING's round trip; false if we never sent this id (a stray echo to ignore). */
    boolean pingAnswered(int id) {
        PendingPing p = pings.remove(id);
        if (p == null) {
            return false;
        }
        Duration rtt = Duration.ofNanos(config.nanoClock().getAsLong() - p.sentNanos);
        deferred.add(() -> p.result.complete(rtt));
        return true;
    }

    /** Releases the lock; if this was the outermost hold, runs the listener calls collected under it. */
    void unlockAndRun() {
        if (lock.getHoldCount() > 1 || deferred.isEmpty()) {
            lock.unlock();
            return;
        }
        Runnable[] tasks = deferred.toArray(new Runnable[0]);
        deferred.clear();
        lock.unlock();
        for (Runnable r : tasks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "listener failed", e);
            }
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
        return "SpdySession[" + role + " " + version.protocolName() + " " + state + ", streams=" + streams.size() + "]";
    }

    private record PendingPing(long sentNanos, CompletableFuture<Duration> result) {
    }
}
