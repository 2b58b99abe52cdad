package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.session.SessionStatistics;
import org.apache.coyote.RequestGroupInfo;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The MBean of one SPDY protocol registration, at the name Tomcat gives upgrade protocols
 * ({@code type=GlobalRequestProcessor,name=...,Upgrade=spdy/3.1}), so Tomcat also removes it when
 * the connector is destroyed. It carries Tomcat's request statistics, as HTTP/2's does, plus the
 * session and stream counters: live ones summed over open sessions, totals kept as sessions close.
 */
public class SpdyRequestGroupInfo extends RequestGroupInfo {
    private final SpdyUpgradeProtocol protocol;
    private final LongAdder sessionsOpened = new LongAdder();
    private final LongAdder closedStreamsOpened = new LongAdder();
    private final LongAdder closedResetsSent = new LongAdder();
    private final LongAdder closedResetsReceived = new LongAdder();
    private final LongAdder closedGoAwaysSent = new LongAdder();
    private final LongAdder closedGoAwaysReceived = new LongAdder();
    private final LongAdder closedAbuseTrips = new LongAdder();
    private final LongAdder closedBytesWritten = new LongAdder();
    private final AtomicLong bufferedRequestBytes = new AtomicLong();
    private final AtomicLong maxStreamBufferedRequestBytes = new AtomicLong();

    SpdyRequestGroupInfo(SpdyUpgradeProtocol protocol) {
        this.protocol = protocol;
    }

    void sessionOpened() {
        sessionsOpened.increment();
    }

    void sessionClosed(SessionStatistics s) {
        if (s == null) {
            return;
        }
        closedStreamsOpened.add(s.streamsOpened());
        closedResetsSent.add(sum(s.resetsSent()));
        closedResetsReceived.add(sum(s.resetsReceived()));
        closedGoAwaysSent.add(sum(s.goAwaysSent()));
        closedGoAwaysReceived.add(sum(s.goAwaysReceived()));
        closedAbuseTrips.add(s.abuseTrips());
        closedBytesWritten.add(s.bytesWritten());
    }

    /** A stream's input buffer grew or shrank by {@code delta}; {@code streamTotal} is what it holds now. */
    void requestBytesBuffered(long delta, long streamTotal) {
        bufferedRequestBytes.addAndGet(delta);
        maxStreamBufferedRequestBytes.accumulateAndGet(streamTotal, Math::max);
    }

    private static long sum(Map<String, Long> counts) {
        long n = 0;
        for (Long v : counts.values()) {
            n += v;
        }
        return n;
    }

    private long live(java.util.function.ToLongFunction<SessionStatistics> f) {
        long n = 0;
        for (SpdyUpgradeHandler h : protocol.handlers()) {
            SessionStatistics s = h.getStatistics();
            if (s != null) {
                n += f.applyAsLong(s);
            }
        }
        return n;
    }

    /** Sessions open now. */
    public int getSessionCount() {
        return protocol.handlers().size();
    }

    public long getSessionsOpened() {
        return sessionsOpened.sum();
    }

    /** Streams open now, over all sessions. */
    public long getActiveStreams() {
        return live(SessionStatistics::remoteStreams);
    }

    /** Streams run on container threads now, over all sessions. */
    public long getExecutingStreams() {
        long n = 0;
        for (SpdyUpgradeHandler h : protocol.handlers()) {
            n += h.executingStreams();
        }
        return n;
    }

    /** Streams waiting for one of their session's execution slots now. */
    public long getQueuedStreams() {
        long n = 0;
        for (SpdyUpgradeHandler h : protocol.handlers()) {
            n += h.queuedStreams();
        }
        return n;
    }

    public long getStreamsOpened() {
        return closedStreamsOpened.sum() + live(SessionStatistics::streamsOpened);
    }

    public long getResetsSent() {
        return closedResetsSent.sum() + live(s -> sum(s.resetsSent()));
    }

    public long getResetsReceived() {
        return closedResetsReceived.sum() + live(s -> sum(s.resetsReceived()));
    }

    public long getGoAwaysSent() {
        return closedGoAwaysSent.sum() + live(s -> sum(s.goAwaysSent()));
    }

    public long getGoAwaysReceived() {
        return closedGoAwaysReceived.sum() + live(s -> sum(s.goAwaysReceived()));
    }

    /** Sessions the overhead budget ended (frame floods). */
    public long getAbuseTrips() {
        return closedAbuseTrips.sum() + live(SessionStatistics::abuseTrips);
    }

    /** Bytes of SPDY frames written to sockets. */
    public long getFrameBytesWritten() {
        return closedBytesWritten.sum() + live(SessionStatistics::bytesWritten);
    }

    /** Request body bytes received and not yet read by applications, over all streams. */
    public long getBufferedRequestBytes() {
        return bufferedRequestBytes.get();
    }

    /** The most request body bytes one stream ever held unread: never above the stream window. */
    public long getMaxStreamBufferedRequestBytes() {
        return maxStreamBufferedRequestBytes.get();
    }
}
