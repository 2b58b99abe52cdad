package io.spdyconnector.protocol.session;

import java.util.Map;

/**
 * A snapshot of one session's counters, for tests, metrics and JMX.
 *
 * @param remoteStreams        open streams the peer initiated
 * @param localStreams         open streams this side initiated
 * @param pendingStreams       local streams waiting for the peer's concurrency limit
 * @param applicationStreams   streams the application is working on, open or already closed or reset:
 *                             peer streams among them hold a concurrency slot until it finishes
 * @param queuedControlFrames  control frames waiting for the transport
 * @param queuedDataBytes      DATA bytes queued on streams, waiting for the peer's windows or the transport
 * @param bufferedOutputBytes  bytes of the batch being written
 * @param streamsOpened        streams ever opened on this session
 * @param resetsSent           RST_STREAM sent, by status name
 * @param resetsReceived       RST_STREAM received, by status name
 * @param goAwaysSent          GOAWAY sent, by status name
 * @param goAwaysReceived      GOAWAY received, by status name
 * @param inflaterLive         whether the native inflater is allocated now
 * @param deflaterLive         whether the native deflater is allocated now
 * @param abuseTrips           times the abuse guard ended the session
 * @param bytesWritten         bytes handed to the transport
 */
public record SessionStatistics(int remoteStreams, int localStreams, int pendingStreams, int applicationStreams,
        int queuedControlFrames, long queuedDataBytes, long bufferedOutputBytes, long streamsOpened, Map<String, Long> resetsSent, Map<String, Long> resetsReceived,
        Map<String, Long> goAwaysSent, Map<String, Long> goAwaysReceived, boolean inflaterLive, boolean deflaterLive,
        long abuseTrips, long bytesWritten) {
}
