package io.spdyconnector.jetty;

import io.spdyconnector.protocol.session.SessionMetrics;
import io.spdyconnector.protocol.session.SessionStatistics;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.component.Dumpable;
import org.eclipse.jetty.util.component.Graceful;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live SPDY connections of one factory, and their graceful stop: on {@link #shutdown()} every
 * session sends GOAWAY with the last stream it admitted and closes once those streams finish, and
 * a connection opened after that is told to go away at once (Jetty's own HTTP/2 does the same in
 * its {@code SessionContainer}). Its JMX attributes are the engine's {@link SessionMetrics}, under
 * the same names as on Tomcat: gauges over the open sessions, totals that include closed ones.
 */
@ManagedObject("The SPDY sessions of a connector")
public class SpdySessionContainer implements Connection.Listener, Graceful, Dumpable {
    private final Set<SpdyServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final SessionMetrics metrics = new SessionMetrics(this::liveStatistics);
    private volatile CompletableFuture<Void> shutdown;

    private List<SessionStatistics> liveStatistics() {
        List<SessionStatistics> all = new ArrayList<>();
        for (SpdyServerConnection c : connections) {
            all.add(c.getStatistics());
        }
        return all;
    }

    /** The engine's counters of these sessions. */
    public SessionMetrics metrics() {
        return metrics;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof SpdyServerConnection) {
            SpdyServerConnection c = (SpdyServerConnection) connection;
            if (connections.add(c)) {
                metrics.sessionOpened();
            }
            if (shutdown != null) {
                c.goAway();
            }
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connections.remove(connection)) {
            metrics.sessionClosed(((SpdyServerConnection) connection).getStatistics());
            checkShutdown();
        }
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> result = shutdown;
        if (result == null) {
            result = new CompletableFuture<>();
            shutdown = result;
            for (SpdyServerConnection c : new ArrayList<>(connections)) {
                c.goAway();
            }
            checkShutdown();
        }
        return result;
    }

    private void checkShutdown() {
        CompletableFuture<Void> s = shutdown;
        if (s != null && connections.isEmpty()) {
            s.complete(null);
        }
    }

    @Override
    public boolean isShutdown() {
        return shutdown != null;
    }

    @ManagedAttribute("Open SPDY sessions")
    public int getSessionCount() {
        return connections.size();
    }

    @ManagedAttribute("Open SPDY streams over all sessions")
    public int getStreamCount() {
        int n = 0;
        for (SpdyServerConnection c : connections) {
            n += c.getStreamCount();
        }
        return n;
    }

    @ManagedAttribute("Streams the clients opened that are open now, over all sessions")
    public long getActiveStreams() {
        return metrics.openStreams();
    }

    @ManagedAttribute("SPDY sessions opened since start")
    public long getSessionsOpened() {
        return metrics.sessionsOpened();
    }

    @ManagedAttribute("Streams whose handler has not finished, open or already closed: each holds a concurrency slot")
    public long getApplicationStreams() {
        return metrics.applicationStreams();
    }

    @ManagedAttribute("Control frames waiting for sockets")
    public long getQueuedControlFrames() {
        return metrics.queuedControlFrames();
    }

    @ManagedAttribute("Response DATA bytes queued in sessions, waiting for windows or sockets")
    public long getQueuedDataBytes() {
        return metrics.queuedDataBytes();
    }

    @ManagedAttribute("Bytes being written to sockets")
    public long getBufferedOutputBytes() {
        return metrics.bufferedOutputBytes();
    }

    @ManagedAttribute("Sessions holding a native zlib inflater")
    public long getLiveInflaters() {
        return metrics.liveInflaters();
    }

    @ManagedAttribute("Sessions holding a native zlib deflater")
    public long getLiveDeflaters() {
        return metrics.liveDeflaters();
    }

    @ManagedAttribute("Streams opened since start")
    public long getStreamsOpened() {
        return metrics.streamsOpened();
    }

    @ManagedAttribute("RST_STREAM frames sent")
    public long getResetsSent() {
        return metrics.resetsSentTotal();
    }

    @ManagedAttribute("RST_STREAM frames sent, by status")
    public String getResetsSentByStatus() {
        return text(metrics.resetsSent());
    }

    @ManagedAttribute("RST_STREAM frames received")
    public long getResetsReceived() {
        return metrics.resetsReceivedTotal();
    }

    @ManagedAttribute("RST_STREAM frames received, by status")
    public String getResetsReceivedByStatus() {
        return text(metrics.resetsReceived());
    }

    @ManagedAttribute("GOAWAY frames sent")
    public long getGoAwaysSent() {
        return metrics.goAwaysSentTotal();
    }

    @ManagedAttribute("GOAWAY frames sent, by status")
    public String getGoAwaysSentByStatus() {
        return text(metrics.goAwaysSent());
    }

    @ManagedAttribute("GOAWAY frames received")
    public long getGoAwaysReceived() {
        return metrics.goAwaysReceivedTotal();
    }

    @ManagedAttribute("GOAWAY frames received, by status")
    public String getGoAwaysReceivedByStatus() {
        return text(metrics.goAwaysReceived());
    }

    @ManagedAttribute("Sessions the abuse guard ended: frame floods, and readers below the minimum response data rate")
    public long getAbuseTrips() {
        return metrics.abuseTrips();
    }

    @ManagedAttribute("Bytes of SPDY frames written to sockets")
    public long getFrameBytesWritten() {
        return metrics.bytesWritten();
    }

    private static String text(Map<String, Long> counts) {
        return counts.toString().replaceAll("[{}]", "");
    }

    public List<SpdyServerConnection> getConnections() {
        return new ArrayList<>(connections);
    }

    @Override
    public void dump(Appendable out, String indent) throws IOException {
        Dumpable.dumpObjects(out, indent, this, connections.toArray());
    }

    @Override
    public String toString() {
        return "SpdySessionContainer[sessions=" + connections.size() + "]";
    }
}
