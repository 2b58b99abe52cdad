package io.spdyconnector.protocol.session;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The counters of every session of one server registration (a Jetty connection factory, a Tomcat
 * upgrade protocol), for tests and JMX: gauges summed over the sessions open now, totals that
 * include sessions already closed. Both adapters expose the same numbers under the same names.
 * Thread-safe; a gauge is only as consistent as the per-session snapshots it sums.
 */
public final class SessionMetrics {
    private final Supplier<? extends Iterable<SessionStatistics>> live;
    private final LongAdder sessionsOpened = new LongAdder();
    private final LongAdder closedStreamsOpened = new LongAdder();
    private final LongAdder closedAbuseTrips = new LongAdder();
    private final LongAdder closedBytesWritten = new LongAdder();
    private final Map<String, LongAdder> closedResetsSent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closedResetsReceived = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closedGoAwaysSent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closedGoAwaysReceived = new ConcurrentHashMap<>();

    /** @param live the statistics of the sessions open now (null entries are skipped) */
    public SessionMetrics(Supplier<? extends Iterable<SessionStatistics>> live) {
        this.live = live;
    }

    public void sessionOpened() {
        sessionsOpened.increment();
    }

    /** Keeps the totals of a session that closed; call once per session, with its last statistics. */
    public void sessionClosed(SessionStatistics last) {
        if (last == null) {
            return;
        }
        closedStreamsOpened.add(last.streamsOpened());
        closedAbuseTrips.add(last.abuseTrips());
        closedBytesWritten.add(last.bytesWritten());
        add(closedResetsSent, last.resetsSent());
        add(closedResetsReceived, last.resetsReceived());
        add(closedGoAwaysSent, last.goAwaysSent());
        add(closedGoAwaysReceived, last.goAwaysReceived());
    }

    private static void add(Map<String, LongAdder> totals, Map<String, Long> counts) {
        counts.forEach((k, v) -> totals.computeIfAbsent(k, x -> new LongAdder()).add(v));
    }

    private long sum(ToLongFunction<SessionStatistics> f) {
        long n = 0;
        for (SessionStatistics s : live.get()) {
            if (s != null) {
                n += f.applyAsLong(s);
            }
        }
        return n;
    }

    private Map<String, Long> byStatus(Map<String, LongAdder> closed, Function<SessionStatistics, Map<String, Long>> f) {
        Map<String, Long> m = new TreeMap<>();
        closed.forEach((k, v) -> m.merge(k, v.sum(), Long::sum));
        for (SessionStatistics s : live.get()) {
            if (s != null) {
                f.apply(s).forEach((k, v) -> m.merge(k, v, Long::sum));
            }
        }
        return m;
    }

    private static long total(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Sessions open now. */
    public long sessions() {
        return sum(s -> 1);
    }

    public long sessionsOpened() {
        return sessionsOpened.sum();
    }

    /** Streams the peers opened that are open now. */
    public long openStreams() {
        return sum(SessionStatistics::remoteStreams);
    }

    /** Streams an application is working on now, including closed or reset ones it has not finished. */
    public long applicationStreams() {
        return sum(SessionStatistics::applicationStreams);
    }

    public long queuedControlFrames() {
        return sum(SessionStatistics::queuedControlFrames);
    }

    /** DATA bytes queued on streams, waiting for windows or sockets. */
    public long queuedDataBytes() {
        return sum(SessionStatistics::queuedDataBytes);
    }

    /** Bytes of output batches being written now. */
    public long bufferedOutputBytes() {
        return sum(SessionStatistics::bufferedOutputBytes);
    }

    /** Sessions holding a native inflater now. */
    public long liveInflaters() {
        return sum(s -> s.inflaterLive() ? 1 : 0);
    }

    /** Sessions holding a native deflater now. */
    public long liveDeflaters() {
        return sum(s -> s.deflaterLive() ? 1 : 0);
    }

    public long streamsOpened() {
        return closedStreamsOpened.sum() + sum(SessionStatistics::streamsOpened);
    }

    /** Sessions the abuse guard ended. */
    public long abuseTrips() {
        return closedAbuseTrips.sum() + sum(SessionStatistics::abuseTrips);
    }

    public long bytesWritten() {
        return closedBytesWritten.sum() + sum(SessionStatistics::bytesWritten);
    }

    public Map<String, Long> resetsSent() {
        return byStatus(closedResetsSent, SessionStatistics::resetsSent);
    }

    public Map<String, Long> resetsReceived() {
        return byStatus(closedResetsReceived, SessionStatistics::resetsReceived);
    }

    public Map<String, Long> goAwaysSent() {
        return byStatus(closedGoAwaysSent, SessionStatistics::goAwaysSent);
    }

    public Map<String, Long> goAwaysReceived() {
        return byStatus(closedGoAwaysReceived, SessionStatistics::goAwaysReceived);
    }

    public long resetsSentTotal() {
        return total(resetsSent());
    }

    public long resetsReceivedTotal() {
        return total(resetsReceived());
    }

    public long goAwaysSentTotal() {
        return total(goAwaysSent());
    }

    public long goAwaysReceivedTotal() {
        return total(goAwaysReceived());
    }
}
