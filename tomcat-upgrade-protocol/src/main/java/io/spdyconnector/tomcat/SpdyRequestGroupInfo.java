package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.session.SessionMetrics;
import io.spdyconnector.protocol.session.SessionStatistics;
import org.apache.coyote.RequestGroupInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MBean of one SPDY protocol registration, at the name Tomcat gives upgrade protocols
 * ({@code type=GlobalRequestProcessor,name=...,Upgrade=spdy/3.1}), so Tomcat also removes it when
 * the connector is destroyed. It carries Tomcat's request statistics, as HTTP/2's does, plus the
 * engine's {@link SessionMetrics} (the same names as on Jetty): live gauges summed over open
 * sessions, totals kept as sessions close. Counts by status are strings ({@code CANCEL=2,
 * REFUSED_STREAM=1}) so any JMX client can read them.
 */
public class SpdyRequestGroupInfo extends RequestGroupInfo {
    private final SpdyUpgradeProtocol protocol;
    private final SessionMetrics metrics;
    private final AtomicLong bufferedRequestBytes = new AtomicLong();
    private final AtomicLong maxStreamBufferedRequestBytes = new AtomicLong();

    SpdyRequestGroupInfo(SpdyUpgradeProtocol protocol) {
        this.protocol = protocol;
        this.metrics = new SessionMetrics(this::liveStatistics);
    }

    private List<SessionStatistics> liveStatistics() {
        List<SessionStatistics> all = new ArrayList<>();
        for (SpdyUpgradeHandler h : protocol.handlers()) {
            all.add(h.getStatistics());
        }
        return all;
    }

    /** The engine's counters of this registration's sessions. */
    public SessionMetrics metrics() {
        return metrics;
    }

    void sessionOpened() {
        metrics.sessionOpened();
    }

    void sessionClosed(SessionStatistics s) {
        metrics.sessionClosed(s);
    }

    /** A stream's input buffer grew or shrank by {@code delta}; {@code streamTotal} is what it holds now. */
    void requestBytesBuffered(long delta, long streamTotal) {
        bufferedRequestBytes.addAndGet(delta);
        maxStreamBufferedRequestBytes.accumulateAndGet(streamTotal, Math::max);
    }

    private static String text(Map<String, Long> counts) {
        return counts.toString().replaceAll("[{}]", "");
    }

    /** Sessions open now. */
    public int getSessionCount() {
        return protocol.handlers().size();
    }

    public long getSessionsOpened() {
        return metrics.sessionsOpened();
    }

    /** Streams open now, over all sessions. */
    public long getActiveStreams() {
        return metrics.openStreams();
    }

    /** Streams whose servlet has not finished, open or already closed: each holds a concurrency slot. */
    public long getApplicationStreams() {
        return metrics.applicationStreams();
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

    /** Control frames waiting for sockets now. */
    public long getQueuedControlFrames() {
        return metrics.queuedControlFrames();
    }

    /** Response DATA bytes queued in sessions now, waiting for windows or sockets. */
    public long getQueuedDataBytes() {
        return metrics.queuedDataBytes();
    }

    /** Bytes being written to sockets now. */
    public long getBufferedOutputBytes() {
        return metrics.bufferedOutputBytes();
    }

    /** Sessions holding a native zlib inflater now. */
    public long getLiveInflaters() {
        return metrics.liveInflaters();
    }

    /** Sessions holding a native zlib deflater now. */
    public long getLiveDeflaters() {
        return metrics.liveDeflaters();
    }

    public long getStreamsOpened() {
        return metrics.streamsOpened();
    }

    public long getResetsSent() {
        return metrics.resetsSentTotal();
    }

    public String getResetsSentByStatus() {
        return text(metrics.resetsSent());
    }

    public long getResetsReceived() {
        return metrics.resetsReceivedTotal();
    }

    public String getResetsReceivedByStatus() {
        return text(metrics.resetsReceived());
    }

    public long getGoAwaysSent() {
        return metrics.goAwaysSentTotal();
    }

    public String getGoAwaysSentByStatus() {
        return text(metrics.goAwaysSent());
    }

    public long getGoAwaysReceived() {
        return metrics.goAwaysReceivedTotal();
    }

    public String getGoAwaysReceivedByStatus() {
        return text(metrics.goAwaysReceived());
    }

    /** Sessions the abuse guard ended: frame floods, and readers below the minimum response data rate. */
    public long getAbuseTrips() {
        return metrics.abuseTrips();
    }

    /** Bytes of SPDY frames written to sockets. */
    public long getFrameBytesWritten() {
        return metrics.bytesWritten();
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
