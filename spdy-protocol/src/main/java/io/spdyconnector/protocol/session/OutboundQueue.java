package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.codec.FrameEncoder;
import io.spdyconnector.protocol.codec.WriteBuffer;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.GoAwayFrame;
import io.spdyconnector.protocol.frame.HeadersFrame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynReplyFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.session.SpdyStream.Outbound;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Decides what goes on the wire next, and encodes it. Control frames leave first, in the order
 * they were queued (which keeps new stream ids ascending and header blocks in compression order);
 * then streams by SYN_STREAM priority (SPEC §2.3.3), 0 first, round-robin within a priority, one
 * frame per turn, DATA cut to {@code maxDataFrameLength} and to both flow-control windows. A stream
 * that has no window leaves the rings until a WINDOW_UPDATE brings it back, so a scheduling pass
 * never walks blocked streams. Guarded by the session lock.
 */
final class OutboundQueue {
    private static final int PRIORITIES = 8;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SpdySession session;
    private final FrameEncoder encoder;
    private final Consumer<Frame> observer;
    private final ArrayDeque<Object> control = new ArrayDeque<>(4);
    @SuppressWarnings("unchecked")
    private final ArrayDeque<SpdyStream>[] rings = new ArrayDeque[PRIORITIES];
    private ArrayDeque<SpdyStream> sessionBlocked;
    private int scheduledCount;

    OutboundQueue(SpdySession session, FrameEncoder encoder, Consumer<Frame> observer) {
        this.session = session;
        this.encoder = encoder;
        this.observer = observer;
    }

    void addControl(Object frameOrStream) {
        control.add(frameOrStream);
    }

    int controlSize() {
        return control.size();
    }

    void clearControl() {
        control.clear();
    }

    void schedule(SpdyStream s) {
        if (!s.scheduled && s.hasOutbound()) {
            s.scheduled = true;
            ArrayDeque<SpdyStream> ring = rings[s.priority];
            if (ring == null) {
                ring = new ArrayDeque<>(4);
                rings[s.priority] = ring;
            }
            ring.add(s);
            scheduledCount++;
        }
    }

    /** The session window opened: streams that waited on it compete again. */
    void sessionWindowOpened() {
        SpdyStream s;
        while (sessionBlocked != null && (s = sessionBlocked.poll()) != null) {
            s.scheduled = false;
            schedule(s);
        }
    }

    boolean hasOutput() {
        return !control.isEmpty() || scheduledCount > 0;
    }

    /** Encodes frames into {@code batch} until it holds about {@code cap} bytes or nothing is sendable. */
    void fill(OutputBatch batch, int cap) {
        while (batch.bytes() < cap) {
            Object c = control.poll();
            if (c != null) {
                encodeControl(c, batch.arena());
                continue;
            }
            SpdyStream s = nextStream();
            if (s == null) {
                return;
            }
            emit(s, batch);
        }
    }

    private SpdyStream nextStream() {
        if (scheduledCount == 0) {
            return null;
        }
        for (ArrayDeque<SpdyStream> ring : rings) {
            SpdyStream s;
            while (ring != null && (s = ring.poll()) != null) {
                scheduledCount--;
                s.scheduled = false;
                if (s.hasOutbound()) {
                    return s;
                }
            }
        }
        return null;
    }

    private void emit(SpdyStream s, OutputBatch batch) {
        Outbound item = s.peekOutbound();
        WriteBuffer out = batch.arena();
        if (item.kind != Outbound.Kind.DATA) {
            if (item.kind == Outbound.Kind.REPLY) {
                encoder.synReply(out, s.id, item.fin, item.headers);
                if (observer != null) {
                    observer.accept(new SynReplyFrame(s.id, item.fin, item.headers));
                }
            } else {
                encoder.headers(out, s.id, item.fin, item.headers);
                if (observer != null) {
                    observer.accept(new HeadersFrame(s.id, item.fin, item.headers));
                }
            }
            finishItem(s, batch, item);
            return;
        }
        int remaining = item.remaining();
        if (remaining == 0 && !item.fin) {
            // An empty write without FIN puts nothing on the wire.
            finishItem(s, batch, item);
            return;
        }
        int length = 0;
        if (remaining > 0) {
            int available = s.sendWindow.available();
            int sessionAvailable = session.flow.sendAvailable();
            if (available == 0) {
                // Waits off the rings for a WINDOW_UPDATE on the stream, or a larger initial window.
                return;
            }
            if (sessionAvailable == 0) {
                s.scheduled = true;
                if (sessionBlocked == null) {
                    sessionBlocked = new ArrayDeque<>(4);
                }
                sessionBlocked.add(s);
                return;
            }
            length = Math.min(Math.min(remaining, session.config.maxDataFrameLength()),
                    Math.min(available, sessionAvailable));
        }
        boolean last = length == remaining;
        boolean fin = item.fin && last;
        encoder.dataHeader(out, s.id, fin, length);
        if (length > 0) {
            ByteBuffer payload = item.data.slice(item.offset, length);
            batch.addPayload(payload);
            if (observer != null) {
                observer.accept(new DataFrame(s.id, payload.duplicate(), fin));
            }
        } else if (observer != null) {
            observer.accept(new DataFrame(s.id, EMPTY, fin));
        }
        if (length > 0) {
            item.offset += length;
            // The caller's buffer is consumed as it is sent, as a gathering channel write would.
            item.data.position(item.offset);
            if (session.version.hasFlowControl()) {
                s.sendWindow.consume(length);
                session.flow.sent(length);
            }
        }
        if (last) {
            finishItem(s, batch, item);
        } else {
            schedule(s);
        }
    }

    private void finishItem(SpdyStream s, OutputBatch batch, Outbound item) {
        s.pollOutbound();
        batch.addCompletion(item.callback);
        if (!s.hasOutbound()) {
            session.registry.outboundDrained(s);
        } else {
            schedule(s);
        }
    }

    /** Called when a window grew: the stream may send again. */
    void windowOpened(SpdyStream s) {
        if (!s.scheduled) {
            schedule(s);
        }
    }

    private void encodeControl(Object c, WriteBuffer out) {
        if (c instanceof SpdyStream) {
            SpdyStream s = (SpdyStream) c;
            encoder.synStream(out, s.id, s.associatedStreamId, s.priority, s.openFin, s.unidirectional, s.openHeaders);
            if (observer != null) {
                observer.accept(new SynStreamFrame(s.id, s.associatedStreamId, s.priority, 0, s.openFin,
                        s.unidirectional, s.openHeaders));
            }
            s.openHeaders = null;
            return;
        }
        Frame f = (Frame) c;
        if (f instanceof WindowUpdateFrame) {
            WindowUpdateFrame w = (WindowUpdateFrame) f;
            encoder.windowUpdate(out, w.streamId(), w.delta());
        } else if (f instanceof RstStreamFrame) {
            RstStreamFrame r = (RstStreamFrame) f;
            encoder.rstStream(out, r.streamId(), r.code());
        } else if (f instanceof PingFrame) {
            encoder.ping(out, ((PingFrame) f).id());
        } else if (f instanceof GoAwayFrame) {
            GoAwayFrame g = (GoAwayFrame) f;
            encoder.goAway(out, g.lastGoodStreamId(), g.code());
        } else {
            SettingsFrame sf = (SettingsFrame) f;
            encoder.settings(out, sf.clearSettings(), sf.settings());
        }
        if (observer != null) {
            observer.accept(f);
        }
    }

    /** Drops every stream from the rings (the session is failing). */
    void clearStreams() {
        for (int i = 0; i < PRIORITIES; i++) {
            if (rings[i] != null) {
                rings[i].forEach(s -> s.scheduled = false);
                rings[i] = null;
            }
        }
        if (sessionBlocked != null) {
            sessionBlocked.forEach(s -> s.scheduled = false);
            sessionBlocked = null;
        }
        scheduledCount = 0;
    }
}
