package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.RstStatus;

import java.util.Map;
import java.util.TreeMap;

/** Running totals of a session. Guarded by the session lock. */
final class SessionCounters {
    private long streamsOpened;
    private long bytesWritten;
    private final long[] resetsSent = new long[RstStatus.values().length];
    private final long[] resetsReceived = new long[RstStatus.values().length];
    private final long[] goAwaysSent = new long[GoAwayStatus.values().length];
    private final long[] goAwaysReceived = new long[GoAwayStatus.values().length];

    void streamOpened() {
        streamsOpened++;
    }

    void bytesQueued(long bytes) {
        bytesWritten += bytes;
    }

    void resetSent(RstStatus s) {
        resetsSent[s.ordinal()]++;
    }

    void resetReceived(RstStatus s) {
        resetsReceived[s.ordinal()]++;
    }

    void goAwaySent(GoAwayStatus s) {
        goAwaysSent[s.ordinal()]++;
    }

    void goAwayReceived(GoAwayStatus s) {
        goAwaysReceived[s.ordinal()]++;
    }

    SessionStatistics snapshot(int remote, int local, int pending, int application, int control, long queuedData,
            long buffered, boolean inflater, boolean deflater, long trips) {
        return new SessionStatistics(remote, local, pending, application, control, queuedData, buffered, streamsOpened,
                byName(resetsSent, RstStatus.values()), byName(resetsReceived, RstStatus.values()),
                byName(goAwaysSent, GoAwayStatus.values()), byName(goAwaysReceived, GoAwayStatus.values()),
                inflater, deflater, trips, bytesWritten);
    }

    private static Map<String, Long> byName(long[] counts, Enum<?>[] names) {
        Map<String, Long> m = new TreeMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                m.put(names[i].name(), counts[i]);
            }
        }
        return m;
    }
}
