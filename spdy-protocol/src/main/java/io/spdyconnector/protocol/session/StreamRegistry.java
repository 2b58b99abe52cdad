package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.flow.FlowWindow;
import io.spdyconnector.protocol.flow.ReceiveWindow;
import io.spdyconnector.protocol.stream.StreamState;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The streams of one session: which are open, which wait for the peer's concurrency limit, the
 * ids used on each side, and how a stream leaves (completed or terminated). Guarded by the
 * session lock; listener calls are deferred until it is released.
 */
final class StreamRegistry {
    private final SpdySession session;
    final Map<Integer, SpdyStream> streams = new HashMap<>(4);
    final ArrayDeque<SpdyStream> pendingOpens = new ArrayDeque<>(2);
    final RecentResets recentResets = new RecentResets(64);
    int remoteCount;
    int localCount;
    /**
     * Slots the peer refused a stream of ours for (RST_STREAM REFUSED_STREAM) although its limit
     * seemed to allow it: a server keeps a slot until the application behind a finished stream is
     * done too, which this side cannot see. Each such slot is taken as still held until another
     * stream of ours closes, so that queued streams (and a refused request sent again) wait for the
     * peer to make progress instead of being refused in a burst. Held slots are also let go at
     * the first DATA, PING or new stream of ours at least {@link #HELD_SLOT_NANOS} after the last
     * refusal, so that streams of ours that stay open for long (a download, a stream of events)
     * do not keep queued ones waiting as long.
     */
    int slotsHeldByPeer;
    /** When the peer last refused a stream of ours (the session's clock). */
    private long lastRefusalNanos;
    /** How long a refused slot counts as held without a close: the application behind it is about done. */
    static final long HELD_SLOT_NANOS = 1_000_000_000L;
    /** Streams whose application is still working, open or not. */
    int applicationActive;
    /** Peer streams that left the registry while their application still works: they keep their slot. */
    int detachedApplications;
    int nextLocalId;
    int lastRemoteId;
    int lastAdmittedRemoteId;
    /** Streams the peer opened that were admitted, over the session's life. */
    int remoteAdmitted;

    StreamRegistry(SpdySession session) {
        this.session = session;
        this.nextLocalId = session.role.firstStreamId();
    }

    SpdyStream get(int id) {
        return streams.get(id);
    }

    boolean isEmpty() {
        return streams.isEmpty() && pendingOpens.isEmpty();
    }

    /** Whether {@code id} was never used on this session (SPEC §2.2.2 INVALID_STREAM vs §2.3.7). */
    boolean neverOpened(int id) {
        return session.role.owns(id) ? id >= nextLocalId : id > lastRemoteId;
    }

    /**
     * Whether a new peer stream would exceed {@code maxConcurrentStreams}: open peer streams, and
     * closed ones whose application has not finished, each hold a slot.
     */
    boolean remoteSlotsFull() {
        return remoteCount + detachedApplications >= session.config.maxConcurrentStreams();
    }

    void applicationStarted(SpdyStream s) {
        applicationActive++;
    }

    void applicationFinished(SpdyStream s) {
        applicationActive--;
        if (!s.inRegistry && !s.locallyInitiated) {
            detachedApplications--;
        }
    }

    /** Bytes of DATA queued on open streams and not yet written: what the peer's windows or the socket hold back. */
    long queuedDataBytes() {
        long n = 0;
        for (SpdyStream s : streams.values()) {
            n += s.queuedBytes();
        }
        return n;
    }

    /** Admits a stream the peer opened. */
    SpdyStream admitRemote(int id, int priority, int associatedId, boolean unidirectional, StreamState initial,
            int headerBytes) {
        SpdyStream s = new SpdyStream(session, id, priority, associatedId, false, unidirectional, initial, null);
        open(s);
        s.headerBytes = headerBytes;
        remoteCount++;
        remoteAdmitted++;
        lastAdmittedRemoteId = id;
        return s;
    }

    /** Registers stream 1 of an upgraded connection; no SYN_STREAM was or will be sent for it. */
    SpdyStream adoptUpgradeStream(int priority, StreamListener listener) {
        SpdyStream s;
        if (session.role == Role.SERVER) {
            s = admitRemote(1, priority, 0, false, StreamState.REMOTE_CLOSED, 0);
            lastRemoteId = 1;
        } else {
            s = new SpdyStream(session, 1, priority, 0, true, false, StreamState.AWAITING_REPLY_LOCAL_CLOSED, null);
            open(s);
            localCount++;
            nextLocalId = 3;
        }
        s.listener = listener;
        return s;
    }

    /** Gives queued local streams ids and SYN_STREAMs while the peer's limit allows (SPEC §2.6.4). */
    void activatePendingOpens() {
        while (!pendingOpens.isEmpty() && localSlotsInUse() < session.peerMaxConcurrentStreams
                && session.state == SpdySession.State.OPEN) {
            SpdyStream s = pendingOpens.poll();
            if (nextLocalId <= 0) {
                // SPEC §2.3.2: ids do not wrap; a new session is needed.
                terminate(s, new SpdyStreamResetException(RstStatus.REFUSED_STREAM, true, "stream ids exhausted"), true);
                continue;
            }
            activateLocal(s);
        }
        if (nextLocalId <= 0 && session.state == SpdySession.State.OPEN) {
            session.drain("stream ids exhausted");
        }
    }

    /**
     * Open local streams, and the slots the peer still holds for refused ones; only while some
     * stream of ours is open, whose closing can tell that the peer moved on.
     */
    int localSlotsInUse() {
        return localCount + Math.min(slotsHeldByPeer, localCount);
    }

    /** The peer refused a stream of ours: see {@link #slotsHeldByPeer}. */
    void refusedByPeer(SpdyStream s) {
        // A client's requests only: a server's pushes do not wait for the client's limit.
        if (session.role == Role.CLIENT) {
            if (slotsHeldByPeer < session.peerMaxConcurrentStreams) {
                slotsHeldByPeer++;
            }
            lastRefusalNanos = session.config.nanoClock().getAsLong();
        }
    }

    /**
     * Lets held slots go once {@link #HELD_SLOT_NANOS} passed since the last refusal, and opens
     * the streams that waited for them. Checked as DATA and PING arrive and new streams are made, so a
     * session that neither receives nor opens anything waits for a close as before.
     */
    void releaseLongHeldSlots() {
        if (slotsHeldByPeer > 0 && !pendingOpens.isEmpty()
                && session.config.nanoClock().getAsLong() - lastRefusalNanos >= HELD_SLOT_NANOS) {
            slotsHeldByPeer = 0;
            activatePendingOpens();
        }
    }

    /** Gives a local stream the next id and queues its SYN_STREAM. */
    void activateLocal(SpdyStream s) {
        s.id = nextLocalId;
        nextLocalId += 2;
        open(s);
        localCount++;
        session.queue.addControl(s);
        session.queue.schedule(s);
        session.deferOutputSignal();
    }

    private void open(SpdyStream s) {
        // SPDY/2 has no windows: only the transport holds a sender back.
        s.sendWindow = new FlowWindow(session.version.hasFlowControl() ? session.peerInitialWindow : FlowWindow.MAX);
        s.receiveWindow = new ReceiveWindow(session.config.initialWindowSize());
        s.inRegistry = true;
        streams.put(s.id, s);
        session.counters.streamOpened();
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
        if (s.state == StreamState.CLOSED && !s.hasOutbound()) {
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
            localCount--;
            if (!s.refused && slotsHeldByPeer > 0) {
                slotsHeldByPeer--;
            }
        } else {
            remoteCount--;
            if (s.applicationActive) {
                detachedApplications++;
            }
        }
        StreamListener l = s.listener;
        if (l != null) {
            session.defer(() -> l.onClosed(s));
        }
        activatePendingOpens();
        if (streams.isEmpty()) {
            session.streamsIdle();
        }
    }

    /** Closes a stream without completing it: queued writes fail and the listener hears why. */
    void terminate(SpdyStream s, SpdyStreamResetException cause, boolean notify) {
        s.state = StreamState.CLOSED;
        SpdyStream.Outbound item;
        while ((item = s.pollOutbound()) != null) {
            WriteCallback c = item.callback;
            if (c != null && c != WriteCallback.NOOP) {
                session.defer(() -> SpdySession.runCallback(c, cause));
            }
        }
        StreamListener l = s.listener;
        if (notify && l != null) {
            session.defer(() -> l.onReset(s, cause));
        }
        remove(s);
    }

    /** Fails every stream not yet sent: nothing was processed, so the caller may retry them. */
    void failPendingOpens(String why) {
        SpdyStream s;
        while ((s = pendingOpens.poll()) != null) {
            terminate(s, new SpdyStreamResetException(RstStatus.REFUSED_STREAM, true, why + ": stream not sent"), true);
        }
    }

    /** Fails every stream; those above the peer's last-good id were never processed and may be retried. */
    void failAll(RstStatus status, String message, int peerLastGood) {
        for (SpdyStream s : new ArrayList<>(streams.values())) {
            boolean retryable = s.locallyInitiated && s.id > peerLastGood;
            terminate(s, new SpdyStreamResetException(status, retryable, message), true);
        }
        failPendingOpens(message);
    }

    /** Fails the local streams the peer's GOAWAY says it never processed (SPEC §2.6.6). */
    void failAbove(int lastGood) {
        for (SpdyStream s : new ArrayList<>(streams.values())) {
            if (s.locallyInitiated && s.id > lastGood) {
                terminate(s, new SpdyStreamResetException(RstStatus.REFUSED_STREAM, true,
                        "stream " + s.id + " above GOAWAY last-good " + lastGood + ": not processed"), true);
            }
        }
    }

    /** Every open stream, for settings that touch them all. */
    ArrayList<SpdyStream> snapshot() {
        return new ArrayList<>(streams.values());
    }
}
