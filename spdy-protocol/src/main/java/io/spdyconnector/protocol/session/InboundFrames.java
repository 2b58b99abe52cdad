package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.codec.FrameListener;
import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.flow.FlowWindow;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.GoAwayFrame;
import io.spdyconnector.protocol.frame.HeadersFrame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynReplyFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderProblem;
import io.spdyconnector.protocol.stream.StreamState;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The session's rules for every frame it receives: stream ids, states, windows, limits. Runs on
 * the reader thread; each frame takes the session lock for its bookkeeping and calls the
 * application only after releasing it.
 */
final class InboundFrames implements FrameListener {
    private static final HeaderBlock NO_HEADERS = new HeaderBlock(1);

    private final SpdySession session;
    private final Consumer<Frame> observer;
    private boolean anyFrame;
    /** SYN_STREAMs in the current {@link SpdySession#receive} call. Reader thread. */
    private int newStreamsInRead;

    // The DATA frame being received.
    private SpdyStream dataTarget;
    private int dataStreamId;
    private boolean dataFin;
    private ByteBuffer observedData;

    InboundFrames(SpdySession session, Consumer<Frame> observer) {
        this.session = session;
        this.observer = observer;
    }

    /** A transport read begins: the per-read count of new streams starts again. Reader thread. */
    void readStarted() {
        newStreamsInRead = 0;
    }

    @Override
    public void onDataHeader(int streamId, int flags, int length) throws SessionException {
        boolean fin = (flags & Frame.FLAG_FIN) != 0;
        SpdyStream target = null;
        session.lock.lock();
        try {
            if (!anyFrame && session.role == Role.SERVER) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "not a SPDY session: the first frame is not a control frame");
            }
            anyFrame = true;
            String abuse = session.guard.data(length, fin);
            if (abuse != null) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, abuse);
            }
            // SPEC §2.6.8: every DATA frame counts against the session window, even one in error.
            if (!session.flow.received(length)) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "DATA exceeds the session flow-control window");
            }
            session.registry.releaseLongHeldSlots();
            boolean flowControl = session.version.hasFlowControl();
            SpdyStream s = session.registry.get(streamId);
            if (s == null) {
                session.flow.discarded(length);
                unknownStream(streamId, "DATA");
            } else {
                StreamState.Transition t = s.state.receive(StreamState.Inbound.DATA);
                if (t.isError()) {
                    session.flow.discarded(length);
                    session.resetByPeerError(streamId, t.error(), "DATA on stream " + streamId + " in state " + s.state);
                } else if (flowControl && !s.receiveWindow.receive(length)) {
                    // SPEC §2.6.8: more than the stream window is a stream flow-control error.
                    session.flow.discarded(length);
                    session.resetByPeerError(streamId, RstStatus.FLOW_CONTROL_ERROR, "DATA exceeds the stream window");
                } else {
                    s.state = t.next();
                    target = s;
                }
            }
        } finally {
            session.unlockAndRun();
        }
        dataTarget = target;
        dataStreamId = streamId;
        dataFin = fin;
        if (observer != null) {
            observedData = ByteBuffer.allocate(Math.min(length, 65536));
        }
    }

    @Override
    public void onDataPayload(ByteBuffer fragment, boolean endOfFrame) {
        if (observer != null) {
            ByteBuffer copy = fragment.duplicate();
            copy.limit(copy.position() + Math.min(copy.remaining(), observedData.remaining()));
            observedData.put(copy);
            if (endOfFrame) {
                observer.accept(new DataFrame(dataStreamId, observedData.flip(), dataFin));
            }
        }
        SpdyStream s = dataTarget;
        if (s == null) {
            return;
        }
        boolean fin = endOfFrame && dataFin;
        if (endOfFrame) {
            dataTarget = null;
        }
        if (fragment.hasRemaining() || fin) {
            if (fragment.hasRemaining() && !session.version.hasFlowControl()) {
                session.lock.lock();
                try {
                    session.flow.delivered(fragment.remaining());
                } finally {
                    session.lock.unlock();
                }
            }
            StreamListener l = s.listener;
            if (l == null) {
                s.consumed(fragment.remaining());
            } else {
                try {
                    l.onData(s, fragment, fin);
                } catch (RuntimeException e) {
                    applicationFailed(s, e);
                }
            }
        }
        if (fin) {
            remoteFin(s);
        }
    }

    /** Applies the peer's FIN after the listener saw the frame that carried it, so onClosed comes last. */
    private void remoteFin(SpdyStream s) {
        session.lock.lock();
        try {
            if (s.inRegistry) {
                session.registry.remoteFin(s);
            }
        } finally {
            session.unlockAndRun();
        }
    }

    /** Frames for a stream not in the registry (SPEC §2.2.2, §2.3.7; Netty's resolution of the overlap). */
    private void unknownStream(int streamId, String what) {
        if (session.registry.recentResets.contains(streamId)) {
            return;
        }
        boolean peerId = !session.role.owns(streamId);
        boolean neverOpened = session.registry.neverOpened(streamId);
        if (peerId && neverOpened && session.goAwaySent) {
            // SPEC §2.6.6: after our GOAWAY, new streams are ignored.
            return;
        }
        if (neverOpened) {
            session.resetByPeerError(streamId, RstStatus.INVALID_STREAM, what + " for stream " + streamId + " never opened");
        } else {
            session.resetByPeerError(streamId, RstStatus.PROTOCOL_ERROR, what + " for closed stream " + streamId);
        }
    }

    @Override
    public int headerBudget(int streamId, boolean additionalHeaders) {
        int max = session.config.maxHeaderBytes();
        if (!additionalHeaders) {
            return max;
        }
        session.lock.lock();
        try {
            SpdyStream s = session.registry.get(streamId);
            return s == null ? max : Math.max(0, max - s.headerBytes);
        } finally {
            session.lock.unlock();
        }
    }

    @Override
    public void onSynStream(int streamId, int associatedStreamId, int priority, int slot, int flags,
            HeaderBlock headers, HeaderProblem problem, String detail) throws SessionException {
        boolean fin = (flags & Frame.FLAG_FIN) != 0;
        boolean unidirectional = (flags & Frame.FLAG_UNIDIRECTIONAL) != 0;
        if (observer != null) {
            observer.accept(new SynStreamFrame(streamId, associatedStreamId, priority, slot, fin, unidirectional,
                    headers == null ? NO_HEADERS : headers));
        }
        SpdyStream s;
        session.lock.lock();
        try {
            anyFrame = true;
            s = admit(streamId, associatedStreamId, priority, fin, unidirectional, problem, detail);
        } finally {
            session.unlockAndRun();
        }
        if (s == null) {
            return;
        }
        if (problem == HeaderProblem.TOO_LARGE) {
            answerHeadersTooLarge(s, fin);
            return;
        }
        StreamListener l;
        try {
            l = session.listener.onStream(s, headers, fin);
        } catch (RuntimeException e) {
            applicationFailed(s, e);
            return;
        }
        if (l == null) {
            s.reset(RstStatus.REFUSED_STREAM);
            return;
        }
        s.listener = l;
        if (fin && session.role == Role.CLIENT) {
            remoteFin(s);
        }
    }

    /**
     * A request whose headers are over {@code maxHeaderBytes} or {@code maxHeaderCount}, answered the
     * way an HTTP/1.1 server answers it: 431, before any application sees it. Resetting the stream
     * instead would leave the client with no status to show; the block was inflated to its end, so
     * the session goes on. A body still to come is refused with CANCEL once the answer is written,
     * and its DATA is credited like that of any reset stream.
     */
    private void answerHeadersTooLarge(SpdyStream s, boolean fin) {
        s.listener = new StreamListener() { };
        s.reply(HeaderBlock.of(":status", "431 Request Header Fields Too Large", ":version", "HTTP/1.1",
                "content-length", "0"), true, new WriteCallback() {
                    @Override
                    public void succeeded() {
                        if (!fin) {
                            s.reset(RstStatus.CANCEL);
                        }
                    }

                    @Override
                    public void failed(Throwable cause) {
                    }
                });
    }

    /** Admission rules for a peer's SYN_STREAM; the stream, or null when it was refused or reset. Locked. */
    private SpdyStream admit(int streamId, int associatedStreamId, int priority, boolean fin, boolean unidirectional,
            HeaderProblem problem, String detail) throws SessionException {
        // SPEC §2.3.2: each side opens streams of its own parity.
        if (session.role.owns(streamId)) {
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "SYN_STREAM " + streamId + " has this side's parity");
        }
        // Counted even after GOAWAY: an ignored SYN_STREAM's block is still inflated, and a burst a
        // browser sent as the GOAWAY crossed it stays under the cap's floor of 100.
        String flood = session.guard.newStreamInRead(++newStreamsInRead, session.config.maxConcurrentStreams());
        if (flood != null) {
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, flood);
        }
        if (session.goAwaySent) {
            // SPEC §2.6.6: after GOAWAY new SYN_STREAMs are ignored; the block was still inflated.
            return null;
        }
        if (streamId <= session.registry.lastRemoteId) {
            if (session.registry.streams.containsKey(streamId)) {
                // SPEC §2.3.2: a second SYN_STREAM for a stream is a stream error.
                session.resetByPeerError(streamId, RstStatus.PROTOCOL_ERROR, "duplicate SYN_STREAM " + streamId);
                return null;
            }
            // SPEC §2.3.2: ids increase monotonically; a lower one is a session error.
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR,
                    "SYN_STREAM " + streamId + " not above previous " + session.registry.lastRemoteId);
        }
        session.registry.lastRemoteId = streamId;
        // A request over the header limits is admitted like any other, to be answered 431 (see answerHeadersTooLarge).
        if (problem == HeaderProblem.INVALID || (problem == HeaderProblem.TOO_LARGE && session.role == Role.CLIENT)) {
            session.resetByPeerError(streamId,
                    problem == HeaderProblem.TOO_LARGE ? RstStatus.FRAME_TOO_LARGE : RstStatus.PROTOCOL_ERROR,
                    session.headerDecoder.problemDetail());
            return null;
        }
        StreamState initial;
        if (session.role == Role.CLIENT) {
            SpdyStream associated = session.registry.get(associatedStreamId);
            // SPEC §3.3.2: a push is unidirectional and tied to an open stream this side opened.
            if (associated == null || !associated.locallyInitiated || !unidirectional) {
                session.resetByPeerError(streamId, RstStatus.PROTOCOL_ERROR,
                        "push " + streamId + " is not associated with an open stream");
                return null;
            }
            initial = StreamState.LOCAL_CLOSED;
        } else {
            if (unidirectional || associatedStreamId != 0) {
                session.resetByPeerError(streamId, RstStatus.PROTOCOL_ERROR, "clients cannot push");
                return null;
            }
            initial = fin ? StreamState.REMOTE_CLOSED : StreamState.OPEN;
        }
        if (session.state != SpdySession.State.OPEN || session.registry.remoteSlotsFull()) {
            // A peer that keeps opening streams past the limit it can see makes work for nothing.
            // Slots held by applications of streams already closed it cannot see: not counted.
            if (session.state != SpdySession.State.OPEN
                    || session.registry.remoteCount >= session.config.maxConcurrentStreams()) {
                String abuse = session.guard.refusedStream(session.config.maxConcurrentStreams());
                if (abuse != null) {
                    throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, abuse);
                }
            }
            // SPEC §2.6.3: REFUSED_STREAM promises no processing happened, so the peer may retry.
            session.sendReset(streamId, RstStatus.REFUSED_STREAM);
            return null;
        }
        SpdyStream s = session.registry.admitRemote(streamId, priority, associatedStreamId, unidirectional, initial,
                session.headerDecoder.retainedBytes());
        session.guard.streamAdmitted();
        int maxStreams = session.config.maxStreamsPerSession();
        if (maxStreams > 0 && session.role == Role.SERVER && session.registry.remoteAdmitted >= maxStreams) {
            // SPEC §2.6.6: GOAWAY names this stream as the last processed; later ones are ignored.
            session.drain("stream limit of the session reached");
        }
        return s;
    }

    @Override
    public void onSynReply(int streamId, int flags, HeaderBlock headers, HeaderProblem problem, String detail)
            throws SessionException {
        boolean fin = (flags & Frame.FLAG_FIN) != 0;
        if (observer != null) {
            observer.accept(new SynReplyFrame(streamId, fin, headers == null ? NO_HEADERS : headers));
        }
        SpdyStream s = headerFrame(streamId, StreamState.Inbound.SYN_REPLY, fin, problem, "SYN_REPLY");
        if (s == null) {
            return;
        }
        try {
            StreamListener l = s.listener;
            if (l != null) {
                l.onReply(s, headers, fin);
            }
        } catch (RuntimeException e) {
            applicationFailed(s, e);
        }
        if (fin) {
            remoteFin(s);
        }
    }

    @Override
    public void onHeaders(int streamId, int flags, HeaderBlock headers, HeaderProblem problem, String detail)
            throws SessionException {
        boolean fin = (flags & Frame.FLAG_FIN) != 0;
        if (observer != null) {
            observer.accept(new HeadersFrame(streamId, fin, headers == null ? NO_HEADERS : headers));
        }
        SpdyStream s = headerFrame(streamId, StreamState.Inbound.HEADERS, fin, problem, "HEADERS");
        if (s == null) {
            return;
        }
        try {
            StreamListener l = s.listener;
            if (l != null) {
                l.onHeaders(s, headers, fin);
            }
        } catch (RuntimeException e) {
            applicationFailed(s, e);
        }
        if (fin) {
            remoteFin(s);
        }
    }

    /** State rules shared by SYN_REPLY and HEADERS; the stream to notify, or null. */
    private SpdyStream headerFrame(int streamId, StreamState.Inbound kind, boolean fin, HeaderProblem problem,
            String what) throws SessionException {
        session.lock.lock();
        try {
            anyFrame = true;
            if (kind == StreamState.Inbound.HEADERS && !fin && session.role == Role.SERVER) {
                // HEADERS that do not end the stream add headers and nothing else: a stream of
                // them is the SPDY form of the CONTINUATION flood, paid like any control frame.
                String abuse = session.guard.controlFrame("HEADERS");
                if (abuse != null) {
                    throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, abuse);
                }
            }
            SpdyStream s = session.registry.get(streamId);
            if (s == null) {
                unknownStream(streamId, what);
                return null;
            }
            if (kind == StreamState.Inbound.SYN_REPLY && !s.locallyInitiated) {
                session.resetByPeerError(streamId, RstStatus.PROTOCOL_ERROR, "SYN_REPLY on a stream the peer opened");
                return null;
            }
            StreamState.Transition t = s.state.receive(kind);
            if (t.isError()) {
                session.resetByPeerError(streamId, t.error(), what + " on stream " + streamId + " in state " + s.state);
                return null;
            }
            if (problem != null) {
                session.resetByPeerError(streamId,
                        problem == HeaderProblem.TOO_LARGE ? RstStatus.FRAME_TOO_LARGE : RstStatus.PROTOCOL_ERROR,
                        session.headerDecoder.problemDetail());
                return null;
            }
            s.headerBytes += session.headerDecoder.retainedBytes();
            s.state = t.next();
            return s;
        } finally {
            session.unlockAndRun();
        }
    }

    @Override
    public void onRstStream(int streamId, int statusCode) throws SessionException {
        RstStatus status = RstStatus.of(statusCode);
        if (observer != null) {
            observer.accept(new RstStreamFrame(streamId, statusCode));
        }
        session.lock.lock();
        try {
            anyFrame = true;
            session.counters.resetReceived(status);
            SpdyStream s = session.registry.get(streamId);
            // A reset of a stream this side opened answers our own request (REFUSED_STREAM sent
            // before the peer's SETTINGS arrived, a cancelled push): free while the stream is open,
            // the price of a control frame once it has finished. A peer's stream whose reply is
            // already on its way was worth its request, and cancelling it (a player seeking, a
            // page left) costs a control frame too. Resets of the peer's streams before any reply,
            // or of unknown streams, are overhead it chose (Rapid Reset) and pay the full reset cost.
            String abuse = null;
            if (s == null && session.role.owns(streamId) && !session.registry.neverOpened(streamId)) {
                abuse = session.guard.controlFrame("RST_STREAM");
            } else if (s != null && !s.locallyInitiated && s.replySent) {
                abuse = session.guard.controlFrame("RST_STREAM");
            } else if (s == null || !s.locallyInitiated) {
                abuse = session.guard.resetReceived();
            }
            if (abuse != null) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, abuse);
            }
            // SPEC §2.4.2: never answer a RST_STREAM with a RST_STREAM.
            if (s != null) {
                session.registry.recentResets.add(streamId);
                if (status == RstStatus.REFUSED_STREAM && s.locallyInitiated) {
                    s.refused = true;
                    session.registry.refusedByPeer(s);
                }
                session.registry.terminate(s, new SpdyStreamResetException(status, status == RstStatus.REFUSED_STREAM,
                        "stream " + streamId + " reset by peer: " + status), true);
            }
        } finally {
            session.unlockAndRun();
        }
    }

    @Override
    public void onSettings(int flags, int count, int[] entryFlags, int[] ids, int[] values) throws SessionException {
        List<Setting> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new Setting(entryFlags[i], ids[i], values[i]));
        }
        SettingsFrame frame = new SettingsFrame((flags & Frame.FLAG_SETTINGS_CLEAR_SETTINGS) != 0, entries);
        if (observer != null) {
            observer.accept(frame);
        }
        session.lock.lock();
        try {
            anyFrame = true;
            String abuse = session.guard.controlFrame("SETTINGS");
            if (abuse != null) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, abuse);
            }
            long maxStreams = frame.value(Setting.MAX_CONCURRENT_STREAMS);
            if (maxStreams >= 0) {
                session.peerMaxConcurrentStreams = (int) Math.min(maxStreams, Integer.MAX_VALUE);
            }
            long window = frame.value(Setting.INITIAL_WINDOW_SIZE);
            // SPDY/2 has no windows: a setting 7 there means nothing.
            if (window >= 0 && session.version.hasFlowControl()) {
                applyInitialWindow(window);
            }
            session.registry.activatePendingOpens();
            session.defer(() -> session.listener.onSettings(frame));
        } finally {
            session.unlockAndRun();
        }
    }

    /** SPEC §2.6.8: a new initial window moves every open stream's window by the difference. Locked. */
    private void applyInitialWindow(long window) throws SessionException {
        if (window > FlowWindow.MAX) {
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "INITIAL_WINDOW_SIZE " + window + " above 2^31-1");
        }
        long delta = window - session.peerInitialWindow;
        session.peerInitialWindow = (int) window;
        if (delta == 0) {
            return;
        }
        for (SpdyStream s : session.registry.snapshot()) {
            if (!s.sendWindow.grow(delta)) {
                session.resetByPeerError(s.id, RstStatus.FLOW_CONTROL_ERROR, "stream window above 2^31-1");
            } else if (delta > 0 && s.sendWindow.size() > 0) {
                session.queue.windowOpened(s);
                session.deferOutputSignal();
            }
        }
    }

    @Override
    public void onPing(int id) throws SessionException {
        if (observer != null) {
            observer.accept(new PingFrame(id));
        }
        session.lock.lock();
        try {
            anyFrame = true;
            session.registry.releaseLongHeldSlots();
            // SPEC §2.6.5: an id of our parity is an echo; one we did not send is ignored.
            if (session.role.owns(id)) {
                session.pingAnswered(id);
                return;
            }
            String abuse = session.guard.controlFrame("PING");
            if (abuse != null) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, abuse);
            }
            if (!session.stateIsAtLeast(SpdySession.State.CLOSING)) {
                session.enqueueControl(new PingFrame(id));
            }
        } finally {
            session.unlockAndRun();
        }
    }

    @Override
    public void onGoAway(int lastGoodStreamId, int statusCode) {
        if (observer != null) {
            observer.accept(new GoAwayFrame(lastGoodStreamId, statusCode));
        }
        session.lock.lock();
        try {
            anyFrame = true;
            session.goAwayReceived(lastGoodStreamId, GoAwayStatus.of(statusCode));
        } finally {
            session.unlockAndRun();
        }
    }

    @Override
    public void onWindowUpdate(int streamId, int delta) throws SessionException {
        if (observer != null) {
            observer.accept(new WindowUpdateFrame(streamId, delta));
        }
        session.lock.lock();
        try {
            anyFrame = true;
            String abuse = session.guard.windowUpdate(delta);
            if (abuse != null) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, abuse);
            }
            if (streamId == 0) {
                if (!session.version.hasSessionFlowControl()) {
                    return;
                }
                // SPEC §2.6.8: the session window never exceeds 2^31-1.
                if (!session.flow.grow(delta)) {
                    throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "session window above 2^31-1");
                }
                if (session.flow.canSend()) {
                    session.queue.sessionWindowOpened();
                    session.deferOutputSignal();
                }
                return;
            }
            SpdyStream s = session.registry.get(streamId);
            if (s == null) {
                // SPEC §2.3.6: WINDOW_UPDATE may trail a stream's close; nothing to do.
                return;
            }
            if (!s.sendWindow.grow(delta)) {
                session.resetByPeerError(streamId, RstStatus.FLOW_CONTROL_ERROR, "stream window above 2^31-1");
            } else if (s.sendWindow.size() > 0) {
                session.queue.windowOpened(s);
                session.deferOutputSignal();
            }
        } finally {
            session.unlockAndRun();
        }
    }

    @Override
    public void onVersion(int wireVersion) {
        session.versionChosen(wireVersion);
    }

    @Override
    public void onUnknownControlFrame(int type, int flags, int length) throws SessionException {
        session.lock.lock();
        try {
            anyFrame = true;
            String abuse = session.guard.controlFrame("unknown control (type " + type + ")");
            if (abuse != null) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, abuse);
            }
        } finally {
            session.unlockAndRun();
        }
    }

    /** The application threw while handling a stream event: the stream is reset, the session goes on. */
    private void applicationFailed(SpdyStream s, RuntimeException e) {
        System.getLogger(InboundFrames.class.getName()).log(System.Logger.Level.WARNING,
                "stream " + s + " listener failed; resetting the stream", e);
        s.reset(RstStatus.INTERNAL_ERROR);
        StreamListener l = s.listener;
        if (l != null) {
            // The listener hears that its stream is gone, so whoever waits on it is released.
            try {
                l.onReset(s, new SpdyStreamResetException(RstStatus.INTERNAL_ERROR, false,
                        "stream listener failed: " + e));
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
        }
    }
}
